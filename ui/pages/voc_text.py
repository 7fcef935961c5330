"""Voice of the customer: the Sentiment tab and the Topics tab (topic table, names, examples)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from core.charts.voc import sentiment_mix_chart, topic_chart
from core.format import fmt_count, fmt_share
from core.voc.sentiment import FOLDS, NEUTRAL_BAND, InDomainResult
from core.voc.topics import DEFAULT_TOPICS, MAX_TOPICS, MIN_TOPICS, TopicResult
from core.voc.views import (
    FeedbackBase,
    MethodChoice,
    TopicView,
    clause_sentiment,
    sentiment_methods,
    topic_examples,
    topic_names,
)
from ui.charts import show_chart
from ui.common import message_text, tr
from ui.pages.voc_parts import INFO, VocData, language_labels, score_label, tone_labels
from ui.state import lang, memo

# The names users give topics, per data set and number of topics (not a widget's state).
NAMES = "voc_topic_names"


# ---------------------------------------------------------------- sentiment
def sentiment_controls(base: FeedbackBase, check: InDomainResult | None) -> MethodChoice:
    """The Sentiment tab's opening and its method choice (drawn before anything uses it)."""
    options = sentiment_methods(check)
    if not base.has_text:
        st.info(tr("voc.no_text_here"), icon=INFO)
        return options[0]
    st.markdown(tr("voc.sentiment_intro"))
    return st.radio(
        tr("voc.method"),
        options,
        format_func=lambda m: tr(f"voc.method_{m}"),
        horizontal=True,
        key="voc_method",
        help=tr("voc.method_help"),
    )


def show_accuracy(check: InDomainResult) -> None:
    """Each method's accuracy on the labelled comments, next to always guessing the majority."""
    if check.problem is not None:
        st.info(message_text(check.problem), icon=INFO)
    methods = [("lexicon", check.lexicon_accuracy, check.lexicon_balanced_accuracy)]
    methods += [("in_domain", check.accuracy, check.balanced_accuracy)]
    shown = [(m, a, b) for m, a, b in methods if a is not None]
    columns = st.columns(3)
    for column, (method, accuracy, _) in zip(columns, shown, strict=False):
        column.metric(
            tr(f"voc.{method}_accuracy"),
            fmt_share(accuracy),
            help=tr(f"voc.{method}_accuracy_help_{check.source}", band=NEUTRAL_BAND, folds=FOLDS),
        )
    columns[2].metric(tr(f"voc.checked_texts_{check.source}"), fmt_count(check.checked))
    for method, accuracy, balanced in shown:
        reading = tr(
            f"voc.accuracy_reading_{check.source}",
            method=tr(f"voc.method_{method}"),
            accuracy=fmt_share(accuracy),
            n=fmt_count(check.checked),
            majority=tr(f"voc.majority_{check.majority}"),
            baseline=fmt_share(check.baseline),
            balanced=fmt_share(balanced),
        )
        st.markdown(f"- {reading}")


def sentiment_tab(data: VocData) -> None:
    """How each method does on the labelled comments, the tone mix, sentiment by NPS group."""
    if not data.base.has_text:
        return
    check = data.source.check
    if check is None:
        st.caption(tr("voc.in_domain_needs_scores"))
    else:
        show_accuracy(check)
    if check is not None and check.model is not None:
        st.caption(tr("voc.method_used", method=tr(f"voc.method_{data.method}")))
    mix = data.sentiment.mix
    show_chart(
        "voc.sentiment_mix",
        data.key,
        lambda: sentiment_mix_chart(
            mix.assign(
                language=mix["language"].map(language_labels()),
                tone_label=mix["tone"].map(tone_labels()),
            ),
            lang(),
        ),
    )
    by_group = data.sentiment.by_group
    if len(by_group):
        parts = [
            tr("voc.sentiment_by_group_item", group=tr(f"voc.group_{g}"), value=f"{v:+.2f}")
            for g, v in by_group.items()
        ]
        st.caption(tr("voc.sentiment_by_group", items="; ".join(parts)))


# ---------------------------------------------------------------- topics
def topic_controls(base: FeedbackBase) -> int:
    """The Topics tab's opening and the number of topics (drawn before topics are found)."""
    if not base.has_text:
        st.info(tr("voc.no_text_here"), icon=INFO)
        return DEFAULT_TOPICS
    st.markdown(tr("voc.topics_intro"))
    return st.slider(
        tr("voc.topic_count"),
        MIN_TOPICS,
        MAX_TOPICS,
        DEFAULT_TOPICS,
        key="voc_k",
        help=tr("voc.topic_count_help"),
    )


def topics_tab(data: VocData, topics: TopicResult, view: TopicView | None) -> tuple[str, ...]:
    """The topic chart and the topic table, whose names the user can edit.

    Returns the topics' names (the user's where given, else their top words), which the
    rest of the page uses; they are kept per data set and number of topics.
    """
    if topics.problem is not None:
        st.info(message_text(topics.problem), icon=INFO)
    if view is None:
        return ()
    store: dict = st.session_state.setdefault(NAMES, {})
    names = topic_names(topics, store.get((data.fp, topics.k), {}))
    chart = st.container()
    st.caption(tr("voc.topics_rename_help"))
    primary = data.base.primary
    edited = st.data_editor(
        view.table(names),
        hide_index=True,
        width="stretch",
        disabled=["topic", "terms", "texts", "share", "avg_sentiment", "avg_score"],
        key=f"voc_names_{topics.k}",
        column_config={
            "topic": st.column_config.NumberColumn("#", width="small"),
            "terms": st.column_config.TextColumn(
                tr("voc.col_terms"), help=tr("voc.col_terms_help")
            ),
            "name": st.column_config.TextColumn(tr("voc.col_name"), help=tr("voc.col_name_help")),
            "texts": st.column_config.NumberColumn(tr("voc.col_texts"), format="localized"),
            "share": st.column_config.NumberColumn(tr("voc.col_share"), format="%.1f%%"),
            "avg_sentiment": st.column_config.NumberColumn(
                tr("voc.col_sentiment"), format="%+.2f", help=tr("voc.avg_sentiment_help")
            ),
            "avg_score": st.column_config.NumberColumn(
                tr("voc.col_avg_score", score=score_label(primary)) if primary else "",
                format="%.2f",
            ),
        },
    )
    typed = _typed_names(edited["name"])
    if typed != dict(enumerate(names)):
        store[(data.fp, topics.k)] = typed
        names = topic_names(topics, typed)
    show_chart(
        "voc.topics",
        (*data.key, topics.k, names),
        lambda: topic_chart(view.named(names), lang()),
        where=chart,
    )
    return names


def _typed_names(column: pd.Series) -> dict[int, str]:
    """The non-blank names in the edited table, by topic number."""
    return {
        topic: str(name).strip()
        for topic, name in enumerate(column)
        if isinstance(name, str) and name.strip()
    }


@st.fragment
def examples_panel(
    data: VocData, topics: TopicResult, view: TopicView, names: Sequence[str], masked: bool
) -> None:
    """The comments that speak most of one topic, positively and negatively."""
    st.subheader(tr("voc.examples_title"))
    pick = st.selectbox(
        tr("voc.examples_topic"),
        list(range(topics.k)),
        index=view.least_happy,
        format_func=lambda i: names[i],
        key="voc_example_topic",
    )
    clauses = memo("voc_clause_sentiment", (data.fp, topics.k), lambda: clause_sentiment(topics))
    examples = memo(
        "voc_examples",
        (*data.key, topics.k, pick, masked),
        lambda: topic_examples(topics, data.base, data.sentiment, clauses, pick, masked),
    )
    for tone, column in zip(("positive", "negative"), st.columns(2), strict=True):
        shown = getattr(examples, tone)
        with column:
            st.markdown(f"**{tr(f'voc.examples_{tone}')}**")
            if shown.empty:
                st.caption(tr("voc.no_examples"))
                continue
            st.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                column_config={
                    "text": st.column_config.TextColumn(tr("voc.col_text"), width="large"),
                    "sentiment": st.column_config.NumberColumn(
                        tr("voc.col_topic_tone"),
                        format="%+.2f",
                        help=tr("voc.col_topic_tone_help"),
                    ),
                },
            )
