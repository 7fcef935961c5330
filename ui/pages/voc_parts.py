"""Voice of the customer page: the inputs every tab takes, the session's cached results, labels."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.problems import Problem
from core.voc.drivers import Target
from core.voc.language import LANGUAGES
from core.voc.sentiment import InDomainResult, Method
from core.voc.topics import TopicResult, find_topics
from core.voc.views import (
    SCORE_GROUPS,
    TONES,
    DriverView,
    FeedbackBase,
    MethodChoice,
    ScoreView,
    SentimentView,
    TopicView,
    driver_view,
    feedback_base,
    in_domain_check,
    method_used,
    score_view,
    sentiment_view,
    topic_view,
)
from ui.common import UPLOAD_PAGE, message_text, tr
from ui.state import LoadedTable, get_table, memo

INFO = ":material/info:"


@dataclass(frozen=True)
class FeedbackData:
    """The session's feedback table and what it holds (`FeedbackBase`), with the in-domain
    model's check (None without labelled comments) and the tables feedback can link to."""

    feedback: pd.DataFrame
    fp: str
    base: FeedbackBase
    check: InDomainResult | None
    customers: LoadedTable | None
    transactions: LoadedTable | None


@dataclass(frozen=True)
class VocData:
    """What the tabs draw from: the feedback data and the sentiment by the method shown,
    with the scores computed with it."""

    source: FeedbackData
    sentiment: SentimentView
    scores: ScoreView

    @property
    def feedback(self) -> pd.DataFrame:
        return self.source.feedback

    @property
    def fp(self) -> str:
        return self.source.fp

    @property
    def base(self) -> FeedbackBase:
        return self.source.base

    @property
    def method(self) -> Method:
        return self.sentiment.method

    @property
    def key(self) -> tuple[Hashable, ...]:
        """The cache key of everything computed with this sentiment."""
        return (self.fp, self.method)


def feedback_data() -> FeedbackData:
    """The session's feedback and its base results, or a message saying what to load (and a stop).

    Says the notes about the texts, and stops when there is neither a comment nor a score.
    """
    loaded = get_table("feedback")
    if loaded is None:
        st.warning(tr("voc.no_feedback"), icon=":material/warning:")
        st.page_link(UPLOAD_PAGE, label=tr("nav.upload"), icon=":material/upload_file:")
        st.stop()
    feedback, fp = loaded.table, loaded.fingerprint
    if feedback.empty:
        st.warning(tr("voc.empty_feedback"), icon=":material/warning:")
        st.stop()
    base = memo("voc_base", (fp,), lambda: feedback_base(feedback))
    for note in base.notes:
        show_info(note)
    if base.no_scores is not None:
        show_info(base.no_scores)
    if base.nothing_to_show:
        st.stop()
    check = None
    if base.trainable:
        with st.spinner(tr("voc.training")):
            check = memo("voc_in_domain", (fp,), lambda: in_domain_check(base))
    return FeedbackData(
        feedback, fp, base, check, get_table("customers"), get_table("transactions")
    )


def voc_data(source: FeedbackData, chosen: MethodChoice) -> VocData:
    """Sentiment by the method `chosen` resolves to, and the scores with it (once per key)."""
    method = method_used(source.check, chosen)
    key = (source.fp, method)
    sentiment = memo(
        "voc_sentiment",
        key,
        lambda: sentiment_view(source.feedback, source.base, source.check, method),
    )
    scores = memo("voc_scores", key, lambda: score_view(source.feedback, source.base, sentiment))
    return VocData(source, sentiment, scores)


def topics_of(data: VocData, k: int) -> TopicResult | None:
    """The topics of the comments (None without comments), once per data set and k."""
    if not data.base.has_text:
        return None
    base = data.base
    with st.spinner(tr("voc.finding_topics")):
        return memo("voc_topics", (data.fp, k), lambda: find_topics(base.texts, k, base.languages))


def topic_view_of(data: VocData, topics: TopicResult) -> TopicView:
    return memo(
        "voc_topic_view",
        (*data.key, topics.k),
        lambda: topic_view(data.feedback, data.base, topics, data.sentiment),
    )


def drivers_of(
    data: VocData, topics: TopicResult | None, target: Target | None
) -> DriverView | None:
    """Key drivers of `target` (None when there are no topics or nothing to explain)."""
    if topics is None or not topics.k or target is None:
        return None
    return memo(
        "voc_drivers",
        (data.fp, topics.k, target),
        lambda: driver_view(data.feedback, topics, target),
    )


def show_info(note: Problem) -> None:
    st.info(message_text(note), icon=INFO)


def score_label(kind: str) -> str:
    return tr(f"voc.score_{kind}")


def lang_label(code: str) -> str:
    return tr(f"voc.lang_{code}")


def language_labels() -> dict[str, str]:
    return {code: lang_label(code) for code in LANGUAGES}


def tone_labels() -> dict[str, str]:
    return {tone: tr(f"voc.tone_{tone}") for tone in TONES}


def group_labels() -> dict[str, str]:
    return {group: tr(f"voc.group_{group}") for group in SCORE_GROUPS}
