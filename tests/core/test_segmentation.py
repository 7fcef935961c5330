"""RFM scores and segments, profiles and the what-if, lifecycle stages: known answers worked out by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.ingest import ingest_file
from core.problems import Problem
from core.segmentation import (
    SEGMENT_GRID,
    SEGMENTS,
    STAGES,
    LifecycleThresholds,
    group_mix,
    lifecycle_by_month,
    lifecycle_stages,
    lifecycle_thresholds,
    move_customers,
    rf_cells,
    rfm_table,
    score_quintiles,
    segment_grid_table,
    segment_profile,
)
from core.summary import orders_table

ROOT = Path(__file__).resolve().parents[2]


def keys(problems) -> tuple[str, ...]:
    return tuple(p.key for p in problems)


def make_orders(rows: list[tuple[str, str, float]], categorical: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])
    frame["order_date"] = pd.to_datetime(frame["order_date"], format="ISO8601")
    if categorical:
        frame["customer_id"] = frame["customer_id"].astype("category")
    return frame


@pytest.fixture(scope="module")
def demo_orders() -> pd.DataFrame:
    data = (ROOT / "sample_data" / "transactions.csv").read_bytes()
    return orders_table(ingest_file(data, "transactions.csv", "transactions").table)


# ---------------------------------------------------------------------------
# The tie rule
# ---------------------------------------------------------------------------


def counts_by_score(scores: pd.Series) -> list[int]:
    return scores.value_counts().reindex(range(1, 6), fill_value=0).tolist()


def test_no_ties_gives_exact_quintiles():
    values = pd.Series(np.random.default_rng(1).permutation(100).astype(float))
    scores = score_quintiles(values)
    assert counts_by_score(scores) == [20, 20, 20, 20, 20]
    # The k-th smallest value (k = 0..99) scores k // 20 + 1.
    assert (scores == values.astype(int) // 20 + 1).all()


@pytest.mark.parametrize("n", range(5, 41))
def test_no_ties_each_score_holds_a_fifth_within_one_customer(n):
    counts = np.array(counts_by_score(score_quintiles(pd.Series(np.arange(n)))))
    assert (np.abs(counts - n / 5) < 1).all()
    assert counts.sum() == n


def test_lower_is_better_reverses_the_scale():
    # Recency: 0 days is the best value and scores 5.
    values = pd.Series(np.arange(100))
    scores = score_quintiles(values, higher_is_better=False)
    assert (scores == 5 - values // 20).all()


def test_sixty_percent_tied_at_the_minimum():
    # 60 one-time buyers and 40 customers with distinct frequencies 2..41: the block of
    # 60 is bigger than the fair share (100 / 5 = 20) and takes score 1 on its own; the
    # 40 left are divided evenly over scores 2..5 (share 40 / 4 = 10 each).
    values = pd.Series([1] * 60 + list(range(2, 42)))
    scores = score_quintiles(values)
    assert (scores[:60] == 1).all()
    assert counts_by_score(scores) == [60, 10, 10, 10, 10]
    assert scores[60:70].eq(2).all() and scores[90:].eq(5).all()


def test_a_big_tie_block_in_the_middle_takes_one_score_on_its_own():
    # 10 distinct values, then 50 customers tied at 11, then 40 distinct values.
    # Score 1: share 100/5 = 20; takes the 10 singles, then the block of 50 > 20 may not
    # join a score that holds customers: score 1 closes with 10.
    # Score 2: share 90/4 = 22.5: the block of 50 alone (bigger than the share).
    # Score 3: share 40/3 = 13.33: a single joins while its middle (count + 0.5) is
    # within the share: 13 customers (the 14th's middle, 13.5, is past 13.33).
    # Score 4: share 27/2 = 13.5: 14 (the 14th's middle is exactly the share: a half
    # rounds up). Score 5: the 13 left.
    values = pd.Series(list(range(1, 11)) + [11] * 50 + list(range(12, 52)))
    assert counts_by_score(score_quintiles(values)) == [10, 50, 13, 14, 13]


def test_ties_are_never_split_and_scores_are_monotone():
    values = pd.Series(np.random.default_rng(7).geometric(0.35, size=5_000))
    scores = score_quintiles(values)
    assert scores.groupby(values).nunique().eq(1).all()
    by_value = scores.groupby(values).first().sort_index()
    assert by_value.is_monotonic_increasing
    assert set(scores) == {1, 2, 3, 4, 5}  # 5 or more distinct values use every score


@pytest.mark.parametrize(
    ("distinct", "expected"),
    [([7], [1]), ([1, 2], [1, 5]), ([1, 2, 3], [1, 3, 5]), ([1, 2, 3, 4], [1, 2, 4, 5])],
    ids=["one-value", "two-values", "three-values", "four-values"],
)
def test_fewer_than_five_distinct_values_spread_over_the_scale(distinct, expected):
    # Each distinct value gets its own score, spread over 1..5; tie sizes do not matter.
    values = pd.Series([v for v in distinct for _ in range(v * 3)])
    scores = score_quintiles(values)
    assert scores.groupby(values).first().tolist() == expected


def test_all_equal_values_score_one():
    assert score_quintiles(pd.Series([4.0] * 12)).eq(1).all()


def test_score_keeps_index_and_name_and_refuses_missing_values():
    values = pd.Series([3.0, 1.0, 2.0], index=["x", "y", "z"], name="frequency")
    scores = score_quintiles(values)
    assert scores.index.tolist() == ["x", "y", "z"] and scores.name == "frequency"
    assert scores.tolist() == [5, 1, 3]
    assert score_quintiles(pd.Series([], dtype=float)).empty
    with pytest.raises(ValueError, match="missing values"):
        score_quintiles(pd.Series([1.0, np.nan]))


# ---------------------------------------------------------------------------
# RFM table
# ---------------------------------------------------------------------------

# Five customers; the last order (and so as_of) is 2024-03-31. 2024 is a leap year.
RFM_ROWS = [
    ("a", "2024-01-10", 100.0),
    ("a", "2024-02-15", 50.0),
    ("a", "2024-03-31 18:00", 30.0),
    ("b", "2024-03-01", 200.0),
    ("c", "2024-01-01", 20.0),
    ("c", "2024-01-20", 40.0),
    ("d", "2023-12-01", 10.0),
    ("e", "2024-03-20", 15.0),
    ("e", "2024-03-25", 25.0),
    ("e", "2024-03-28", 35.0),
    ("e", "2024-03-30", 45.0),
]


@pytest.mark.parametrize("categorical", [False, True], ids=["str-ids", "categorical-ids"])
def test_rfm_known_answer_total(categorical):
    result = rfm_table(make_orders(RFM_ROWS, categorical))
    table = result.table.sort_index()
    assert result.as_of == pd.Timestamp("2024-03-31")
    # Recency in calendar days to Mar 31: a 0; b Mar 1 -> 30; c Jan 20 -> 11 + 29 + 31 = 71;
    # d Dec 1 -> 30 + 31 + 29 + 31 = 121; e Mar 30 -> 1.
    assert table["recency_days"].tolist() == [0, 30, 71, 121, 1]
    assert table["frequency"].tolist() == [3, 1, 2, 1, 4]
    assert table["monetary"].tolist() == [180.0, 200.0, 60.0, 10.0, 120.0]
    # R: five distinct recencies, one per score, 121 days worst: d1 c2 b3 e4 a5.
    assert table["r_score"].tolist() == [5, 3, 2, 1, 4]
    # F: four distinct values 1 (b, d), 2, 3, 4 -> spread to 1, 2, 4, 5.
    assert table["f_score"].tolist() == [4, 1, 2, 1, 5]
    # M: 10 < 60 < 120 < 180 < 200.
    assert table["m_score"].tolist() == [4, 5, 2, 1, 3]
    assert table["rfm_cell"].tolist() == ["R5F4", "R3F1", "R2F2", "R1F1", "R4F5"]
    assert table["rfm_segment"].astype(str).tolist() == [
        "champions",
        "about_to_sleep",
        "hibernating",
        "lost",
        "champions",
    ]
    assert table.index.name == "customer_id"
    assert table["first_order"].tolist()[0] == pd.Timestamp("2024-01-10")
    assert table["last_order"].tolist()[0] == pd.Timestamp("2024-03-31 18:00")


def test_rfm_known_answer_average():
    table = rfm_table(make_orders(RFM_ROWS), monetary="average").table.sort_index()
    # Average order value: a 180/3 = 60, b 200, c 60/2 = 30, d 10, e 120/4 = 30.
    assert table["monetary"].tolist() == [60.0, 200.0, 30.0, 10.0, 30.0]
    assert table["revenue"].tolist() == [180.0, 200.0, 60.0, 10.0, 120.0]
    # Four distinct values 10, 30 (c and e tie), 60, 200 -> 1, 2, 4, 5.
    assert table["m_score"].tolist() == [4, 5, 2, 1, 2]


def test_rfm_short_history_annualises_yearly_revenue():
    result = rfm_table(make_orders(RFM_ROWS))
    # Dec 1 .. Mar 31 covers 31 + 31 + 29 + 31 = 122 days: spend scaled by 365 / 122.
    assert keys(result.problems) == ("segmentation.too_few_customers", "segmentation.short_history")
    # The threshold in the text is the constant, passed as a parameter.
    assert result.problems[0] == Problem(
        "segmentation.too_few_customers", {"minimum": 10}, "warning"
    )
    assert result.problems[1].severity == "info"
    table = result.table
    assert np.allclose(table["yearly_revenue"], table["revenue"] * 365 / 122)


def test_yearly_revenue_is_the_365_days_ending_on_as_of():
    # as_of 2024-03-31: the window is 2023-04-02 .. 2024-03-31 (365 days, 2024 being leap);
    # 2023-04-01 is one day outside it. The data covers 366 days: no scaling.
    orders = make_orders(
        [("x", "2023-04-01", 7.0), ("x", "2023-04-02", 11.0), ("y", "2024-03-31", 13.0)]
    )
    result = rfm_table(orders)
    assert "segmentation.short_history" not in keys(result.problems)
    assert result.table.loc["x", "yearly_revenue"] == 11.0
    assert result.table.loc["x", "revenue"] == 18.0
    assert result.table.loc["y", "yearly_revenue"] == 13.0


def test_as_of_in_the_past_ignores_later_orders():
    result = rfm_table(make_orders(RFM_ROWS), as_of="2024-03-01")
    table = result.table.sort_index()
    # e bought only after Mar 1; a's Mar 31 order is ignored; b's order on Mar 1 counts.
    assert table.index.tolist() == ["a", "b", "c", "d"]
    assert result.as_of == pd.Timestamp("2024-03-01")
    # a: Feb 15 -> Mar 1 = 15 days; c: Jan 20 -> 11 + 29 + 1 = 41; d: 30 + 31 + 29 + 1 = 91.
    assert table["recency_days"].tolist() == [15, 0, 41, 91]
    assert table["frequency"].tolist() == [2, 1, 2, 1]
    assert table["monetary"].tolist() == [150.0, 200.0, 60.0, 10.0]


def test_as_of_after_the_last_order_adds_days():
    table = rfm_table(make_orders(RFM_ROWS), as_of=pd.Timestamp("2024-04-10 09:30")).table
    assert table.loc["a", "recency_days"] == 10


def test_no_orders_up_to_as_of():
    result = rfm_table(make_orders(RFM_ROWS), as_of="2023-01-01")
    assert keys(result.problems) == ("segmentation.no_orders",)
    assert result.table.empty
    assert "rfm_segment" in result.table.columns


def test_everyone_bought_once_gives_no_repeat_buyers_but_a_table():
    rows = [(f"c{i:02d}", f"2024-03-{i + 1:02d}", 10.0 + i) for i in range(12)]
    result = rfm_table(make_orders(rows))
    assert keys(result.problems) == ("segmentation.no_repeat_buyers", "segmentation.short_history")
    table = result.table
    assert len(table) == 12
    assert table["f_score"].eq(1).all()
    # R and M still rank customers: 12 distinct values, 12 / 5 = 2.4 a score.
    assert table["r_score"].nunique() == 5 and table["m_score"].nunique() == 5
    assert set(table["rfm_segment"].astype(str)) <= {
        "new_customers",
        "promising",
        "about_to_sleep",
        "hibernating",
        "lost",
    }


def test_rfm_contract_errors():
    with pytest.raises(ValueError, match="Required column amount missing"):
        rfm_table(make_orders(RFM_ROWS).drop(columns="amount"))
    with pytest.raises(ValueError, match="monetary must be"):
        rfm_table(make_orders(RFM_ROWS), monetary="median")


# ---------------------------------------------------------------------------
# The segment grid
# ---------------------------------------------------------------------------

GRID_CASES = [
    (5, 1, "new_customers"), (5, 2, "potential_loyalist"), (5, 3, "potential_loyalist"),
    (5, 4, "champions"), (5, 5, "champions"),
    (4, 1, "promising"), (4, 2, "potential_loyalist"), (4, 3, "potential_loyalist"),
    (4, 4, "loyal"), (4, 5, "champions"),
    (3, 1, "about_to_sleep"), (3, 2, "about_to_sleep"), (3, 3, "need_attention"),
    (3, 4, "loyal"), (3, 5, "loyal"),
    (2, 1, "hibernating"), (2, 2, "hibernating"), (2, 3, "at_risk"),
    (2, 4, "at_risk"), (2, 5, "cant_lose_them"),
    (1, 1, "lost"), (1, 2, "lost"), (1, 3, "at_risk"),
    (1, 4, "cant_lose_them"), (1, 5, "cant_lose_them"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("r", "f", "segment"), GRID_CASES, ids=[f"R{r}F{f}-{s}" for r, f, s in GRID_CASES]
)
def test_segment_grid_cell(r, f, segment):
    assert SEGMENT_GRID[(r, f)] == segment


def test_grid_covers_all_cells_and_all_segments():
    assert sorted(SEGMENT_GRID) == [(r, f) for r in range(1, 6) for f in range(1, 6)]
    assert set(SEGMENT_GRID.values()) == set(SEGMENTS)
    assert len(SEGMENTS) == 11
    table = segment_grid_table()
    assert table.shape == (5, 5)
    assert table.loc[5, 5] == "champions"  # table.loc[F score, R score]
    assert table.loc[5, 1] == "cant_lose_them" and table.loc[1, 5] == "new_customers"


def test_every_cell_is_reached_and_every_customer_has_one_segment():
    # 100 customers, 4 per (R, F) cell. Recency takes 5 values (20 customers each, so
    # each value is exactly one score) and frequency 1..5 orders (20 customers each).
    rows = []
    for i in range(100):
        recency_group, frequency = i % 5, i // 20 + 1  # independent: each pair 4 times
        last_day = pd.Timestamp("2024-12-31") - pd.Timedelta(days=30 * recency_group)
        for k in range(frequency):
            rows.append((f"c{i:03d}", str((last_day - pd.Timedelta(days=k)).date()), 10.0))
    table = rfm_table(make_orders(rows)).table
    assert table["rfm_cell"].value_counts().eq(4).all() and table["rfm_cell"].nunique() == 25
    expected = [
        SEGMENT_GRID[(r, f)] for r, f in zip(table["r_score"], table["f_score"], strict=True)
    ]
    assert table["rfm_segment"].astype(str).tolist() == expected
    assert table["rfm_segment"].notna().all()
    assert set(table["rfm_segment"].astype(str)) == set(SEGMENTS)


# ---------------------------------------------------------------------------
# Segment profile and the what-if
# ---------------------------------------------------------------------------


@pytest.fixture
def small_rfm() -> pd.DataFrame:
    # A hand-made RFM table: 4 at_risk, 2 loyal, 1 lost customer; other segments empty.
    segments = ["at_risk"] * 4 + ["loyal"] * 2 + ["lost"]
    return pd.DataFrame(
        {
            "recency_days": [100, 120, 140, 160, 20, 40, 400],
            "frequency": [3, 3, 4, 6, 8, 10, 1],
            "monetary": [90.0, 150.0, 200.0, 360.0, 800.0, 1200.0, 50.0],
            "revenue": [90.0, 150.0, 200.0, 360.0, 800.0, 1200.0, 50.0],
            "yearly_revenue": [100.0, 200.0, 300.0, 600.0, 800.0, 1000.0, 0.0],
            "rfm_segment": pd.Categorical(segments, categories=list(SEGMENTS)),
        },
        index=pd.Index([f"c{i}" for i in range(7)], name="customer_id"),
    )


def test_segment_profile_known_answer(small_rfm):
    profile = segment_profile(small_rfm)
    assert profile.index.tolist() == list(SEGMENTS)
    at_risk, loyal, lost = profile.loc["at_risk"], profile.loc["loyal"], profile.loc["lost"]
    assert (at_risk["customers"], loyal["customers"], lost["customers"]) == (4, 2, 1)
    assert at_risk["share"] == pytest.approx(4 / 7)
    # Revenue: at_risk 90 + 150 + 200 + 360 = 800 of 2850 in all.
    assert at_risk["revenue"] == 800.0
    assert at_risk["revenue_share"] == pytest.approx(800 / 2850)
    assert at_risk["mean_recency_days"] == 130.0
    assert at_risk["mean_frequency"] == 4.0
    assert at_risk["mean_monetary"] == 200.0
    # Yearly revenue per customer: at_risk (100 + 200 + 300 + 600) / 4 = 300; loyal 900.
    assert at_risk["revenue_per_customer_per_year"] == 300.0
    assert loyal["revenue_per_customer_per_year"] == 900.0
    assert profile["share"].sum() == pytest.approx(1.0)
    empty = profile.loc["champions"]
    assert (
        empty["customers"] == 0
        and empty["revenue"] == 0
        and empty["revenue_per_customer_per_year"] == 0
    )
    assert np.isnan(empty["mean_recency_days"])


def test_segment_profile_with_given_revenue_per_customer(small_rfm):
    given = pd.Series(10.0, index=small_rfm.index[::-1])  # order does not matter
    profile = segment_profile(small_rfm, revenue_per_customer=given)
    assert profile.loc["at_risk", "yearly_revenue"] == 40.0
    assert profile.loc["at_risk", "revenue_per_customer_per_year"] == 10.0
    with pytest.raises(ValueError, match="misses 1 customers"):
        segment_profile(small_rfm, revenue_per_customer=given.iloc[1:])


def test_move_customers_known_answer(small_rfm):
    profile = segment_profile(small_rfm)
    # 50% of 4 at_risk customers = 2 move to loyal: 2 x (900 - 300) = +1200 a year.
    # Yearly revenue before: 1200 + 1800 + 0 = 3000.
    move = move_customers(profile, "at_risk", "loyal", 0.5)
    assert move.customers_moved == 2
    assert move.revenue_change == 1200.0
    assert (move.revenue_before, move.revenue_after) == (3000.0, 4200.0)
    assert (move.revenue_per_customer_from, move.revenue_per_customer_to) == (300.0, 900.0)
    assert move.problem is None
    # Downgrades cost money: 1 of 2 loyal customers (50%) to lost: 1 x (0 - 900).
    assert move_customers(profile, "loyal", "lost", 0.5).revenue_change == -900.0


@pytest.mark.parametrize(("share", "moved"), [(0.0, 0), (0.1, 0), (0.125, 1), (0.3, 1), (1.0, 4)])
def test_move_rounds_to_whole_customers(small_rfm, share, moved):
    # share x 4 customers, halves rounded up: 0.4 -> 0, 0.5 -> 1, 1.2 -> 1.
    assert (
        move_customers(segment_profile(small_rfm), "at_risk", "loyal", share).customers_moved
        == moved
    )


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("champions", "loyal", "segmentation.move_empty_source"),
        ("at_risk", "at_risk", "segmentation.move_same_segment"),
        ("at_risk", "champions", "segmentation.move_empty_target"),
    ],
    ids=["empty-source", "same-segment", "empty-target"],
)
def test_move_messages(small_rfm, source, target, message):
    move = move_customers(segment_profile(small_rfm), source, target, 0.5)
    assert move.problem == Problem(message, {}, "info")
    assert move.revenue_change == 0.0 and move.revenue_after == move.revenue_before


def test_move_contract_errors(small_rfm):
    profile = segment_profile(small_rfm)
    with pytest.raises(ValueError, match="Unknown segment"):
        move_customers(profile, "vip", "loyal", 0.1)
    with pytest.raises(ValueError, match="share must be between 0 and 1"):
        move_customers(profile, "at_risk", "loyal", 1.5)


# ---------------------------------------------------------------------------
# Lifecycle
# ---------------------------------------------------------------------------


def gap_orders(gaps: list[int]) -> pd.DataFrame:
    """One customer per gap: orders on 2024-01-01 and `gap` days later."""
    rows = []
    for i, gap in enumerate(gaps):
        start = pd.Timestamp("2024-01-01")
        rows += [
            (f"g{i}", str(start.date()), 5.0),
            (f"g{i}", str((start + pd.Timedelta(days=gap)).date()), 5.0),
        ]
    return make_orders(rows)


def test_lifecycle_thresholds_known_answer():
    # Gaps 1..40, plus a second order on a customer's first day (same day: no gap).
    orders = pd.concat(
        [gap_orders(list(range(1, 41))), make_orders([("g0", "2024-01-01 15:00", 1.0)])]
    )
    thresholds = lifecycle_thresholds(orders)
    # One gap per customer, so equal weights: the inverted empirical CDF of 1..40 is the
    # smallest gap g with g/40 >= p. 80th: 32 (32/40 = 0.8); 95th: 38 (38/40 = 0.95).
    assert thresholds == LifecycleThresholds(active_days=32, churn_days=38, n_gaps=40)
    assert thresholds.problem is None
    custom = lifecycle_thresholds(orders, active_percentile=0.5, churn_percentile=0.9)
    # 50th: 20 (20/40); 90th: 36 (36/40).
    assert (custom.active_days, custom.churn_days) == (20, 36)


def test_lifecycle_thresholds_count_each_customer_once():
    # 40 customers with one gap each (1..40 days) and one heavy buyer with 200 gaps of
    # 2 days. Weighted per customer, the heavy buyer is one customer of 41 (weight 1/41
    # on the gap 2), so the 80th percentile is the smallest g with weight >= 0.8:
    # gaps 1..32 carry 32/41 = 0.780, adding the heavy buyer's 2 makes 33/41 = 0.805 at
    # g = 32. Unweighted, 200 of 240 gaps would be 2 days and the 80th percentile 2.
    heavy = make_orders(
        [
            ("heavy", str((pd.Timestamp("2024-01-01") + pd.Timedelta(days=2 * i)).date()), 5.0)
            for i in range(201)
        ]
    )
    orders = pd.concat([gap_orders(list(range(1, 41))), heavy])
    thresholds = lifecycle_thresholds(orders)
    assert thresholds.n_gaps == 240
    assert thresholds.active_days == 32


def test_lifecycle_thresholds_fall_back_with_few_gaps():
    thresholds = lifecycle_thresholds(gap_orders(list(range(1, 30))))  # 29 gaps
    assert thresholds == LifecycleThresholds(90, 180, 29)
    # The defaults and the minimum in the text are core's constants, passed as parameters.
    assert thresholds.problem == Problem(
        "segmentation.lifecycle_default_thresholds",
        {"minimum": 30, "active": 90, "churn": 180},
        "info",
    )
    # The reading takes no part in equality or hashing (thresholds are cache keys).
    assert hash(thresholds) == hash(LifecycleThresholds(90, 180, 29))
    assert lifecycle_thresholds(gap_orders(list(range(1, 31)))).problem is None  # 30 gaps
    with pytest.raises(ValueError, match="percentiles"):
        lifecycle_thresholds(gap_orders([1]), active_percentile=0.9, churn_percentile=0.8)


STAGE_ROWS = [
    ("new", "2024-06-10", 1.0),  # first order 20 days before Jun 30
    ("new_edge", "2024-05-31", 1.0),  # first order exactly 30 days before: still new
    ("back", "2024-01-02", 1.0),
    ("back", "2024-06-20", 1.0),  # gap 29 + 29 + 31 + 30 + 31 + 20 = 170 > 90 days
    ("back_twice", "2024-01-02", 1.0),
    ("back_twice", "2024-06-10", 1.0),  # came back after 160 days, 20 days ago ...
    ("back_twice", "2024-06-25", 1.0),  # ... and bought again: still reactivated
    ("active", "2024-05-01", 1.0),
    ("active", "2024-06-15", 1.0),  # recency 15
    ("active_edge", "2024-04-01", 1.0),
    ("active_edge", "2024-05-31", 1.0),  # recency exactly 30
    ("old_return", "2023-06-01", 1.0),
    ("old_return", "2024-01-01", 1.0),
    ("old_return", "2024-05-20", 1.0),  # came back 41 days ago: outside the 30-day window
    ("old_return", "2024-06-20", 1.0),  # gap 31: an ordinary repeat purchase -> active
    ("risk", "2024-03-01", 1.0),
    ("risk", "2024-05-01", 1.0),  # recency 60
    ("risk_edge", "2024-02-01", 1.0),
    ("risk_edge", "2024-04-01", 1.0),  # recency 29 + 31 + 30 = 90
    ("gone", "2024-01-15", 1.0),
    ("gone_edge", "2024-02-01", 1.0),
    ("gone_edge", "2024-03-31", 1.0),  # recency 91
    ("later", "2024-07-05", 1.0),  # after as_of: not a customer yet
]


def test_lifecycle_stages_known_answer():
    thresholds = LifecycleThresholds(active_days=30, churn_days=90)
    stages = lifecycle_stages(make_orders(STAGE_ROWS), thresholds, as_of="2024-06-30")
    assert stages.name == "lifecycle_stage"
    assert list(stages.cat.categories) == list(STAGES)
    assert stages.astype(str).to_dict() == {
        "new": "new",
        "new_edge": "new",
        "back": "reactivated",
        "back_twice": "reactivated",
        "active": "active",
        "active_edge": "active",
        "old_return": "active",
        "risk": "at_risk",
        "risk_edge": "at_risk",
        "gone": "churned",
        "gone_edge": "churned",
    }


def test_lifecycle_stages_refuse_inconsistent_thresholds():
    with pytest.raises(ValueError, match="active_days <= churn_days"):
        lifecycle_stages(make_orders(STAGE_ROWS), LifecycleThresholds(60, 30))


def test_lifecycle_by_month_known_answer():
    # Thresholds 30 / 60 days; data ends Apr 20, so April is evaluated on Apr 20.
    # p: Jan 31 new (first order 16 days old); Feb 29 at_risk (recency 45);
    #    Mar 31 churned (76); Apr 20 reactivated (bought after 16 + 29 + 31 + 20 = 96 days).
    # q: Jan 31 not yet a customer; Feb 29 new (19 days); Mar 31 at_risk (50);
    #    Apr 20 churned (19 + 31 + 20 = 70).
    orders = make_orders(
        [("p", "2024-01-15", 5.0), ("q", "2024-02-10", 5.0), ("p", "2024-04-20", 5.0)]
    )
    monthly = lifecycle_by_month(orders, LifecycleThresholds(30, 60))
    table = monthly.pivot(index="month", columns="stage", values="customers")
    assert table.index.strftime("%Y-%m").tolist() == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert table[list(STAGES)].values.tolist() == [
        [1, 0, 0, 0, 0],  # new, reactivated, active, at_risk, churned
        [1, 0, 0, 1, 0],
        [0, 0, 0, 1, 1],
        [0, 1, 0, 0, 1],
    ]
    assert monthly.columns.tolist() == ["month", "stage", "customers"]


def test_lifecycle_by_month_agrees_with_stages_at_each_month_end(demo_orders):
    thresholds = LifecycleThresholds(30, 90)
    monthly = lifecycle_by_month(demo_orders, thresholds)
    first_month = (
        demo_orders.groupby("customer_id", observed=True)["order_date"].min().dt.to_period("M")
    )
    for month, group in monthly.groupby("month"):
        acquired = int((first_month <= pd.Period(month, "M")).sum())
        assert group["customers"].sum() == acquired
    last_day = demo_orders["order_date"].max().normalize()
    for month_end in (pd.Timestamp("2024-09-30"), pd.Timestamp("2025-06-30"), last_day):
        expected = lifecycle_stages(demo_orders, thresholds, as_of=month_end).value_counts()
        counts = monthly[monthly["month"] == month_end.to_period("M").to_timestamp()]
        assert counts.set_index("stage")["customers"].to_dict() == expected.to_dict()


# ---------------------------------------------------------------------------
# Demo data
# ---------------------------------------------------------------------------


def test_demo_data_segments(demo_orders):
    result = rfm_table(demo_orders)
    assert result.problems == ()
    table = result.table
    assert len(table) == 5_000
    assert table["rfm_segment"].notna().all()
    # Every one-time buyer scores F=1 (the tie rule keeps them together) ...
    assert table.loc[table["frequency"] == 1, "f_score"].eq(1).all()
    assert table.loc[table["frequency"] > 1, "f_score"].gt(1).all()
    profile = segment_profile(table)
    # ... and all 11 segments hold customers on the demo data.
    assert profile["customers"].gt(0).all()
    assert profile["customers"].sum() == 5_000
    assert profile["share"].sum() == pytest.approx(1.0)
    assert profile["revenue_share"].sum() == pytest.approx(1.0)
    assert profile["revenue"].sum() == pytest.approx(demo_orders["amount"].sum())
    # Champions are worth more a year than the lost, who bought nothing in the last year.
    assert (
        profile.loc["champions", "revenue_per_customer_per_year"]
        > profile.loc["at_risk", "revenue_per_customer_per_year"]
    )
    assert profile.loc["lost", "yearly_revenue"] == 0.0


def test_demo_data_lifecycle(demo_orders):
    thresholds = lifecycle_thresholds(demo_orders)
    assert thresholds.problem is None and thresholds.n_gaps > 1_000
    assert 1 <= thresholds.active_days < thresholds.churn_days
    stages = lifecycle_stages(demo_orders, thresholds)
    assert len(stages) == 5_000
    assert set(stages.astype(str)) == set(STAGES)


def test_lifecycle_by_month_in_blocks_of_customers_gives_the_same_counts(demo_orders, monkeypatch):
    # Regression guard for the bounded-memory path: 1,000 cells a block = 41 customers
    # over 24 months, so 5,000 customers take 122 blocks.
    thresholds = LifecycleThresholds(30, 90)
    whole = lifecycle_by_month(demo_orders, thresholds)
    monkeypatch.setattr("core.segmentation._BLOCK_CELLS", 1_000)
    pd.testing.assert_frame_equal(lifecycle_by_month(demo_orders, thresholds), whole)


def test_segment_profile_accepts_segment_names_as_text(small_rfm):
    as_text = small_rfm.assign(rfm_segment=small_rfm["rfm_segment"].astype(str))
    pd.testing.assert_frame_equal(segment_profile(as_text), segment_profile(small_rfm))
    with pytest.raises(ValueError, match="not segment keys"):
        segment_profile(small_rfm.assign(rfm_segment="vip"))


def test_rows_without_customer_or_date_are_not_counted():
    orders = make_orders(RFM_ROWS)
    orders.loc[len(orders)] = [None, pd.Timestamp("2024-03-31"), 99.0]
    orders.loc[len(orders)] = ["a", pd.NaT, 99.0]
    table = rfm_table(orders).table
    assert len(table) == 5 and table.loc["a", "frequency"] == 3
    assert table.loc["a", "revenue"] == 180.0


# ---------------------------------------------------------------------------
# Chart and breakdown tables
# ---------------------------------------------------------------------------


def test_rf_cells_counts_every_cell_and_names_its_segment():
    # Three customers in R5F5, one in R1F1; the other 23 cells are present with 0.
    rfm = pd.DataFrame({"r_score": [5, 5, 5, 1], "f_score": [5, 5, 5, 1]})
    cells = rf_cells(rfm).set_index(["r_score", "f_score"])
    assert len(cells) == 25
    assert cells.loc[(5, 5), "customers"] == 3
    assert cells.loc[(1, 1), "customers"] == 1
    assert cells["customers"].sum() == 4
    assert cells.loc[(5, 5), "segment"] == "champions"
    assert cells.loc[(1, 1), "segment"] == "lost"


def test_group_mix_known_answer():
    # North: a, b champions, c lost -> 2/3 and 1/3; South: d lost -> 1; e has no region -> "unknown".
    groups = pd.Series(["champions", "champions", "lost", "lost", "lost"], index=list("abcde"))
    region = pd.Series(["North", "North", "North", "South"], index=list("abcd"))
    mix = group_mix(groups, region).set_index(["value", "group"])
    assert mix.loc[("North", "champions"), "customers"] == 2
    assert mix.loc[("North", "champions"), "share"] == pytest.approx(2 / 3)
    assert mix.loc[("North", "lost"), "share"] == pytest.approx(1 / 3)
    assert mix.loc[("South", "lost"), "share"] == 1.0
    assert mix.loc[("unknown", "lost"), "customers"] == 1
    assert mix["customers"].sum() == 5


def test_group_mix_pools_rare_values_as_other():
    # Values beyond the `top` most frequent are pooled, so a chart stays readable.
    groups = pd.Series(["x"] * 6, index=range(6))
    city = pd.Series(["A", "A", "A", "B", "B", "C"], index=range(6))
    mix = group_mix(groups, city, top=2).set_index("value")
    assert mix["customers"].to_dict() == {"A": 3, "B": 2, "other": 1}
