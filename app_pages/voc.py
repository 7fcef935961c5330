"""Voice of the customer: NPS and ratings, sentiment (English and Chinese), topics, key drivers."""

from __future__ import annotations

import streamlit as st

from core.voc.views import readings
from ui.common import demo_banner, message_text, tr
from ui.pages.voc_comments import comment_filters, comments_tab
from ui.pages.voc_drivers import driver_controls, drivers_tab
from ui.pages.voc_parts import drivers_of, feedback_data, topic_view_of, topics_of, voc_data
from ui.pages.voc_scores import headline, scores_tab
from ui.pages.voc_text import (
    examples_panel,
    sentiment_controls,
    sentiment_tab,
    topic_controls,
    topics_tab,
)


def main() -> None:
    st.title(tr("voc.title"))
    st.markdown(tr("voc.intro"))
    demo_banner()
    source = feedback_data()
    # The headline and the reading sit above the tabs but depend on choices made in them
    # (sentiment method, topics, their names, what drivers explain): the tabs' controls
    # are drawn first, and these two places filled once everything they show is known.
    top, reading = st.container(), st.container()
    scores, sentiment, topic, drivers, comments = st.tabs(
        [
            tr("voc.tab_scores"),
            tr("voc.tab_sentiment"),
            tr("voc.tab_topics"),
            tr("voc.tab_drivers"),
            tr("voc.tab_verbatims"),
        ]
    )
    with sentiment:
        chosen = sentiment_controls(source.base, source.check)
    data = voc_data(source, chosen)
    with top:
        headline(data)
    with topic:
        k = topic_controls(data.base)
    found = topics_of(data, k)
    view = topic_view_of(data, found) if found is not None and found.k else None
    names: tuple[str, ...] = ()
    if found is not None:
        with topic:
            names = topics_tab(data, found, view)
    with drivers:
        target = driver_controls(data.base, found)
    driven = drivers_of(data, found, target)
    with reading:
        st.subheader(tr("voc.reading_title"))
        for line in readings(
            data.scores, data.sentiment if data.base.has_text else None, driven, names
        ):
            st.markdown(f"- {message_text(line)}")
    with scores:
        scores_tab(data)
    with sentiment:
        sentiment_tab(data)
    with comments:
        wanted, masked = comment_filters(data, found, names)
    if found is not None and view is not None:
        with topic:
            examples_panel(data, found, view, names, masked)
    if found is not None and driven is not None:
        with drivers:
            drivers_tab(data.fp, found, driven, names)
    with comments:
        comments_tab(data, found, wanted, masked, names)


main()
