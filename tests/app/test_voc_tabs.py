"""Each part of the Voice of the customer page called alone with its inputs (ui/pages/voc_*).

The scripts build the inputs the page builds (the session's demo feedback, or a small
uploaded file) and call one tab function; the numbers themselves are checked in
tests/core/test_voc_views.py.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.i18n import t


def _run(script, *args) -> AppTest:
    at = AppTest.from_function(script, args=args, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _headline_and_scores(lang: str) -> None:
    import streamlit as st

    from ui.pages.voc_parts import feedback_data, voc_data
    from ui.pages.voc_scores import headline, scores_tab

    st.session_state["lang"] = lang
    data = voc_data(feedback_data(), "auto")
    headline(data)
    scores_tab(data)


def test_headline_and_scores_tab_on_the_demo():
    at = _run(_headline_and_scores, "en")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Net Promoter Score"] == "+28" and metrics["Average rating"] == "4.08"
    assert at.radio(key="voc_score_kind").options == ["NPS answer (0–10)", "Rating (1–5)"]
    by = at.selectbox(key="voc_breakdown_by")
    assert "Customer segment (RFM)" in by.options
    # The breakdown's note names the thresholds core uses (MIN_GROUP 20, MIN_RESPONSES 10).
    assert t("voc.breakdown_help", "en", pooled=20, hidden=10) in [c.value for c in at.caption]
    by.set_value("rfm_segment").run()
    at.radio(key="voc_score_kind").set_value("rating").run()
    assert not at.exception


def test_scores_tab_in_chinese():
    at = _run(_headline_and_scores, "zh")
    assert {"净推荐值（NPS）", "平均星级"} <= {m.label for m in at.metric}
    assert t("voc.breakdown_help", "zh", pooled=20, hidden=10) in [c.value for c in at.caption]


def _sentiment(chosen: str) -> None:
    from ui.pages.voc_parts import feedback_data, voc_data
    from ui.pages.voc_text import sentiment_controls, sentiment_tab

    source = feedback_data()
    picked = sentiment_controls(source.base, source.check)
    sentiment_tab(voc_data(source, picked if chosen == "radio" else chosen))


def test_sentiment_tab_shows_both_accuracies_and_the_method_used():
    at = _run(_sentiment, "radio")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["No-label accuracy"] == "83.4%" and metrics["In-domain accuracy"] == "96.6%"
    captions = [c.value for c in at.caption]
    assert "Sentiment shown on this page: model trained on your own comments." in captions
    assert any(c.startswith("Average sentiment by NPS group: Promoters") for c in captions)
    at.radio(key="voc_method").set_value("lexicon").run()
    assert "Sentiment shown on this page: no-label word lists." in [c.value for c in at.caption]


def _topics_and_examples(saved_name: str) -> None:
    import streamlit as st

    from ui.pages.voc_parts import feedback_data, topic_view_of, topics_of, voc_data
    from ui.pages.voc_text import NAMES, examples_panel, topic_controls, topics_tab

    data = voc_data(feedback_data(), "auto")
    topics = topics_of(data, topic_controls(data.base))
    if saved_name:
        st.session_state.setdefault(NAMES, {})[(data.fp, topics.k)] = {1: saved_name}
    view = topic_view_of(data, topics)
    names = topics_tab(data, topics, view)
    examples_panel(data, topics, view, names, True)


def test_topics_tab_uses_saved_names_and_opens_examples_on_the_least_happy_topic():
    at = _run(_topics_and_examples, "Late deliveries")
    table = next(d.value for d in at.dataframe if "terms" in d.value.columns)
    assert len(table) == 9 and table["name"].iloc[1] == "Late deliveries"
    pick = at.selectbox(key="voc_example_topic")
    assert pick.value == 1 and pick.options[1] == "Late deliveries"
    at.slider(key="voc_k").set_value(6).run()
    assert len(next(d.value for d in at.dataframe if "terms" in d.value.columns)) == 6


def _drivers() -> None:
    from ui.pages.voc_drivers import driver_controls, drivers_tab
    from ui.pages.voc_parts import drivers_of, feedback_data, topics_of, voc_data
    from ui.pages.voc_text import topic_controls

    data = voc_data(feedback_data(), "auto")
    topics = topics_of(data, topic_controls(data.base))
    target = driver_controls(data.base, topics)
    names = tuple(topics.terms["label"])
    drivers_tab(data.fp, topics, drivers_of(data, topics, target), names)


def test_drivers_tab_and_what_if_on_the_demo():
    at = _run(_drivers)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["NPS today"] == "+28.4" and metrics["Expected after the fix"] == "+43.4"
    assert metrics["Customers affected"] == "541"
    table = next(d.value for d in at.dataframe if "p" in d.value.columns)
    assert table["reading"].iloc[0] == "Pulls the score down"
    at.slider(key="voc_whatif_share").set_value(50).run()
    assert {m.label: m.value for m in at.metric}["Customers affected"] == "270"
    at.radio(key="voc_target").set_value("detractor").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Detractors today"] == "22.8%" and metrics["Expected after the fix"] == "17.8%"


def _comments() -> None:
    from ui.pages.voc_comments import comment_filters, comments_tab
    from ui.pages.voc_parts import feedback_data, topics_of, voc_data

    data = voc_data(feedback_data(), "auto")
    topics = topics_of(data, 9)
    names = tuple(topics.terms["label"])
    wanted, masked = comment_filters(data, topics, names)
    comments_tab(data, topics, wanted, masked, names)


def test_comments_tab_filters_and_masks():
    at = _run(_comments)
    captions = [c.value for c in at.caption]
    assert "2,676 of 3,000 responses." in captions
    assert "28 comments contain an e-mail address or a phone number." in captions
    at.text_input(key="voc_filter_keyword").set_value("example.com").run()
    shown = next(d.value for d in at.dataframe if "Comment" in d.value.columns)
    assert 0 < len(shown) < 100 and shown["Comment"].str.contains("[email]", regex=False).all()
    at.toggle(key="voc_mask").set_value(False).run()
    shown = next(d.value for d in at.dataframe if "Comment" in d.value.columns)
    assert shown["Comment"].str.contains("@example.com").all()


def _few_comments() -> None:
    import streamlit as st

    from core.ingest import ingest_file
    from ui.pages.voc_parts import feedback_data
    from ui.state import LoadedTable

    csv = b"comment,rating\nGreat coffee,5\nLate parcel,1\n"
    result = ingest_file(csv, "two.csv", "feedback")
    st.session_state["tables"] = {
        "feedback": LoadedTable("feedback", result.table, result.report, result.fingerprint, "x")
    }
    feedback_data()


def test_few_comments_say_the_threshold_core_uses():
    at = _run(_few_comments)
    # MIN_TEXTS (core.voc.language) is 20: the note says so through its param.
    assert t("voc.few_texts", "en", minimum=20) in [i.value for i in at.info]
    assert "at least 20 comments" in t("voc.few_texts", "en", minimum=20)
