"""Voice of the customer: the headline scores, and the Scores tab (distribution, trend, breakdowns)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.charts.voc import breakdown_chart, score_distribution_chart, trend_chart
from core.format import fmt_count, fmt_share
from core.i18n import field_label
from core.voc.scores import MIN_GROUP, MIN_RESPONSES, customer_attributes, customer_link_problem
from core.voc.views import breakdown_options, breakdown_view
from ui.charts import show_chart
from ui.common import message_text, orders_of, rfm_of, tr
from ui.pages.voc_parts import INFO, VocData, group_labels, lang_label, score_label
from ui.state import lang, memo


def headline(data: VocData) -> None:
    """NPS, CSAT, average rating and sentiment as metrics, and how many responses there are."""
    scores, base = data.scores, data.base
    shown = []
    nps = scores.nps
    if nps is not None and nps.nps is not None:
        help_text = tr(
            "voc.nps_help",
            low=f"{nps.ci_low:+.0f}",
            high=f"{nps.ci_high:+.0f}",
            n=fmt_count(nps.n),
        )
        shown.append((tr("voc.nps"), f"{nps.nps:+.0f}", help_text))
    csat = scores.csat
    if csat.share is not None:
        help_text = tr(f"voc.csat_help_{csat.source}", n=fmt_count(csat.n))
        shown.append((tr("voc.csat"), fmt_share(csat.share, 0), help_text))
    if scores.avg_rating is not None:
        shown.append((tr("voc.avg_rating"), f"{scores.avg_rating:.2f}", tr("voc.avg_rating_help")))
    if data.sentiment.average is not None:
        average = f"{data.sentiment.average:+.2f}"
        shown.append((tr("voc.avg_sentiment"), average, tr("voc.avg_sentiment_help")))
    for column, (label, value, help_text) in zip(st.columns(4), shown, strict=False):
        column.metric(label, value, help=help_text, border=True)
    counts = base.counts
    st.caption(
        tr(
            "voc.counts_caption",
            rows=fmt_count(len(data.feedback)),
            texts=fmt_count(base.written),
            en=fmt_count(counts["en"]),
            zh=fmt_count(counts["zh"]),
        )
    )


def scores_tab(data: VocData) -> None:
    if data.base.no_scores is not None:
        st.info(message_text(data.base.no_scores), icon=INFO)
        return
    distribution_panel(data)
    st.subheader(tr("voc.breakdown_title"))
    breakdown_panel(data)


@st.fragment
def distribution_panel(data: VocData) -> None:
    """Answers per score value of the chosen score, and the monthly trend of a chosen metric."""
    kind = st.radio(
        tr("voc.score_kind"),
        data.base.scores,
        format_func=score_label,
        horizontal=True,
        key="voc_score_kind",
    )
    dist = data.scores.distributions[kind]
    left, right = st.columns(2)
    show_chart(
        "voc.distribution",
        (data.fp, kind),
        lambda: score_distribution_chart(
            dist.assign(group_label=dist["group"].map(group_labels())),
            tr("voc.chart_distribution", score=score_label(kind)),
            lang(),
        ),
        where=left,
    )
    scores = data.scores
    with right:
        if scores.monthly.empty or not scores.trend_metrics:
            st.info(tr("voc.no_dates"), icon=INFO)
            return
        metric = st.selectbox(
            tr("voc.trend_metric"),
            scores.trend_metrics,
            format_func=lambda c: tr(f"voc.metric_{c}"),
            key="voc_trend_metric",
        )
        show_chart(
            "voc.trend",
            (*data.key, metric),
            lambda: trend_chart(
                scores.monthly,
                metric,
                tr("voc.chart_trend", metric=tr(f"voc.metric_{metric}")),
                tr(f"voc.metric_{metric}"),
                lang(),
            ),
        )
        st.caption(tr("voc.trend_help"))


def _attributes(data: VocData, linked: bool) -> tuple[pd.DataFrame, tuple[str | None, ...]]:
    """Each response's customer attributes and RFM segment (once per data set), and the key
    of the tables they come from."""
    customers, transactions = data.source.customers, data.source.transactions

    def compute() -> pd.DataFrame:
        rfm = None
        if transactions is not None and linked and not orders_of(transactions).empty:
            rfm = rfm_of(transactions).table
        return customer_attributes(data.feedback, customers.table if customers else None, rfm)

    key = (
        data.fp,
        customers.fingerprint if customers else None,
        transactions.fingerprint if transactions else None,
    )
    return memo("voc_attributes", key, compute), key


def _option_label(option: str) -> str:
    if option in ("channel", "language", "rfm_segment"):
        return tr(f"voc.by_{option}")
    attribute = field_label(option.removeprefix("customer:"), lang())
    return tr("voc.by_customer", attribute=attribute)


@st.fragment
def breakdown_panel(data: VocData) -> None:
    """A score per channel, language, customer attribute or RFM segment."""
    source = data.source
    others = source.customers is not None or source.transactions is not None
    link = customer_link_problem(data.feedback, others)
    attributes, key = _attributes(data, link is None)
    options = breakdown_options(data.base, attributes)
    if link is not None:
        st.caption(message_text(link))
    if not options:
        st.caption(tr("voc.no_breakdown"))
        return
    one, two = st.columns(2)
    by = one.selectbox(
        tr("voc.breakdown_by"), options, format_func=_option_label, key="voc_breakdown_by"
    )
    label = {"language": lang_label, "rfm_segment": lambda s: tr(f"segment.{s}")}.get(by)
    view = memo(
        "voc_breakdown",
        (*key, data.method, by, lang()),
        lambda: breakdown_view(
            data.feedback,
            data.base,
            data.sentiment,
            attributes,
            by,
            label,
            tr("voc.unknown"),
            tr("voc.other"),
        ),
    )
    metric = two.selectbox(
        tr("voc.breakdown_metric"),
        view.metrics,
        format_func=lambda c: tr(f"voc.metric_{c}"),
        key="voc_breakdown_metric",
    )
    show_chart(
        "voc.breakdown",
        (*key, data.method, by, metric),
        lambda: breakdown_chart(view.drawn, metric, tr(f"voc.metric_{metric}"), lang()),
    )
    st.caption(tr("voc.breakdown_help", pooled=MIN_GROUP, hidden=MIN_RESPONSES))
