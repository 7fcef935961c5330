"""Voice of the customer (being built)."""

from __future__ import annotations

import streamlit as st

from ui.common import demo_banner, tr

st.title(tr("voc.title"))
st.markdown(tr("voc.intro"))
demo_banner()
