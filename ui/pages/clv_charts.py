"""Charts of the Lifetime value page whose data follow the What-if: the spec once, new data each time.

`ui.charts.show_chart` keeps a chart's spec per key, but every What-if value is a new
key, and building a spec costs ~0.1 s a chart (Altair validates it against the
Vega-Lite schema): five charts follow margin, discount rate and horizon. Their look
(encodings, layers, titles) does not change with those values, only their data do,
so `show_with_data` builds the spec once per look (`shape`) and hands Streamlit the
new rows under a new dataset name. Only charts whose spec holds one dataset and
whose builder computes nothing but that dataset from its input qualify.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from ui.charts import KEEP_PER_CHART, chart_spec
from ui.state import lang, memo


def _renamed(node: Any, old: str, new: str) -> Any:
    """The spec with every reference to dataset `old` pointing at `new` (datasets left out)."""
    if isinstance(node, dict):
        if node.get("name") == old and len(node) == 1:
            return {"name": new}
        return {k: _renamed(v, old, new) for k, v in node.items() if k != "datasets"}
    if isinstance(node, list):
        return [_renamed(v, old, new) for v in node]
    return node


def show_with_data(
    name: str,
    shape: tuple[Hashable, ...],
    build: Callable[[], alt.TopLevelMixin],
    data: pd.DataFrame,
    values: tuple[Hashable, ...],
    where: Any = None,
) -> Any:
    """Draw `build()`'s chart with `data` as its rows, building the spec only for a new `shape`.

    `shape`: what the chart's look depends on (fingerprints, settings that change
    encodings or layers); `values`: what only changes its rows (the What-if), which
    names the dataset; `data`: exactly the frame the builder puts in the chart.
    """
    spec = memo(f"chart.{name}", (*shape, lang()), lambda: chart_spec(build()), keep=KEEP_PER_CHART)
    datasets = spec.get("datasets") or {}
    if len(datasets) != 1:  # not a chart of one table: draw it as built
        copy = {**spec, "datasets": dict(datasets)}
    else:
        (old,) = datasets
        new = f"{name}-{hashlib.sha1(repr(values).encode()).hexdigest()[:20]}"
        copy = _renamed(spec, old, new)
        copy["datasets"] = {new: data}
    return (where if where is not None else st).vega_lite_chart(copy, width="stretch")
