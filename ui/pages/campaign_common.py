"""Drawing helpers shared by the Campaign page's tabs: readings, table columns, downloads."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import pandas as pd
import streamlit as st

from core.campaign.readings import Figure
from core.problems import Problem
from ui.common import download_csv, download_excel, message_text, tr

_BOXES = {
    "error": (st.error, ":material/error:"),
    "warning": (st.warning, ":material/warning:"),
    "info": (st.info, ":material/info:"),
}


def show(message: Problem, severity: str | None = None) -> None:
    """A problem or note in the box its severity calls for."""
    box, icon = _BOXES[message.severity if severity is None else severity]
    box(message_text(message), icon=icon)


def show_notes(notes: Iterable[Problem]) -> None:
    for note in notes:
        st.info(message_text(note), icon=":material/info:")


def interval_metric(column, label: str, estimate: tuple[Figure, Figure, Figure]) -> None:
    """A metric whose help gives its 95% interval: `estimate` is (value, low, high), written by core."""
    value, low, high = estimate
    column.metric(label, value, help=tr("campaign.interval_help", low=low, high=high))


def num(label: str, fmt: str, help_key: str | None = None, **bounds):
    """A number column headed by the message `label`, with an optional help message and bounds."""
    return st.column_config.NumberColumn(
        tr(label), format=fmt, help=tr(help_key) if help_key else None, **bounds
    )


def text(label: str, help_key: str | None = None):
    return st.column_config.TextColumn(tr(label), help=tr(help_key) if help_key else None)


def margin_slider(where, key: str) -> float:
    """The gross margin slider (a share): the money tab's and the channels tab's."""
    label, help_text = tr("campaign.margin"), tr("campaign.margin_help")
    return where.slider(label, 0, 100, 40, step=5, format="%d%%", key=key, help=help_text) / 100


def export(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel downloads of a (cached) table, built only when clicked."""
    one, two = st.columns(2)
    with one:
        download_csv(frame, f"{name}.csv", tr("campaign.download_csv"), key=f"{key}_csv")
    with two:
        download_excel(frame, f"{name}.xlsx", tr("campaign.download_excel"), key=f"{key}_xlsx")


def labelled(frame: pd.DataFrame, column: str, names: dict[Hashable, str]) -> pd.DataFrame:
    """A table with one column's codes replaced by their names (translated once per table)."""
    return frame.assign(**{column: frame[column].map(names)})
