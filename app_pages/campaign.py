"""Campaign evaluation (being built)."""

from __future__ import annotations

import streamlit as st

from ui.common import demo_banner, tr

st.title(tr("campaign.title"))
st.markdown(tr("campaign.intro"))
demo_banner()
