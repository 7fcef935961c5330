"""The Lifetime value page's model tabs: the fitted parameters, the holdout check, frequency x recency.

Everything shown is in `core.clv.views`' results (`ValueModel`, `HoldoutView`,
`recency_matrix`); this module lays it out.
"""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd
import streamlit as st

from core.charts.clv import (
    frequency_recency_heatmap,
    heatmap_table,
    holdout_frequency_chart,
    tracking_chart,
)
from core.clv import HoldoutView, ParameterRow, ValueModel, recency_matrix
from core.format import fmt_count
from ui.charts import show_chart
from ui.common import message_text, tr
from ui.pages.clv_charts import show_with_data
from ui.state import lang, memo

Key = tuple[Hashable, ...]
# Set by the "use this cut-off" button: the page's fragment then reruns the whole page,
# so the cut-off widget (outside the fragment) and the fits follow.
RERUN_APP = "clv_rerun_app"


def show_parameters(rows: tuple[ParameterRow, ...], meaning: str) -> None:
    """Parameters with SE, 95% interval and meaning, as a static table (long texts wrap)."""
    st.table(
        pd.DataFrame(
            {
                tr("clv.col_parameter"): [r.name for r in rows],
                tr("clv.col_estimate"): [r.estimate for r in rows],
                tr("clv.col_se"): [r.se for r in rows],
                tr("clv.col_interval"): [r.interval for r in rows],
                tr("clv.col_meaning"): [tr(f"{meaning}_{r.name}") for r in rows],
            }
        ).set_index(tr("clv.col_parameter"))
    )


def show(problem, box=None) -> None:
    """A core problem in the box of its severity (the page's data problems are warnings)."""
    if problem.severity == "info":
        (box or st).info(message_text(problem), icon=":material/info:")
    else:
        (box or st).warning(message_text(problem), icon=":material/warning:")


def use_cutoff(day) -> None:
    st.session_state["clv_cutoff"] = day
    st.session_state[RERUN_APP] = True


def model_section(values: ValueModel) -> None:
    """The purchase model fitted on all data, in numbers and in words."""
    model = values.settings.model
    st.subheader(tr("clv.params_title", model=tr(f"clv.model_{model}")))
    show_parameters(values.parameters, f"clv.param_{model}")
    unit = tr(f"clv.unit_{values.settings.unit}")
    st.caption(tr("clv.params_unit", unit=unit, n=fmt_count(values.fit.n_customers)))
    st.markdown("\n".join(f"- {message_text(line)}" for line in values.readings))
    if values.dropout_uncertain:
        st.info(tr("clv.dropout_uncertain"), icon=":material/info:")


def holdout_section(key: Key, check: HoldoutView) -> None:
    """How the model fitted up to the cut-off predicted the purchases after it."""
    st.subheader(tr("clv.check_title"))
    if check.problem is not None:
        show(check.problem)
        return
    result = check.check
    st.caption(
        tr(
            "clv.check_intro",
            cutoff=f"{check.data.cutoff:%Y-%m-%d}",
            end=f"{check.data.end:%Y-%m-%d}",
            n=fmt_count(result.customers),
        )
    )
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("clv.check_actual"), fmt_count(result.actual), help=tr("clv.check_actual_help"))
    c2.metric(
        tr("clv.check_predicted"), fmt_count(result.predicted), help=tr("clv.check_predicted_help")
    )
    c3.metric(tr("clv.check_error"), f"{result.error:+.1%}", help=tr("clv.check_error_help"))
    st.markdown(message_text(check.verdict))
    if check.hint == "seasonal":
        day = f"{check.year_cutoff:%Y-%m-%d}"
        st.info(
            tr("clv.check_seasonal_hint", direction=tr(f"clv.{check.direction}"), date=day),
            icon=":material/lightbulb:",
        )
        st.button(
            tr("clv.use_cutoff", date=day),
            key="clv_use_year_cutoff",
            icon=":material/event:",
            on_click=use_cutoff,
            args=(check.year_cutoff,),
        )
    elif check.hint == "short":
        st.info(tr("clv.check_short_hint"), icon=":material/lightbulb:")
    left, right = st.columns(2)
    show_chart(
        "clv.by_frequency",
        key,
        lambda: holdout_frequency_chart(check.by_frequency, lang()),
        where=left,
    )
    left.caption(tr("clv.by_frequency_help"))
    with right:
        view = st.segmented_control(
            tr("clv.tracking_view"),
            ["cumulative", "step"],
            default="cumulative",
            format_func=lambda v: tr(f"clv.tracking_{v}"),
            key="clv_tracking_view",
            label_visibility="collapsed",
        )
        cumulative = view != "step"
        show_chart(
            "clv.tracking",
            (*key, cumulative),
            lambda: tracking_chart(check.tracking, check.data.cutoff, lang(), cumulative),
        )
        st.caption(tr("clv.tracking_help" if cumulative else "clv.tracking_help_step"))
    unit = tr(f"clv.unit_{check.settings.unit}")
    st.caption(
        tr(
            "clv.calibration_params",
            model=tr(f"clv.model_{check.settings.model}"),
            params=check.fit_parameters,
            n=fmt_count(check.fit.n_customers),
            unit=unit,
        )
    )
    if check.spend.fitted:
        st.caption(
            tr(
                "clv.calibration_spend_params",
                params=check.spend_parameters,
                n=fmt_count(check.spend.n_customers),
            )
        )
    for note in check.fit.problems:
        st.caption(message_text(note))


def spend_section(values: ValueModel) -> None:
    """The Gamma-Gamma spend model fitted on all data, its warnings and checks."""
    st.subheader(tr("clv.spend_title"))
    if values.spend_parameters:
        show_parameters(values.spend_parameters, "clv.param_gg")
        st.markdown("".join(message_text(part) for part in values.spend_reading))
    for problem in values.spend.problems:
        show(problem)
    for note in values.spend_notes:
        st.caption(message_text(note))


def check_tab(key: Key, values: ValueModel, check: HoldoutView) -> None:
    """The tab: the model on all data, its holdout check up to the cut-off, the spend model.

    `key`: the data's fingerprints, model settings and cut-off (the cache key of `check`).
    """
    model_section(values)
    holdout_section(key, check)
    spend_section(values)


def matrix_tab(key: Key, values: ValueModel, horizon_months: int) -> None:
    """Expected purchases and chance of being active on a frequency x recency grid."""
    grid = memo(
        "clv_fr_grid",
        (*key, horizon_months),
        lambda: recency_matrix(values, horizon_months),
        keep=2,
    )
    unit = tr(f"clv.unit_{values.settings.unit}")
    st.markdown(tr("clv.matrix_intro", months=horizon_months, unit=unit))
    left, right = st.columns(2)
    cells = heatmap_table(grid)
    for where, value in ((left, "expected_purchases"), (right, "p_alive")):
        show_with_data(
            f"clv.heatmap_{value}",
            key,
            lambda value=value: frequency_recency_heatmap(grid, value, unit, lang()),
            cells,
            (*key, horizon_months),
            where=where,
        )
    reading = (
        "clv.matrix_reading_uncertain"
        if values.dropout_uncertain
        else f"clv.matrix_reading_{values.settings.model}"
    )
    st.caption(tr(reading))
