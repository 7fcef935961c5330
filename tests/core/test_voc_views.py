"""The Voice of the customer page's views (core.voc.views): what each part of the page shows.

Two kinds of known answers:
- On the demo feedback (sample_data/feedback.csv), the figures the page showed before its
  computations moved into these views (AppTest on the page at commit ce3c7c3, English):
  every number asserted below was read off that page, rounded as the page rounds it.
- On small hand-made tables, the decisions the page used to make itself (which method is
  shown, which topic to read first, which groups are drawn, which readings are said),
  with expected values worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.i18n import render
from core.ingest import ingest_file
from core.voc.comments import CommentFilter, topics_per_text
from core.voc.drivers import _first_of_each_pattern
from core.voc.scores import MIN_GROUP, MIN_RESPONSES, breakdown_scores
from core.voc.sentiment import InDomainResult
from core.voc.topics import DEFAULT_TOPICS, TopicResult, find_topics
from core.voc.views import (
    MIN_TREND_MONTHS,
    MonthScores,
    Percent,
    breakdown_options,
    breakdown_view,
    comment_list,
    driver_view,
    feedback_base,
    in_domain_check,
    localise,
    method_used,
    readings,
    score_view,
    sentiment_methods,
    sentiment_view,
    topic_names,
    topic_view,
)

ROOT = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------ the demo, as the page showed it
@pytest.fixture(scope="module")
def demo() -> dict:
    path = ROOT / "sample_data" / "feedback.csv"
    feedback = ingest_file(path.read_bytes(), path.name, "feedback").table
    base = feedback_base(feedback)
    check = in_domain_check(base)
    method = method_used(check, "auto")
    sentiment = sentiment_view(feedback, base, check, method)
    scores = score_view(feedback, base, sentiment)
    topics = find_topics(base.texts, DEFAULT_TOPICS, base.languages)
    return {
        "feedback": feedback,
        "base": base,
        "check": check,
        "sentiment": sentiment,
        "scores": scores,
        "topics": topics,
        "names": topic_names(topics, {}),
    }


def test_demo_headline_and_counts(demo):
    base, scores, sentiment = demo["base"], demo["scores"], demo["sentiment"]
    # Page before: "3,000 responses, 2,676 with a comment (2,260 English, 416 Chinese)."
    assert base.written == 2676 and (base.counts["en"], base.counts["zh"]) == (2260, 416)
    assert base.scores == ("nps", "rating") and base.primary == "nps" and base.scale == (0, 10)
    assert base.targets == ("nps", "rating", "detractor")
    # Metrics: NPS +28 (interval +25 to +31 from 3,000 answers), CSAT 76% of 3,000
    # ratings, average rating 4.08, average sentiment +0.33.
    assert f"{scores.nps.nps:+.0f}" == "+28" and scores.nps.n == 3000
    assert (f"{scores.nps.ci_low:+.0f}", f"{scores.nps.ci_high:+.0f}") == ("+25", "+31")
    assert (scores.csat.source, scores.csat.n, f"{scores.csat.share:.0%}") == (
        "rating",
        3000,
        "76%",
    )
    assert f"{scores.avg_rating:.2f}" == "4.08" and f"{sentiment.average:+.2f}" == "+0.33"
    assert scores.trend_metrics == ("nps", "avg_rating", "csat", "avg_sentiment")
    # "28 comments contain an e-mail address or a phone number."
    assert base.personal == 28
    assert base.date_range == (dt.date(2024, 7, 6), dt.date(2026, 6, 30))


def test_demo_sentiment_method_and_accuracy(demo):
    check, sentiment = demo["check"], demo["sentiment"]
    # "With the no-label word lists, 83.4% of the 1,971 rated comments ... 69.6%";
    # "With the model trained on your own comments, 96.6% ...": auto shows the model.
    assert check.checked == 1971 and f"{check.baseline:.1%}" == "69.6%"
    assert f"{check.lexicon_accuracy:.1%}" == "83.4%" and f"{check.accuracy:.1%}" == "96.6%"
    assert sentiment_methods(check) == ("auto", "lexicon", "in_domain")
    assert sentiment.method == "in_domain"
    # "Average sentiment by NPS group: Promoters (9–10) +0.92; Passives (7–8) +0.17;
    # Detractors (0–6) -0.83."
    assert [f"{v:+.2f}" for v in sentiment.by_group] == ["+0.92", "+0.17", "-0.83"]
    assert list(sentiment.by_group.index) == ["promoter", "passive", "detractor"]


def test_demo_readings_are_the_lines_the_page_said(demo):
    drivers = driver_view(demo["feedback"], demo["topics"], "nps")
    lines = readings(demo["scores"], demo["sentiment"], drivers, demo["names"])
    assert all(line.severity == "info" for line in lines)
    assert [render(line) for line in lines] == [
        "NPS is **+28** (95% interval +25 to +31): 51% of respondents are promoters and "
        "23% detractors.",
        "The lowest months were 2024-12 (+12), 2026-01 (+16), against +28 overall: look at "
        "what happened then (peak season, stock, couriers).",
        "The biggest drag is **arrived · delivery · late · parcel**: mentioned in 25% of "
        "comments, it goes with answers **3.1 points lower** on the 0–10 scale. Fix this first.",
        "What customers love most: **coffee · fresh · 新鲜 · 咖啡豆** (11% of comments, answers "
        "0.9 points higher). Say it in your marketing.",
        "32% of the comments are negative (sentiment by the model trained on your own comments).",
    ]


def test_demo_drivers_and_what_if(demo):
    from core.voc.drivers import resolve_topic

    feedback, topics = demo["feedback"], demo["topics"]
    drivers = driver_view(feedback, topics, "nps")
    # Caption: "The topics explain 0.39 of the variation (R²) in 2,171 scored comments."
    assert f"{drivers.result.r_squared:.2f}" == "0.39" and drivers.result.n == 2171
    # The table, worst first: delivery (-3.11, -3.33 … -2.89) first, coffee (+0.87) last.
    table = drivers.table
    assert table["topic"].tolist() == [1, 6, 7, 3, 2, 5, 8, 0, 4]
    assert f"{table['impact'].iloc[0]:+.2f}" == "-3.11"
    assert (f"{table['ci_low'].iloc[0]:+.2f}", f"{table['ci_high'].iloc[0]:+.2f}") == (
        "-3.33",
        "-2.89",
    )
    assert f"{table['frequency_pct'].iloc[0]:.1f}" == "24.9"
    assert drivers.pulling == (1, 6, 7, 3, 2, 5)
    # What if, delivery fixed for everyone: "for 541 customers would move NPS from +28.4
    # to about +43.4 (range +42.3 to +44.6)".
    result = resolve_topic(drivers.outcome, topics.presence, drivers.result, 1, 1.0)
    assert result.affected == 541
    shown = [
        f"{v:+.1f}" for v in (result.before, result.after, result.after_low, result.after_high)
    ]
    assert shown == ["+28.4", "+43.4", "+42.3", "+44.6"]
    # The detractor target, at half the customers: "Detractors today 22.8%", "17.8%
    # (17.5% to 18.2%)", 270 customers; "55.4 percentage points more likely".
    detractor = driver_view(feedback, topics, "detractor")
    assert f"{abs(detractor.drag.impact) * detractor.result.scale:.1f}" == "55.4"
    half = resolve_topic(detractor.outcome, topics.presence, detractor.result, 1, 0.5)
    assert [f"{v:.1f}" for v in (half.before, half.after, half.after_low, half.after_high)] == [
        "22.8",
        "17.8",
        "17.5",
        "18.2",
    ]
    assert half.affected == 270
    assert detractor.table["impact"].is_monotonic_decreasing  # worse_up: largest first


def test_demo_topics_table_and_first_topic_to_read(demo):
    view = topic_view(demo["feedback"], demo["base"], demo["topics"], demo["sentiment"])
    summary = view.summary
    # The topic table: "arrived · delivery · late · parcel" in 541 comments (24.9%),
    # sentiment -0.57, average NPS 5.48; the examples open on it (lowest average NPS).
    assert summary.loc[1, "terms"] == "arrived · delivery · late · parcel"
    assert summary.loc[1, "texts"] == 541 and f"{summary.loc[1, 'share_pct']:.1f}" == "24.9"
    assert f"{summary.loc[1, 'avg_sentiment']:+.2f}" == "-0.57"
    assert f"{summary.loc[1, 'avg_score']:.2f}" == "5.48"
    assert view.least_happy == 1
    table = view.table(demo["names"])
    assert list(table.columns) == [
        "topic",
        "terms",
        "name",
        "texts",
        "share",
        "avg_sentiment",
        "avg_score",
    ]
    assert table["topic"].tolist() == list(range(1, 10))


def test_demo_comment_list(demo):
    feedback, base, sentiment, topics = (
        demo["feedback"],
        demo["base"],
        demo["sentiment"],
        demo["topics"],
    )
    lists = topics_per_text(topics.presence, base.texts.index)
    wanted = CommentFilter(score_column="nps", scale=(0, 10), only_text=True)
    table = comment_list(feedback, base, sentiment, lists, wanted, True, demo["names"])
    # "2,676 of 3,000 responses." with "Only responses with a comment" on.
    assert len(table) == 2676
    assert list(table.columns) == [
        "date",
        "text",
        "tone",
        "sentiment",
        "topics",
        "nps",
        "rating",
        "channel",
        "customer_id",
        "language",
    ]
    # The fifth comment of the list, as the page showed it.
    row = table.loc[4]
    assert row["tone"] == "negative" and row["sentiment"] == -0.74 and row["language"] == "zh"
    assert row["topics"] == "service · customer · helpful · support / quality · tea · fair · price"
    # Masked by default: no e-mail address is left in the list.
    assert not table["text"].str.contains("@example.com", regex=False).any()
    unmasked = comment_list(feedback, base, sentiment, lists, wanted, False, demo["names"])
    assert unmasked["text"].str.contains("@example.com", regex=False).sum() > 0


# ------------------------------------------------------------------ decisions, by hand
def _check(model: bool, accuracy: float | None, lexicon: float | None) -> InDomainResult:
    return InDomainResult(
        100, accuracy=accuracy, lexicon_accuracy=lexicon, model=object() if model else None
    )


@pytest.mark.parametrize(
    ("check", "chosen", "expected"),
    [
        (None, "auto", "lexicon"),
        (_check(False, None, 0.8), "in_domain", "lexicon"),
        (_check(True, 0.9, 0.8), "auto", "in_domain"),
        (_check(True, 0.7, 0.8), "auto", "lexicon"),
        (_check(True, 0.8, 0.8), "auto", "lexicon"),  # a tie is not "better"
        (_check(True, 0.7, 0.8), "in_domain", "in_domain"),
        (_check(True, 0.9, 0.8), "lexicon", "lexicon"),
    ],
    ids=["no check", "no model", "auto better", "auto worse", "auto tie", "forced", "lexicon"],
)
def test_the_method_shown(check, chosen, expected):
    assert method_used(check, chosen) == expected


def test_methods_offered():
    assert sentiment_methods(None) == ("lexicon",)
    assert sentiment_methods(_check(False, None, 0.8)) == ("lexicon",)
    assert sentiment_methods(_check(True, 0.9, 0.8)) == ("auto", "lexicon", "in_domain")


def test_values_in_readings_are_written_as_the_page_writes_them():
    # fmt_share: 0 decimals, but small shares keep two significant digits.
    assert f"{Percent(0.514, 0)}" == "51%" and f"{Percent(0.0049, 0)}" == "0.49%"
    assert str(Percent(0.25)) == "25.0%"
    months = MonthScores(((pd.Timestamp("2024-12-01"), 12.4), (pd.Timestamp("2026-01-01"), 15.6)))
    assert f"{months}" == "2024-12 (+12), 2026-01 (+16)"


def _small_feedback() -> pd.DataFrame:
    # 60 answers over 3 months: NPS answers 10, 8, 3 in turn, ratings 5, 4, 2.
    nps = np.tile([10.0, 8.0, 3.0], 20)
    return pd.DataFrame(
        {
            "nps": nps,
            "rating": np.tile([5.0, 4.0, 2.0], 20),
            "date": pd.to_datetime(["2025-01-15", "2025-02-15", "2025-03-15"] * 20),
            "channel": ["app"] * 45 + ["mail"] * 9 + ["shop"] * 6,
        }
    )


def test_readings_without_comments_or_drivers():
    feedback = _small_feedback()
    base = feedback_base(feedback)
    assert not base.has_text and base.no_scores is None and not base.nothing_to_show
    sentiment = sentiment_view(feedback, base, None, "lexicon")
    scores = score_view(feedback, base, sentiment)
    lines = readings(scores, None, None, ())
    # One third promoters, one third detractors of 60: NPS 0, se = sqrt((1/3 + 1/3 - 0) / 60)
    # = 0.1054, interval 0 -/+ 1.96 x 10.54 = -21 .. +21 points; three months < MIN_TREND_MONTHS,
    # so no "lowest months" line; no comments: no sentiment line.
    assert len(scores.monthly) == 3 < MIN_TREND_MONTHS
    assert [line.key for line in lines] == ["voc.reading_nps"]
    assert render(lines[0]) == (
        "NPS is **+0** (95% interval -21 to +21): 33% of respondents are promoters and "
        "33% detractors."
    )


def test_breakdown_view_labels_values_once_and_keeps_the_pooling():
    feedback = _small_feedback()
    base = feedback_base(feedback)
    sentiment = sentiment_view(feedback, base, None, "lexicon")
    none = pd.DataFrame(index=feedback.index)
    assert breakdown_options(base, none) == ("channel",)
    calls = []

    def label(value: str) -> str:
        calls.append(value)
        return value.upper()

    view = breakdown_view(feedback, base, sentiment, none, "channel", label, "?", "OTHER")
    # One call per distinct channel, not per row; "mail" (9) and "shop" (6) have fewer
    # than MIN_GROUP answers and are pooled as "other" (15), which is drawn (>= 10).
    assert sorted(calls) == ["app", "mail", "shop"]
    assert MIN_GROUP == 20 and MIN_RESPONSES == 10
    assert view.table["group"].tolist() == ["APP", "OTHER"]
    assert view.table["responses"].tolist() == [45, 15]
    assert view.drawn["group"].tolist() == ["APP", "OTHER"]
    # The numbers are breakdown_scores' own.
    same = breakdown_scores(feedback, feedback["channel"].str.upper())
    pd.testing.assert_series_equal(view.table["nps"], same["nps"])
    assert view.metrics == ("nps", "avg_rating", "csat")


def test_least_happy_topic_and_names():
    # Three topics; topic 2 has the lowest average score, topic 1 has no score at all.
    presence = pd.DataFrame(
        {0: [True, True, False], 1: [False, False, False], 2: [False, True, True]}
    )
    terms = pd.DataFrame({"topic": [0, 1, 2], "label": ["a · b", "c", "d · e"], "terms": [[]] * 3})
    topics = TopicResult(3, terms, presence.astype(float), presence, 3, pd.DataFrame())
    feedback = pd.DataFrame({"rating": [5.0, 4.0, 1.0], "text": ["x", "y", "z"]})
    base = feedback_base(feedback)
    sentiment = sentiment_view(feedback, base, None, "lexicon")
    view = topic_view(feedback, base, topics, sentiment)
    # Averages: topic 0 (5 + 4) / 2 = 4.5, topic 1 none (NaN, ranked last), topic 2 2.5.
    assert view.summary["avg_score"].tolist()[0] == 4.5
    assert view.least_happy == 2
    assert topic_names(topics, {1: "Delivery", 2: ""}) == ("a · b", "Delivery", "d · e")


def test_duplicate_topics_are_dropped_as_pandas_drop_duplicates_did():
    rng = np.random.default_rng(7)
    x = pd.DataFrame(rng.random((300, 6)) < 0.3, columns=[3, 0, 5, 1, 4, 2]).astype(float)
    x[5] = x[3]  # a later topic repeating an earlier one
    x[2] = x[0]
    assert _first_of_each_pattern(x) == list(x.T.drop_duplicates().index) == [3, 0, 1, 4]
    assert _first_of_each_pattern(x.iloc[:, :0]) == []


def test_driver_view_with_a_problem_has_no_table():
    presence = pd.DataFrame({0: [True, False] * 10, 1: [False, True] * 10})
    feedback = pd.DataFrame({"nps": [5.0] * 20})
    topics = TopicResult(2, pd.DataFrame(), presence.astype(float), presence, 20, pd.DataFrame())
    view = driver_view(feedback, topics, "nps")
    assert view.result.problem.key == "voc.too_few_scored"
    assert view.result.problem.params == {"n": 20, "minimum": 30}
    assert view.table.empty and view.pulling == () and view.drag is None
    lines = readings(
        score_view(feedback, feedback_base(feedback), _lexicon(feedback)), None, view, ()
    )
    assert [line.key for line in lines] == ["voc.reading_nps", "voc.too_few_scored"]


def _lexicon(feedback: pd.DataFrame):
    return sentiment_view(feedback, feedback_base(feedback), None, "lexicon")


def test_localise_names_codes_and_columns():
    table = pd.DataFrame({"tone": ["negative", None, "positive"], "language": ["en", "zh", "en"]})
    shown = localise(
        table,
        {"tone": "Ton", "language": "Sprache"},
        {"tone": {"positive": "+", "negative": "-"}, "language": {"en": "EN", "zh": "ZH"}},
    )
    assert list(shown.columns) == ["Ton", "Sprache"]
    assert shown["Ton"].tolist()[0::2] == ["-", "+"] and pd.isna(shown["Ton"].iloc[1])
    assert shown["Sprache"].tolist() == ["EN", "ZH", "EN"]
    assert table["tone"].tolist()[0] == "negative"  # the input is left alone
