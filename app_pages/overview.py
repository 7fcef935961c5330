"""Overview: headline KPIs against the previous period, monthly revenue and customers, where to look next."""

from __future__ import annotations

import streamlit as st

from core.charts import monthly_customers_chart, monthly_revenue_chart
from core.format import fmt_change, fmt_count, fmt_money, fmt_share
from core.kpis import ALL_DATA, headline_kpis, monthly_activity, next_steps, period_menu
from ui.charts import show_chart
from ui.common import (
    CAMPAIGN_PAGE,
    CLV_PAGE,
    CROSSSELL_PAGE,
    QUALITY_PAGE,
    RETENTION_PAGE,
    SEGMENTATION_PAGE,
    VOC_PAGE,
    demo_banner,
    message_text,
    require_orders,
    tr,
)
from ui.state import lang, memo

FORMAT = {"count": fmt_count, "money": fmt_money, "share": fmt_share}

st.title(tr("overview.title"))
demo_banner()

transactions, orders = require_orders()

menu = memo("overview_periods", (transactions.fingerprint,), lambda: period_menu(orders))
labels = {
    c: tr("overview.all_data") if c == ALL_DATA else tr("overview.last_days", days=c)
    for c in menu.choices
}
choice = (
    st.segmented_control(
        tr("overview.choose_period"),
        menu.choices,
        default=menu.default,
        format_func=labels.__getitem__,
        key="overview_period",
    )
    or menu.default
)
headline = memo("kpis", (transactions.fingerprint, choice), lambda: headline_kpis(orders, choice))
for note in (headline.caption, *menu.notes, *headline.notes):
    st.caption(message_text(note))

columns = st.columns(3)
for i, kpi in enumerate(headline.kpis):
    with columns[i % 3]:
        st.metric(
            tr(f"kpi.{kpi.key}"),
            FORMAT[kpi.unit](kpi.value),
            delta=fmt_change(kpi.change, kpi.unit),
            help=tr(f"kpi_help.{kpi.key}"),
            border=True,
        )
        if choice == ALL_DATA:
            st.caption(tr(f"overview.all_line.{kpi.key}"))
        else:
            st.caption(tr(f"kpi_line.{kpi.key}", days=choice))

monthly = memo("monthly", (transactions.fingerprint,), lambda: monthly_activity(orders))
left, right = st.columns(2)
show_chart(
    "overview.revenue",
    (transactions.fingerprint,),
    lambda: monthly_revenue_chart(monthly, lang()),
    where=left,
)
show_chart(
    "overview.customers",
    (transactions.fingerprint,),
    lambda: monthly_customers_chart(monthly, lang()),
    where=right,
)
st.caption(tr("overview.chart_help"))

st.subheader(tr("overview.next_title"))
for step in next_steps(headline, transactions.report.rows_set_aside):
    st.markdown(f"- {message_text(step)}")
st.page_link(QUALITY_PAGE, label=tr("nav.quality"), icon=":material/fact_check:")

st.markdown(f"**{tr('overview.pages_title')}**")
PAGES = (
    (SEGMENTATION_PAGE, "segmentation", ":material/groups:"),
    (CLV_PAGE, "clv", ":material/savings:"),
    (RETENTION_PAGE, "retention", ":material/person_remove:"),
    (VOC_PAGE, "voc", ":material/forum:"),
    (CAMPAIGN_PAGE, "campaign", ":material/campaign:"),
    (CROSSSELL_PAGE, "crosssell", ":material/shopping_basket:"),
)
for row in (PAGES[:3], PAGES[3:]):
    for column, (page, name, icon) in zip(st.columns(3), row, strict=True):
        with column.container(border=True, height="stretch"):
            st.page_link(page, label=tr(f"nav.{name}"), icon=icon)
            st.caption(tr(f"overview.page_{name}"))
