"""The Voice of the customer page through AppTest: demo data in both languages, widgets,
uploaded review files in each language, thin and score-only data.

The numbers are checked in tests/core/test_voc*.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from core.i18n.en import MESSAGES as EN
from core.ingest import build_table, guess_mapping, read_raw
from tests.app.apptest import open_page
from ui.state import LoadedTable

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/voc.py"
DATA = ROOT / "tests" / "core" / "data" / "voc"


def _page(lang: str = "en", tables: dict | None = None) -> AppTest:
    at = open_page(PAGE, lang, tables)
    assert not at.error
    return at


def _feedback(csv: str, name: str = "reviews.csv") -> dict:
    raw = read_raw(csv.encode(), name)
    result = build_table(raw, "feedback", guess_mapping(raw.frame, "feedback").columns)
    assert result.table is not None
    return {
        "feedback": LoadedTable("feedback", result.table, result.report, result.fingerprint, name)
    }


def _frame_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_demo_feedback_tells_the_story_in_english():
    at = _page()
    labels = {m.label: m.value for m in at.metric}
    assert labels["Net Promoter Score"] == "+28"
    text = " ".join(m.value for m in at.markdown)
    assert "The biggest drag is" in text
    assert "late" in text  # the delivery topic is named by its words (arrived · late · ...)
    assert "The lowest months were" in text
    assert "2025-01" in text or "2024-12" in text or "2025-12" in text
    # Changing the number of topics changes the topic table.
    names = _frame_with(at, "terms")
    at.slider(key="voc_k").set_value(6).run()
    assert not at.exception
    assert len(_frame_with(at, "terms")) == 6 != len(names)
    # The verbatims filter: a keyword narrows the list; masking hides the demo e-mails.
    at.text_input(key="voc_filter_keyword").set_value("example.com").run()
    comments = _frame_with(at, "Comment")
    assert 0 < len(comments) < 100
    assert comments["Comment"].str.contains("[email]", regex=False).all()
    at.toggle(key="voc_mask").set_value(False).run()
    assert _frame_with(at, "Comment")["Comment"].str.contains("@example.com").all()


def test_driver_target_what_if_and_customer_breakdowns_react():
    at = _page()
    # Feedback links to customers and transactions: attributes and RFM segments are offered.
    by = at.selectbox(key="voc_breakdown_by")
    assert {"Feedback channel", "Customer segment (RFM)", "Customer: Region"} <= set(by.options)
    by.set_value("rfm_segment").run()
    assert not at.exception
    at.radio(key="voc_target").set_value("detractor").run()
    assert not at.exception
    assert any(m.label == "Detractors today" for m in at.metric)
    at.slider(key="voc_whatif_share").set_value(50).run()
    assert not at.exception


def test_demo_feedback_in_chinese():
    at = _page("zh")
    assert at.title[0].value == "客户之声"
    assert {"净推荐值（NPS）", "平均情感"} <= {m.label for m in at.metric}
    assert "拖累最大的是" in " ".join(m.value for m in at.markdown)


def test_uploaded_english_reviews_without_scores():
    at = _page(tables=_feedback((DATA / "reviews_en.csv").read_text(encoding="utf-8")))
    infos = " ".join(i.value for i in at.info)
    assert EN["voc.no_scores"] in infos
    assert "All comments are in one language" in infos
    assert len(_frame_with(at, "terms")) >= 3


def test_uploaded_chinese_reviews_with_ratings_train_the_in_domain_model():
    at = _page("zh", tables=_feedback((DATA / "reviews_zh.csv").read_text(encoding="utf-8")))
    labels = {m.label for m in at.metric}
    assert "基于您数据的模型准确率" in labels
    assert "平均星级" in labels


def test_scores_only_and_tiny_files_give_messages():
    rows = "".join(f"2025-01-{d:02d},{d % 11}\n" for d in range(1, 29))
    at = _page(tables=_feedback("date,nps\n" + rows, "scores.csv"))
    assert EN["voc.no_text"] in [i.value for i in at.info]
    assert any(m.label == "Net Promoter Score" for m in at.metric)
    at = _page(tables=_feedback("comment,rating\nGreat coffee,5\nLate parcel,1\n", "two.csv"))
    assert any(i.value.startswith("Only a few rows carry a comment") for i in at.info)


def test_renamed_topics_are_used_across_the_page():
    # A name typed in the topic table is kept in session_state["voc_topic_names"] under the
    # data's fingerprint and the number of topics; the reading and the drivers use it.
    from core.ingest import ingest_file
    from core.voc.topics import DEFAULT_TOPICS

    path = ROOT / "sample_data" / "feedback.csv"
    fingerprint = ingest_file(path.read_bytes(), path.name, "feedback").fingerprint
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["voc_topic_names"] = {
        (fingerprint, DEFAULT_TOPICS): {i: f"Theme number {i}" for i in range(DEFAULT_TOPICS)}
    }
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "The biggest drag is **Theme number" in " ".join(m.value for m in at.markdown)
    names = _frame_with(at, "terms")["name"].tolist()
    assert names == [f"Theme number {i}" for i in range(DEFAULT_TOPICS)]
