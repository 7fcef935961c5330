"""Cross-sell's drawing helpers shared by its tabs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.export import ExcelFit, to_safe_excel
from core.format import fmt_count
from ui.common import tr

EXCEL_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Results of one view kept per session for its recent settings: moving a slider back
# and forth hits the cache, and a long session of slider moves cannot push the
# baskets or the model (touched only on full reruns) out of the session's cache.
KEEP = 3


def excel_download(frame: pd.DataFrame, filename: str, label: str, key: str, fit: ExcelFit) -> None:
    """`ui.common.download_excel` with the cell check (`excel_fit`) done by core, once.

    download_excel checks every text cell for Excel on every rerun: 40k customers ×
    12 columns is ~0.5 million strings each time. Core checks the next-best table
    once (`core.crosssell.NextBest.excel_clean`); the captions and the file are the
    same. Call it after `download_csv` of the same page run (which starts the
    download sweeper).
    """
    st.download_button(
        label,
        lambda: to_safe_excel(frame),
        file_name=filename,
        mime=EXCEL_MIME,
        key=key,
        icon=":material/download:",
    )
    if fit.cut:
        st.caption(tr("export.excel_cut", n=fmt_count(fit.cut)))
    if fit.cleaned:
        st.caption(tr("export.excel_cleaned", n=fmt_count(fit.cleaned)))
    if fit.rows_left_out:
        st.caption(tr("export.excel_rows", n=fmt_count(fit.rows_left_out)))
