"""The Segmentation page's tables, computed in core: known answers, and the demo's figures as the page showed them.

The demo figures (segment sizes, stage counts, the what-if, the customer list) are
the numbers the page showed before these tables moved out of it (commit ce3c7c3,
read off `app_pages/segmentation.py` on the demo data): the move must not change them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.charts import STAGE_COLORS, stage_colors
from core.ingest import ingest_file
from core.problems import Problem
from core.segmentation import (
    LIST_ROWS,
    SEGMENTS,
    STAGES,
    ListChoice,
    analysis_days,
    breakdown_table,
    customer_list,
    lifecycle_by_month,
    lifecycle_months,
    lifecycle_stages,
    lifecycle_thresholds,
    move_customers,
    rfm_table,
    rules_grid,
    segment_bars,
    segment_cells,
    segment_table,
    segment_view,
    stage_counts,
    stage_table,
)
from core.summary import orders_table

ROOT = Path(__file__).resolve().parents[2]


def small_rfm() -> pd.DataFrame:
    """Seven customers by hand: 4 at_risk, 2 loyal, 1 lost (the other segments empty)."""
    segments = ["at_risk"] * 4 + ["loyal"] * 2 + ["lost"]
    return pd.DataFrame(
        {
            "recency_days": [100, 120, 140, 160, 20, 40, 400],
            "frequency": [3, 3, 4, 6, 8, 10, 1],
            "monetary": [90.0, 150.0, 200.0, 360.0, 800.0, 1200.0, 50.0],
            "revenue": [90.0, 150.0, 200.0, 360.0, 800.0, 1200.0, 50.0],
            "yearly_revenue": [100.0, 200.0, 300.0, 600.0, 800.0, 1000.0, 0.0],
            "r_score": [2, 2, 1, 1, 4, 3, 1],
            "f_score": [3, 3, 3, 4, 4, 5, 1],
            "m_score": [2, 2, 3, 4, 4, 5, 1],
            "rfm_cell": ["R2F3", "R2F3", "R1F3", "R1F4", "R4F4", "R3F5", "R1F1"],
            "rfm_segment": pd.Categorical(segments, categories=list(SEGMENTS)),
        },
        index=pd.Index([f"c{i}" for i in range(7)], name="customer_id", dtype="str"),
    )


class _Rfm:
    """The parts of an RfmResult that segment_view reads."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table
        self.problems = (Problem("segmentation.short_history", {}, "info"),)


# --------------------------------------------------------------------------- RFM tab


def test_segment_view_and_table_known_answer():
    view = segment_view(_Rfm(small_rfm()))
    assert view.problems == (Problem("segmentation.short_history", {}, "info"),)
    assert view.bars["segment"].tolist() == list(SEGMENTS)
    assert view.bars.set_index("segment").loc[
        ["at_risk", "loyal", "lost"], "customers"
    ].tolist() == [
        4,
        2,
        1,
    ]
    # 25 grid cells; R2F3 holds two customers (c0 and c1).
    assert len(view.cells) == 25
    assert view.cells.set_index(["r_score", "f_score"]).loc[(2, 3), "customers"] == 2

    table = segment_table(view, "en").set_index("segment")
    at_risk = table.loc["At risk"]
    # Shares in percent: 4 of 7 customers; 800 of 2,850 revenue; means of the four.
    assert at_risk["share"] == pytest.approx(400 / 7)
    assert at_risk["revenue_share"] == pytest.approx(80000 / 2850)
    assert (at_risk["recency"], at_risk["frequency"], at_risk["monetary"]) == (130.0, 4.0, 200.0)
    assert at_risk["what"] == "Used to buy often, but not for a long time."
    assert at_risk["action"] == "Send a personal win-back offer before they lapse."
    assert np.isnan(table.loc["Champions", "recency"])  # no average of nobody
    assert segment_table(view, "zh")["segment"].tolist()[:2] == ["冠军客户", "忠诚客户"]


def test_bars_and_cells_carry_segment_names():
    view = segment_view(_Rfm(small_rfm()))
    bars = segment_bars(view, "zh")
    assert bars.loc[bars["segment"] == "lost", "label"].item() == "已流失"
    cells = segment_cells(view, "en")
    assert (
        cells.loc[(cells["r_score"] == 5) & (cells["f_score"] == 5), "label"].item() == "Champions"
    )


def test_rules_grid_rows_f5_to_f1_columns_r1_to_r5():
    grid = rules_grid("en")
    assert grid.index.tolist() == ["F5", "F4", "F3", "F2", "F1"]
    assert grid.columns.tolist() == ["R1", "R2", "R3", "R4", "R5"]
    assert grid.loc["F5", "R5"] == "Champions" and grid.loc["F1", "R1"] == "Lost"
    assert grid.loc["F5", "R1"] == "Can't lose them"


def test_move_change_share():
    # The page's delta: 2 at_risk customers to loyal, +1,200 on 3,000 a year = 40%.
    from core.segmentation import segment_profile

    move = move_customers(segment_profile(small_rfm()), "at_risk", "loyal", 0.5)
    assert move.change_share == pytest.approx(0.4)
    empty = segment_profile(small_rfm().assign(yearly_revenue=0.0))
    assert move_customers(empty, "at_risk", "loyal", 0.5).change_share is None


# --------------------------------------------------------------------------- customer lists


def test_customer_list_columns_filters_and_order():
    rfm = small_rfm()
    stages = pd.Series(
        pd.Categorical(
            ["churned", "at_risk", "churned", "active", "active", "new"], categories=list(STAGES)
        ),
        index=pd.Index([f"c{i}" for i in range(6)], name="customer_id"),  # c6 has no stage
    )
    listed = customer_list(rfm, "total", "en", stages=stages)
    assert listed.table.columns.tolist() == [
        "Customer ID",
        "Segment",
        "Days since last order",
        "Orders",
        "Total spend",
        "R",
        "F",
        "M",
        "RFM cell",
        "Lifecycle stage",
    ]
    assert listed.customers == 7
    assert listed.table["Customer ID"].tolist() == [f"c{i}" for i in range(7)]  # RFM order
    assert listed.table["Segment"].astype(str).tolist()[:5] == ["At risk"] * 4 + ["Loyal"]
    assert listed.table["RFM cell"].astype(str).tolist() == rfm["rfm_cell"].tolist()
    assert listed.table["Lifecycle stage"].isna().tolist() == [False] * 6 + [True]
    # The page shows the biggest spenders first.
    assert listed.top["Customer ID"].tolist() == ["c5", "c4", "c3", "c2", "c1", "c0", "c6"]

    # Any chosen segment, stage or cluster keeps its customers.
    chosen = customer_list(rfm, "total", "en", ListChoice(segments=("loyal", "lost")), stages)
    assert chosen.table["Customer ID"].tolist() == ["c4", "c5", "c6"]
    churned = customer_list(rfm, "total", "en", ListChoice(stages=("churned",)), stages)
    assert churned.table["Customer ID"].tolist() == ["c0", "c2"]
    clusters = pd.Series([1, 0, 0, 1, 1, 0], index=[f"c{i}" for i in range(6)])
    names = {0: "1 · Typical customers", 1: "2 · Frequent buyers"}
    by_cluster = customer_list(
        rfm, "average", "zh", ListChoice(clusters=(1,)), stages, clusters, names
    )
    assert by_cluster.table["客户ID"].tolist() == ["c0", "c3", "c4"]
    assert by_cluster.table.columns[4] == "平均订单金额"
    assert by_cluster.table["聚类"].astype(str).tolist() == ["2 · Frequent buyers"] * 3
    assert by_cluster.table["分群"].astype(str).tolist() == [
        "有流失风险",
        "有流失风险",
        "忠诚客户",
    ]


def test_top_list_holds_list_rows_customers():
    n = LIST_ROWS + 5
    rfm = pd.concat([small_rfm()] * (n // 7 + 1)).iloc[:n]
    rfm.index = pd.Index([f"x{i}" for i in range(n)], name="customer_id", dtype="str")
    listed = customer_list(rfm, "total", "en")
    assert listed.customers == n and len(listed.top) == LIST_ROWS
    assert listed.top["Total spend"].is_monotonic_decreasing


# --------------------------------------------------------------------------- lifecycle tab


def test_stage_counts_and_table():
    stages = pd.Series(
        pd.Categorical(["new", "active", "active", "churned"], categories=list(STAGES))
    )
    counts = stage_counts(stages)
    assert counts["stage"].tolist() == list(STAGES)
    assert counts["customers"].tolist() == [1, 0, 2, 0, 1]
    assert counts["share"].tolist() == [25.0, 0.0, 50.0, 0.0, 25.0]
    table = stage_table(counts, "zh")
    assert table["stage"].tolist() == ["新客", "回流", "活跃", "沉睡中（有风险）", "已流失"]
    assert stage_counts(stages.iloc[:0])["share"].tolist() == [0.0] * 5  # no customer: no division


def test_lifecycle_months_label_and_stack_order():
    rows = pd.DataFrame(
        {
            "month": pd.to_datetime(["2024-01-01"] * 2),
            "stage": pd.Categorical(["churned", "new"], categories=list(STAGES)),
            "customers": [1, 3],
        }
    )
    months = lifecycle_months(rows, "en")
    assert months["label"].tolist() == ["Churned", "New"]
    assert months["order"].tolist() == [4, 0]


def test_stage_colors_follow_the_names():
    colors = stage_colors("zh")
    assert colors["新客"] == STAGE_COLORS["new"] and len(colors) == len(STAGES)


# --------------------------------------------------------------------------- breakdowns


def test_breakdown_table_known_answer():
    index = pd.Index(["a", "b", "c", "d", "e"], name="customer_id")
    groups = pd.Series(
        pd.Categorical(["loyal", "loyal", "lost", "lost", "lost"], categories=list(SEGMENTS)),
        index=index,
    )
    features = pd.DataFrame({"region": ["North", "North", "North", None, "South"]}, index=index)
    names = {"loyal": "Loyal", "lost": "Lost"}
    mix = breakdown_table(groups, features, "region", names, "en").set_index(["value", "group"])
    # North: 2 loyal and 1 lost of 3; the customer without a region is "(unknown)".
    assert mix.loc[("North", "loyal"), "share"] == pytest.approx(2 / 3)
    assert mix.loc[("North", "lost"), ["label", "order"]].tolist() == ["Lost", 1]
    assert mix.loc[("(unknown)", "lost"), "customers"] == 1
    assert (
        breakdown_table(groups, features, "region", names, "zh")["value"].tolist().count("（未知）")
        == 1
    )


# --------------------------------------------------------------------------- the demo, as the page showed it


@pytest.fixture(scope="module")
def demo_orders() -> pd.DataFrame:
    data = (ROOT / "sample_data" / "transactions.csv").read_bytes()
    return orders_table(ingest_file(data, "transactions.csv", "transactions").table)


def test_demo_figures_as_the_page_showed_them(demo_orders):
    first, last = analysis_days(demo_orders)
    assert last == demo_orders["order_date"].max().normalize()
    assert first == demo_orders["order_date"].min().normalize()
    rfm = rfm_table(demo_orders, last)
    view = segment_view(rfm)
    table = segment_table(view, "en")
    # Segment sizes in SEGMENTS order, as the page's segments table showed them.
    assert table["customers"].tolist() == [953, 573, 566, 64, 172, 244, 430, 591, 190, 527, 690]
    assert round(table.loc[0, "share"], 2) == 19.06
    assert round(table.loc[0, "revenue_share"], 2) == 59.52
    assert round(table.loc[0, "recency"], 4) == 22.5897
    # The what-if's default (10% of At risk to Loyal): 59 customers, +15,365.17 a year.
    move = move_customers(view.profile, "at_risk", "loyal", 0.1)
    assert move.customers_moved == 59
    assert round(move.revenue_change, 2) == 15365.17
    assert round(move.revenue_after, 2) == 945556.45

    found = lifecycle_thresholds(demo_orders)
    assert (found.active_days, found.churn_days) == (45, 160)
    stages = lifecycle_stages(demo_orders, found, last)
    counts = stage_counts(stages)
    assert counts["customers"].tolist() == [155, 53, 989, 920, 2883]
    assert lifecycle_months(lifecycle_by_month(demo_orders, found), "en")["label"].notna().all()


def test_demo_customer_list_is_the_pages_former_export(demo_orders):
    # The page built its export like this before (per-value label maps, then renames).
    rfm = rfm_table(demo_orders)
    found = lifecycle_thresholds(demo_orders)
    stages = lifecycle_stages(demo_orders, found, rfm.as_of)
    rows = rfm.table.assign(stage=stages.reindex(rfm.table.index))
    rows = rows[rows["rfm_segment"].isin(["champions", "lost"])]
    names = {s: f"segment.{s}" for s in SEGMENTS}
    from core.i18n import t

    expected = rows[
        ["recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "rfm_cell"]
    ].copy()
    expected.insert(0, "Segment", rows["rfm_segment"].astype(str).map(lambda s: t(names[s])))
    expected["Lifecycle stage"] = rows["stage"].astype(str).map(lambda s: t(f"stage.{s}"))
    expected = expected.rename(
        columns={
            "recency_days": "Days since last order",
            "frequency": "Orders",
            "monetary": "Total spend",
            "r_score": "R",
            "f_score": "F",
            "m_score": "M",
            "rfm_cell": "RFM cell",
        }
    )
    expected = expected.reset_index().rename(columns={"customer_id": "Customer ID"})

    listed = customer_list(
        rfm.table, "total", "en", ListChoice(segments=("champions", "lost")), stages
    )
    assert listed.customers == 953 + 690
    got = listed.table.astype({"Segment": str, "RFM cell": str, "Lifecycle stage": str})
    pd.testing.assert_frame_equal(got, expected.astype({"RFM cell": str}), check_dtype=False)
