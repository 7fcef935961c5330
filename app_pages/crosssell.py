"""Cross-sell (being built)."""

from __future__ import annotations

import streamlit as st

from ui.common import demo_banner, tr

st.title(tr("crosssell.title"))
st.markdown(tr("crosssell.intro"))
demo_banner()
