"""The Segmentation page through AppTest: demo data, feature and k choices, thin data.

The numbers are checked in tests/core/test_segmentation.py and test_clustering.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from core.i18n import EN, t
from core.ingest import IngestResult, build_table, guess_mapping, read_raw
from tests.app.apptest import open_page
from ui.state import LoadedTable

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/segmentation.py"


def _page(lang: str = "en", tables: dict | None = None) -> AppTest:
    at = open_page(PAGE, lang, tables)
    return at


def _cluster_rows(at: AppTest) -> list[str]:
    frame = next(
        d.value for d in at.dataframe if {"cluster", "revenue_share"} <= set(d.value.columns)
    )
    return frame["cluster"].tolist()


def test_segmentation_page_shows_segments_clusters_and_stages_on_the_demo():
    at = _page()
    labels = {m.label for m in at.metric}
    assert {"New", "Active", "Churned"} <= labels
    segment_table = next(
        d.value
        for d in at.dataframe
        if "what" in d.value.columns
        and "action" in d.value.columns
        and "segment" in d.value.columns
    )
    assert len(segment_table) == 11
    assert segment_table["customers"].sum() == 5000
    assert "Champions" in segment_table["segment"].tolist()
    assert len(_cluster_rows(at)) >= 3  # at least two clusters plus the average row


def test_changing_features_and_k_updates_the_cluster_profiles():
    at = _page()
    before = _cluster_rows(at)
    at.selectbox(key="seg_k").set_value(4).run()
    assert not at.exception
    after = _cluster_rows(at)
    assert len(after) == 5  # four clusters and the average row
    at.multiselect(key="seg_features").set_value(
        ["frequency", "monetary", "average_order_value"]
    ).run()
    assert not at.exception
    assert _cluster_rows(at) != after
    assert before != after


def test_an_empty_feature_selection_gives_a_clear_message():
    at = _page()
    at.multiselect(key="seg_features").set_value([]).run()
    assert not at.exception
    assert any(e.value == EN["clustering.no_columns"] for e in at.error)


def _loaded(csv: str) -> dict:
    raw = read_raw(csv.encode(), "few.csv")
    result: IngestResult = build_table(
        raw, "transactions", guess_mapping(raw.frame, "transactions").columns
    )
    return {
        "transactions": LoadedTable(
            "transactions", result.table, result.report, result.fingerprint, "few.csv"
        )
    }


def test_too_little_data_gives_messages_not_errors():
    # Five customers who each bought once: too few customers, no repeat buyers.
    rows = "".join(f"C{i},2024-03-0{i + 1},{10 + i}\n" for i in range(5))
    at = _page(tables=_loaded("customer_id,order_date,amount\n" + rows))
    warnings = [w.value for w in at.warning]
    # The threshold in the text is core's constant (MIN_CUSTOMERS = 10).
    assert "Fewer than 10 customers: scores by fifths say little. Load more data." in warnings
    assert t("segmentation.too_few_customers", "en", minimum=10) in warnings
    assert EN["segmentation.no_repeat_buyers"] in warnings
    errors = [e.value for e in at.error]
    assert any(e.startswith("Clustering needs at least 20 customers") for e in errors)


def test_segmentation_page_in_chinese():
    at = _page("zh")
    assert at.title[0].value == "客户分群"
    assert {"新客", "活跃", "已流失"} <= {m.label for m in at.metric}
    assert pd.Series([d.value.shape[0] for d in at.dataframe]).gt(0).all()
