"""Customer lifetime value (being built)."""

from __future__ import annotations

import streamlit as st

from ui.common import demo_banner, tr

st.title(tr("clv.title"))
st.markdown(tr("clv.intro"))
demo_banner()
