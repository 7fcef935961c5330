"""The Voice of the customer page through AppTest: demo data in both languages, widgets,
uploaded review files in each language, thin and score-only data.

The numbers are checked in tests/core/test_voc*.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from core.i18n import EN
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
    # Ratings but no label: the rating-derived target, with the same baseline and balanced accuracy.
    text = " ".join(m.value for m in at.markdown)
    assert text.count("条带评分的评论中（按评分分为满意或不满意）") == 2
    assert text.count("如果总是猜") == 2 and text.count("平衡准确率为") == 2


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


def _labelled_csv() -> str:
    """A user's labelled reviews: header label,review, no customer ID, no rating; labels
    written 1/0 and positive/negative; English and Chinese comments shipped in
    tests/core/data/voc, with half the positives repeated so that "positive" is the
    majority (72 of 120)."""
    frames = [pd.read_csv(DATA / f"{lang}_labelled.csv") for lang in ("en", "zh")]
    both = pd.concat(frames, ignore_index=True)
    both = pd.concat([both, both[both["label"] == 1].iloc[::2]], ignore_index=True)
    words = both["label"].map({1: "positive", 0: "negative"}).where(both.index % 2 == 0)
    labels = words.fillna(both["label"].astype(str))
    rows = [f'{label},"{text}"' for label, text in zip(labels, both["text"], strict=True)]
    return "label,review\n" + "\n".join(rows) + "\n"


def _lines(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def test_labelled_reviews_show_both_accuracies_against_the_baseline():
    tables = _feedback(_labelled_csv(), "labelled.csv")
    assert {"text", "sentiment_label"} == set(tables["feedback"].table.columns)
    at = _page(tables=tables)
    assert EN["voc.no_scores_labelled"] in [i.value for i in at.info]
    metrics = {m.label: m.value for m in at.metric}
    assert {"No-label accuracy", "In-domain accuracy"} <= set(metrics)
    assert metrics["Labelled comments"] == "120"
    text = _lines(at)
    # One sentence per method, each with the 60% baseline (72 of 120 are positive).
    assert text.count("of the 120 labelled comments are called right") == 2
    assert text.count("always guessing “positive” would be right on 60.0%") == 2
    assert text.count("Balanced accuracy") == 2
    assert "the no-label word lists" in text and "the model trained on your own" in text
    for value in (metrics["No-label accuracy"], metrics["In-domain accuracy"]):
        assert f"**{value}**" in text
    assert "nan" not in text.lower() and "inf" not in text.lower()


def test_labelled_reviews_in_chinese():
    at = _page("zh", tables=_feedback(_labelled_csv(), "labelled.csv"))
    assert {"无需标注方法的准确率", "基于您数据的模型准确率"} <= {m.label for m in at.metric}
    text = _lines(at)
    assert text.count("如果总是猜“正面”，会对 60.0%") == 2
    assert text.count("平衡准确率为") == 2


def _all_fives() -> dict:
    frame = pd.read_csv(DATA / "en_labelled.csv")
    rows = [f'"{text}",5' for text in frame["text"]]
    return _feedback("comment,rating\n" + "\n".join(rows) + "\n", "fives.csv")


def test_every_rating_five_says_there_is_nothing_to_explain():
    at = _page(tables=_all_fives())
    text = _lines(at)
    message = "Every one of the 48 scored comments has the same rating (5)"
    assert message in text
    assert "biggest drag" not in text and "pulls the score down" not in text.lower()
    assert any(i.value.startswith(message) for i in at.info)  # the key drivers tab
    assert not [d for d in at.dataframe if "p" in d.value.columns]  # no driver table
    # The ratings (all happy) cannot train a model either: said, with no accuracy shown.
    assert any(i.value.startswith("All 48 rated comments are happy") for i in at.info)
    assert "In-domain accuracy" not in {m.label for m in at.metric}
    assert "nan" not in text.lower() and "inf" not in text.lower()


def test_every_rating_five_in_chinese():
    at = _page("zh", tables=_all_fives())
    text = _lines(at)
    assert "全部 48 条带评分的评论星级都相同（5）" in text
    assert "拖累最大的是" not in text


def test_feedback_without_customer_ids_says_why_there_is_no_customer_breakdown():
    from ui.state import demo_tables

    # Rated reviews with dates and no customer ID, next to the demo's customers and orders.
    reviews = _feedback((DATA / "reviews_zh.csv").read_text(encoding="utf-8"))
    assert "customer_id" not in reviews["feedback"].table
    at = _page(tables={**demo_tables(), **reviews})
    assert EN["voc.no_customer_id"] in [c.value for c in at.caption]


def test_comment_filters_narrow_the_list():
    at = _page()
    total = len(_frame_with(at, "Comment"))
    at.multiselect(key="voc_filter_tone").set_value(["negative"]).run()
    negative = _frame_with(at, "Comment")
    assert 0 < len(negative) < total and set(negative["Tone"]) == {"Negative"}
    at.slider(key="voc_filter_score").set_value((0, 6)).run()
    detractors = _frame_with(at, "Comment")
    assert 0 < len(detractors) < len(negative)
    assert detractors["NPS answer (0–10)"].le(6).all()
    at.multiselect(key="voc_filter_topics").set_value([0, 1]).run()
    on_topics = _frame_with(at, "Comment")
    assert not at.exception and len(on_topics) < len(detractors)


def test_labelled_reviews_without_scores_get_drivers_of_negative_comments():
    # No NPS or rating, only the label: key drivers explain being labelled negative.
    # On these 120 comments the topic "app · 用 · checkout · broken" (11 comments) comes
    # with 34 percentage points more negatives (interval 3 to 65; tests/core/test_voc_negative.py
    # checks the regression itself by hand).
    at = _page(tables=_feedback(_labelled_csv(), "labelled.csv"))
    assert EN["voc.drivers_need"] not in [i.value for i in at.info]
    assert at.radio(key="voc_target").value == "negative"
    text = _lines(at)
    assert "The biggest source of negative comments is **app" in text
    assert "percentage points more likely** to be negative" in text
    assert "biggest drag" not in text
    table = _frame_with(at, "p")
    assert set(table["reading"]) <= {
        "More often negative",
        "Less often negative",
        "No clear effect",
    }
    assert table["reading"].iloc[0] == "More often negative"  # worst first
    metrics = {m.label: m.value for m in at.metric}
    # 48 of the 120 labelled comments are negative (72 positive).
    assert metrics["Negative comments today"] == "40.0%"
    after = float(metrics["Expected after the fix"].rstrip("%"))
    assert 0 < after < 40.0 and "Comments affected" in metrics
    assert any("share of negative comments from 40.0% to about" in c.value for c in at.caption)
    at.slider(key="voc_whatif_share").set_value(50).run()
    assert not at.exception
    assert "nan" not in _lines(at).lower() and "inf" not in _lines(at).lower()


def test_labelled_reviews_drivers_in_chinese():
    at = _page("zh", tables=_feedback(_labelled_csv(), "labelled.csv"))
    text = _lines(at)
    assert "负面评论最大的来源是 **app" in text and "个百分点**" in text
    assert "拖累最大的是" not in text
    assert {m.label: m.value for m in at.metric}["当前负面评论占比"] == "40.0%"
    assert {"更常为负面"} <= set(_frame_with(at, "p")["reading"])
