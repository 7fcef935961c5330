"""Customer lifetime value: BG/NBD, Pareto/NBD or MBG/NBD with Gamma-Gamma, a holdout check, CLV and what-if.

The page reads the main choices (time unit, model, cut-off), fits through
`core.clv.views` (cached per data set and choice) and draws three tabs from
`ui.pages.clv_*`. The tabs run as one fragment: the What-if and the other local
controls rerun only them, from the cached fits.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core.clv import (
    PURCHASE_MODELS,
    TIME_UNITS,
    CustomerGroups,
    CutoffChoice,
    HoldoutView,
    ModelSettings,
    ValueModel,
    check_model,
    customer_groups,
    cutoff_choice,
    fit_values,
)
from core.format import fmt_count
from ui.common import demo_banner, features_of, require_orders, rfm_of, tr
from ui.pages.clv_check import RERUN_APP, check_tab, matrix_tab, show
from ui.pages.clv_value import value_tab
from ui.state import LoadedTable, get_table, memo


def settings_row(choice: CutoffChoice) -> tuple[ModelSettings, dt.date]:
    """Time unit, purchase model and calibration cut-off."""
    one, two, three = st.columns([1.2, 1.4, 1.2])
    unit = (
        one.segmented_control(
            tr("clv.unit"),
            TIME_UNITS,
            default="weeks",
            format_func=lambda u: tr(f"clv.unit_{u}"),
            key="clv_unit",
            help=tr("clv.unit_help"),
        )
        or "weeks"
    )
    model = two.selectbox(
        tr("clv.model"),
        PURCHASE_MODELS,
        format_func=lambda m: tr(f"clv.model_{m}"),
        key="clv_model",
        help=tr("clv.model_help"),
    )
    # A cut-off kept from another data set outside this one's range is reset by Streamlit
    # to `value` (the suggested day) when the widget is drawn.
    cutoff = three.date_input(
        tr("clv.cutoff"),
        value=choice.suggested,
        min_value=choice.earliest,
        max_value=choice.latest,
        key="clv_cutoff",
        help=tr("clv.cutoff_help", date=f"{choice.suggested:%Y-%m-%d}"),
    )
    return ModelSettings(unit, model), cutoff


def fitted(
    transactions: LoadedTable, orders: pd.DataFrame, settings: ModelSettings, cutoff: dt.date
) -> tuple[ValueModel, HoldoutView]:
    """The models up to the cut-off (the check) and on all data (the values), each cached."""
    key = (transactions.fingerprint, settings)
    model_name = tr(f"clv.model_{settings.model}")
    with st.status(tr("clv.status_running"), expanded=False) as status:
        st.write(tr("clv.step_summary"))
        st.write(tr("clv.step_calibration_fit", model=model_name))
        check = memo("clv_check", (*key, cutoff), lambda: check_model(orders, settings, cutoff))
        if check.holdout_checked:
            st.write(tr("clv.step_holdout"))
        st.write(tr("clv.step_full_fit"))
        values = memo("clv_values", key, lambda: fit_values(orders, settings))
        st.write(tr("clv.step_spend"))
        status.update(label=tr("clv.status_done"), state="complete")
    return values, check


@st.fragment
def results(
    key: tuple, cutoff: dt.date, values: ValueModel, check: HoldoutView, groups: CustomerGroups
) -> None:
    """The three tabs; a What-if or local control reruns only this."""
    if st.session_state.pop(RERUN_APP, False):  # a new cut-off: the whole page follows
        st.rerun(scope="app")
    tab_value, tab_check, tab_matrix = st.tabs(
        [tr("clv.tab_value"), tr("clv.tab_check"), tr("clv.tab_matrix")]
    )
    with tab_value:
        whatif = value_tab(key, values, groups)
    with tab_check:
        check_tab((*key, cutoff), values, check)
    with tab_matrix:
        matrix_tab(key, values, whatif.horizon_months)


def main() -> None:
    st.title(tr("clv.title"))
    st.markdown(tr("clv.intro"))
    demo_banner()
    transactions, orders = require_orders()
    choice = memo("clv_cutoffs", (transactions.fingerprint,), lambda: cutoff_choice(orders))
    if choice.problem is not None:
        show(choice.problem)
        st.stop()
    settings, cutoff = settings_row(choice)
    values, check = fitted(transactions, orders, settings, cutoff)
    for problem in values.problems:
        show(problem)
    if values.fit is None:
        st.stop()
    st.caption(tr("clv.full_data_note", n=fmt_count(len(values.customers))))
    customers = get_table("customers")
    data_key = (transactions.fingerprint, customers.fingerprint if customers else None)
    groups = memo(
        "clv_groups",
        data_key,
        lambda: customer_groups(
            values.customers,
            rfm_of(transactions).table["rfm_segment"],
            features_of(transactions, customers),
        ),
    )
    results((*data_key, settings), cutoff, values, check, groups)


main()
