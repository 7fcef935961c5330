"""Retention and churn: cohorts, churn by month, survival curves, the churn-risk model, the at-risk list and the what-if."""

from __future__ import annotations

import streamlit as st

from ui.common import demo_banner, tr
from ui.pages.retention_at_risk import at_risk_tab
from ui.pages.retention_cohorts import churn_tab, cohorts_tab
from ui.pages.retention_model import model_tab
from ui.pages.retention_parts import retention_data
from ui.pages.retention_survival import survival_tab


def main() -> None:
    st.title(tr("retention.title"))
    st.markdown(tr("retention.intro"))
    demo_banner()
    data = retention_data()
    if data.subscription:
        st.info(tr("retention.subscription_mode"), icon=":material/autorenew:")
    cohorts, churn, survival, model, at_risk = st.tabs(
        [
            tr("retention.tab_cohorts"),
            tr("retention.tab_churn"),
            tr("retention.tab_survival"),
            tr("retention.tab_model"),
            tr("retention.tab_at_risk"),
        ]
    )
    with cohorts:
        cohorts_tab(data)
    with churn:
        churn_days = churn_tab(data)
    with survival:
        survival_tab(data, churn_days)
    with model:
        result, key = model_tab(data, churn_days)
    with at_risk:
        at_risk_tab(result, key)


main()
