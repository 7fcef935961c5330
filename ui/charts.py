"""Drawing charts without rebuilding them: a chart's Vega-Lite spec is made once per key.

Building an Altair chart and turning it into a spec (`to_dict`, which validates
against the Vega-Lite schema and serialises the data) costs ~0.1 s a chart; a page
with eight charts paid that on every rerun even when nothing it showed had changed.
`show_chart` keeps the spec, data already in Arrow, under the key of what the chart
shows (the result's cache key plus the settings that change the picture) and the
session's language, in the same cache as the results (`ui.state.memo`: demo charts
are made once per server). A rerun only sends the kept spec.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from copy import deepcopy
from typing import Any

import altair as alt
import streamlit as st

from ui.state import lang, memo

try:  # Streamlit's own Altair → spec conversion (the one st.altair_chart uses)
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
except ImportError:  # pragma: no cover - a Streamlit without it: charts are built every run
    _convert_altair_to_vega_lite_spec = None

# How many specs of one chart (one `name`) a session keeps: the current one and a few
# recent settings, so that moving a slider back and forth does not rebuild.
KEEP_PER_CHART = 6


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec Streamlit would send for an Altair chart (data as Arrow bytes)."""
    if _convert_altair_to_vega_lite_spec is None:  # pragma: no cover
        return chart.to_dict()
    return _convert_altair_to_vega_lite_spec(chart)


def show_chart(
    name: str,
    key: tuple[Hashable, ...],
    build: Callable[[], alt.TopLevelMixin],
    where: Any = None,
    widget_key: str | None = None,
    **kwargs: Any,
) -> Any:
    """Draw the chart `build()` makes, building it only when `key` (or the language) is new.

    `name` names the chart ("retention.survival"); `key` holds everything the picture
    depends on: data fingerprints and the settings used (never the data itself).
    `where` is a container or column (default: the page); `widget_key` is the chart's
    Streamlit key (a chart whose clicks rerun the page: `on_select="rerun"`); other
    `kwargs` go to `st.vega_lite_chart` (width="stretch" by default). Returns what
    Streamlit returns (the selection state for charts with `on_select`).
    """
    spec = memo(f"chart.{name}", (*key, lang()), lambda: chart_spec(build()), keep=KEEP_PER_CHART)
    # Streamlit moves the datasets out of the spec it is given and rewrites parts of it
    # (a null legend title): hand it a copy, the data (Arrow bytes) shared, not copied.
    copy = {k: deepcopy(v) for k, v in spec.items() if k != "datasets"}
    if "datasets" in spec:
        copy["datasets"] = dict(spec["datasets"])
    kwargs.setdefault("width", "stretch")
    if widget_key is not None:
        kwargs["key"] = widget_key
    return (where if where is not None else st).vega_lite_chart(copy, **kwargs)
