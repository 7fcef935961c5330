"""Retention and churn (being built)."""

from __future__ import annotations

import streamlit as st

from ui.common import demo_banner, tr

st.title(tr("retention.title"))
st.markdown(tr("retention.intro"))
demo_banner()
