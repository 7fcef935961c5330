"""Voice of the customer: the Comments tab (filters, the comment list, its exports)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from core.format import fmt_count
from core.voc.comments import CommentFilter, topics_per_text
from core.voc.topics import TopicResult
from core.voc.views import TONES, comment_list, localise
from ui.common import download_csv, download_excel, tr
from ui.pages.voc_parts import VocData, language_labels, score_label, tone_labels
from ui.state import lang, memo


def topic_lists_of(data: VocData, topics: TopicResult | None) -> pd.Series | None:
    """The topics each response is about (None without topics), once per data set and k."""
    if topics is None or not topics.k:
        return None
    texts = data.base.texts
    return memo(
        "voc_topic_lists",
        (data.fp, topics.k),
        lambda: topics_per_text(topics.presence, texts.index),
    )


def comment_filters(
    data: VocData, topics: TopicResult | None, names: Sequence[str]
) -> tuple[CommentFilter, bool]:
    """The tab's opening and its filters (drawn before the Topics tab's examples, which
    follow the masking choice). Returns the filter and whether to mask personal data."""
    base = data.base
    st.markdown(tr("voc.verbatims_intro"))
    one, two, three = st.columns(3)
    chosen_topics = (
        one.multiselect(
            tr("voc.filter_topics"),
            list(range(topics.k)),
            format_func=lambda i: names[i],
            key="voc_filter_topics",
            placeholder=tr("voc.all_topics"),
        )
        if topics is not None and topics.k
        else []
    )
    tones = two.multiselect(
        tr("voc.filter_tone"),
        list(TONES),
        format_func=lambda v: tr(f"voc.tone_{v}"),
        key="voc_filter_tone",
        placeholder=tr("voc.all_tones"),
    )
    keyword = three.text_input(
        tr("voc.filter_keyword"), key="voc_filter_keyword", help=tr("voc.filter_keyword_help")
    )
    four, five, six = st.columns(3)
    primary, scale = base.primary, base.scale
    score_range = (
        four.slider(
            tr("voc.filter_score", score=score_label(primary)),
            *scale,
            scale,
            key="voc_filter_score",
        )
        if primary and scale
        else None
    )
    period = None
    if base.date_range is not None:
        first, last = base.date_range
        period = five.date_input(
            tr("voc.filter_dates"),
            (first, last),
            min_value=first,
            max_value=last,
            key="voc_filter_dates",
        )
    masked = six.toggle(tr("voc.mask"), value=True, key="voc_mask", help=tr("voc.mask_help"))
    only_text = six.toggle(tr("voc.only_text"), value=base.has_text, key="voc_only_text")
    wanted = CommentFilter(
        tuple(chosen_topics),
        tuple(tones),
        keyword,
        primary,
        tuple(score_range) if score_range is not None else None,
        scale,
        tuple(period) if isinstance(period, tuple) and len(period) == 2 else None,
        only_text,
    )
    return wanted, masked


def comments_tab(
    data: VocData,
    topics: TopicResult | None,
    wanted: CommentFilter,
    masked: bool,
    names: Sequence[str],
) -> None:
    """The comments that pass the filters (the first 2,000 shown, all exported)."""
    base = data.base
    topic_lists = topic_lists_of(data, topics)
    k = topics.k if topics is not None else 0
    shown = memo(
        "voc_comments",
        (*data.key, k, wanted, masked, tuple(names), lang()),
        lambda: _labelled(data, topic_lists, wanted, masked, names),
        keep=4,
    )
    st.caption(
        tr("voc.verbatims_caption", n=fmt_count(len(shown)), total=fmt_count(len(data.feedback)))
    )
    if base.has_text and base.personal:
        st.caption(tr("voc.personal_found", n=fmt_count(base.personal)))
    st.dataframe(
        shown.head(2000),
        hide_index=True,
        width="stretch",
        column_config={
            tr("voc.col_text"): st.column_config.TextColumn(width="large"),
            tr("voc.col_topics"): st.column_config.TextColumn(width="medium"),
        },
    )
    export_one, export_two = st.columns(2)
    label = fmt_count(len(shown))
    with export_one:
        download_csv(shown, "verbatims.csv", tr("voc.download_csv", n=label), key="voc_export_csv")
    with export_two:
        download_excel(
            shown, "verbatims.xlsx", tr("voc.download_excel", n=label), key="voc_export_xlsx"
        )


def _labelled(
    data: VocData,
    topic_lists: pd.Series | None,
    wanted: CommentFilter,
    masked: bool,
    names: Sequence[str],
) -> pd.DataFrame:
    """The comment list with its codes and columns named in the session's language."""
    table = comment_list(
        data.feedback, data.base, data.sentiment, topic_lists, wanted, masked, names
    )
    headers = {
        "date": tr("field.date"),
        "text": tr("voc.col_text"),
        "tone": tr("voc.col_tone"),
        "sentiment": tr("voc.col_sentiment"),
        "topics": tr("voc.col_topics"),
        **{kind: score_label(kind) for kind in data.base.scores},
        "channel": tr("field.channel"),
        "customer_id": tr("field.customer_id"),
        "language": tr("voc.col_language"),
    }
    return localise(table, headers, {"tone": tone_labels(), "language": language_labels()})
