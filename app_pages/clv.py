"""Customer lifetime value: BG/NBD, Pareto/NBD or MBG/NBD with Gamma-Gamma, a holdout check, CLV and what-if."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.charts.clv import (
    clv_histogram,
    frequency_recency_heatmap,
    group_value_chart,
    holdout_frequency_chart,
    payback_chart,
    tracking_chart,
)
from core.clustering import breakdown_columns, customer_features, feature_label
from core.clv import (
    MAX_HORIZON_MONTHS,
    PURCHASE_MODELS,
    TIME_UNITS,
    UNIT_DAYS,
    acquisition_table,
    clv_distribution,
    customer_clv,
    customer_table,
    default_cutoff,
    dropout_is_uncertain,
    fit_purchases,
    fit_spend,
    forecast,
    frequency_recency_matrix,
    holdout_by_frequency,
    holdout_check,
    new_customer_value,
    parameter_table,
    purchase_reading,
    repeat_uplift,
    rfm_summary,
    spend_spread,
    tracking_curve,
    value_by_group,
    value_share_of_top,
)
from core.format import fmt_count, fmt_money, fmt_share
from ui.common import demo_banner, download_csv, download_excel, plain, require_orders, rfm_of, tr
from ui.state import get_table, lang, memo

st.title(tr("clv.title"))
st.markdown(tr("clv.intro"))
demo_banner()

transactions, orders = require_orders()
fingerprint = transactions.fingerprint
first_day = orders["order_date"].min().normalize()
last_day = orders["order_date"].max().normalize()
if last_day <= first_day:
    st.warning(tr("clv.one_day"), icon=":material/warning:")
    st.stop()


def show_parameters(params: pd.DataFrame, meaning_key) -> None:
    """Parameters with SE, 95% interval and meaning, as a static table (long texts wrap)."""
    st.table(
        pd.DataFrame(
            {
                tr("clv.col_parameter"): params["parameter"],
                tr("clv.col_estimate"): params["estimate"].map(lambda v: f"{v:.4g}"),
                tr("clv.col_se"): params["se"].map(lambda v: f"{v:.2g}"),
                tr("clv.col_interval"): [
                    f"{low:.4g} – {high:.4g}"
                    for low, high in zip(params["low"], params["high"], strict=True)
                ],
                tr("clv.col_meaning"): params["parameter"].map(lambda p: tr(meaning_key(p))),
            }
        ).set_index(tr("clv.col_parameter"))
    )


# --- Settings -----------------------------------------------------------------------------
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
earliest_cutoff = (first_day + pd.Timedelta(days=1)).date()
latest_cutoff = max(earliest_cutoff, (last_day - pd.Timedelta(days=1)).date())
suggested_cutoff = default_cutoff(orders)
suggested = min(max(suggested_cutoff.date(), earliest_cutoff), latest_cutoff)
# A cut-off kept from another data set (the widget's state) may lie outside this one.
kept = st.session_state.get("clv_cutoff")
if kept is not None and not earliest_cutoff <= kept <= latest_cutoff:
    del st.session_state["clv_cutoff"]
cutoff = three.date_input(
    tr("clv.cutoff"),
    value=suggested,
    min_value=earliest_cutoff,
    max_value=latest_cutoff,
    key="clv_cutoff",
    help=tr("clv.cutoff_help", date=suggested.strftime("%Y-%m-%d")),
)
cutoff = pd.Timestamp(cutoff)
unit_label = tr(f"clv.unit_{unit}")

# --- Fitting (each step cached by data and settings; what-if values are not in any key) ---
with st.status(tr("clv.status_running"), expanded=False) as status:
    st.write(tr("clv.step_summary"))
    calibration = memo(
        "clv_calibration",
        (fingerprint, cutoff, unit),
        lambda: rfm_summary(orders, cutoff, unit, end=last_day),
    )
    full = memo("clv_full", (fingerprint, unit), lambda: rfm_summary(orders, unit=unit))
    st.write(tr("clv.step_calibration_fit", model=tr(f"clv.model_{model}")))
    calibration_fit = memo(
        "clv_calibration_fit",
        (fingerprint, cutoff, unit, model),
        lambda: fit_purchases(calibration.summary, model),
    )
    check = by_frequency = tracking = None
    if calibration_fit.fit is not None and calibration.holdout_length > 0:
        st.write(tr("clv.step_holdout"))
        check, by_frequency, tracking = memo(
            "clv_check",
            (fingerprint, cutoff, unit, model),
            lambda: (
                holdout_check(calibration, calibration_fit.fit),
                holdout_by_frequency(calibration, calibration_fit.fit),
                tracking_curve(orders, calibration, calibration_fit.fit),
            ),
        )
    st.write(tr("clv.step_full_fit"))
    full_fit = memo(
        "clv_full_fit", (fingerprint, unit, model), lambda: fit_purchases(full.summary, model)
    )
    st.write(tr("clv.step_spend"))
    spend = memo("clv_spend", (fingerprint, unit), lambda: fit_spend(full.summary))
    calibration_spend = memo(
        "clv_calibration_spend", (fingerprint, cutoff, unit), lambda: fit_spend(calibration.summary)
    )
    status.update(label=tr("clv.status_done"), state="complete")

for key in full.messages:
    if key != "clv.no_holdout":
        st.warning(tr(key), icon=":material/warning:")
if full_fit.fit is None:
    if full_fit.message not in full.messages:
        st.warning(tr(full_fit.message or "clv.fit_failed"), icon=":material/warning:")
    st.stop()
fit = full_fit.fit
for key in fit.messages:
    st.info(tr(key), icon=":material/info:")
st.caption(tr("clv.full_data_note", n=fmt_count(len(full.summary))))

tab_value, tab_check, tab_matrix = st.tabs(
    [tr("clv.tab_value"), tr("clv.tab_check"), tr("clv.tab_matrix")]
)

# --- Value and what-if -------------------------------------------------------------------
with tab_value:
    with st.container(border=True):
        st.markdown(f"**{tr('clv.whatif_title')}**")
        a, b, c = st.columns(3)
        margin = (
            a.slider(
                tr("clv.margin"),
                1,
                100,
                30,
                format="%d%%",
                key="clv_margin",
                help=tr("clv.margin_help"),
            )
            / 100
        )
        discount = (
            b.slider(
                tr("clv.discount"),
                0,
                30,
                10,
                format="%d%%",
                key="clv_discount",
                help=tr("clv.discount_help"),
            )
            / 100
        )
        horizon = c.slider(
            tr("clv.horizon"),
            1,
            MAX_HORIZON_MONTHS,
            12,
            key="clv_horizon",
            help=tr("clv.horizon_help"),
        )

    fc = memo(
        "clv_forecast",
        (fingerprint, unit, model, horizon),
        lambda: forecast(full, fit, spend, horizon),
        keep=2,
    )
    clv = customer_clv(fc, margin, discount)
    new = new_customer_value(fit, spend, fc, margin, discount)

    segments = memo(
        "clv_segments",
        (fingerprint,),
        lambda: rfm_of(transactions).table["rfm_segment"].astype(str),
    )
    segment_names = segments.map({s: tr(f"segment.{s}") for s in segments.unique()})
    customers = get_table("customers")
    features = memo(
        "clv_features",
        (fingerprint, customers.fingerprint if customers else None),
        lambda: customer_features(
            orders, transactions.table, customers.table if customers else None
        ),
    )
    # The acquisition channel from the customers table, else the channel of the first order.
    channel_column = next((c for c in ("channel", "first_order_channel") if c in features), None)
    channels = features[channel_column].astype("string") if channel_column else None
    channel_label = tr(
        "clv.col_channel" if channel_column == "channel" else "clv.col_first_channel"
    )

    m1, m2, m3, m4 = st.columns(4)
    m1.metric(
        tr("clv.metric_mean_clv"), fmt_money(float(clv.mean())), help=tr("clv.metric_mean_clv_help")
    )
    m2.metric(
        tr("clv.metric_total_clv"),
        fmt_money(float(clv.sum())),
        help=tr("clv.metric_total_clv_help", months=horizon),
    )
    m3.metric(
        tr("clv.metric_purchases"),
        fmt_count(float(fc.table["expected_purchases"].sum())),
        help=tr("clv.metric_purchases_help", months=horizon),
    )
    # With drop-out not identified, the average is the model's assumption, not a finding.
    uncertain = dropout_is_uncertain(fit)
    m4.metric(
        tr("clv.metric_alive"),
        tr("clv.alive_unknown") if uncertain else fmt_share(float(fc.table["p_alive"].mean())),
        help=tr("clv.alive_unknown_help" if uncertain else "clv.metric_alive_help"),
    )
    if uncertain:
        st.info(tr("clv.dropout_uncertain"), icon=":material/info:")
    top_share = value_share_of_top(clv, 0.1)
    st.markdown(
        tr(
            "clv.value_reading",
            n=fmt_count(len(clv)),
            months=horizon,
            total=fmt_money(float(clv.sum())),
            mean=fmt_money(float(clv.mean())),
            top=fmt_share(top_share),
            margin=fmt_share(margin, 0),
            discount=fmt_share(discount, 0),
        )
    )

    st.subheader(tr("clv.acquisition_title"))
    st.caption(tr("clv.acquisition_intro"))
    by_channel = False
    if channels is not None:
        by_channel = (
            st.radio(
                tr("clv.cac_mode"),
                ["overall", "channel"],
                format_func=lambda m: tr(f"clv.cac_mode_{m}"),
                horizontal=True,
                key="clv_cac_mode",
            )
            == "channel"
        )
    if by_channel:
        names = channels.reindex(fc.table.index).dropna().value_counts().index.tolist()
        editor = st.data_editor(
            pd.DataFrame({"channel": names, "cac": pd.Series([None] * len(names), dtype=float)}),
            hide_index=True,
            disabled=["channel"],
            key="clv_cac_table",
            column_config={
                "channel": st.column_config.TextColumn(channel_label),
                "cac": st.column_config.NumberColumn(
                    tr("clv.cac"), min_value=0.0, format="%.2f", help=tr("clv.cac_help")
                ),
            },
        )
        cac = {str(k): v for k, v in zip(editor["channel"], editor["cac"], strict=True)}
    else:  # No cost until the user enters one: no verdict on an assumption they never made.
        cac = st.number_input(
            tr("clv.cac"),
            min_value=0.0,
            value=None,
            step=5.0,
            key="clv_cac",
            help=tr("clv.cac_help"),
            placeholder=tr("clv.cac_placeholder"),
        )
    acquisition = acquisition_table(fc, clv, new, cac, margin, channels if by_channel else None)
    economics = acquisition.table
    overall = economics.iloc[0]
    e1, e2, e3 = st.columns(3)
    e1.metric(
        tr("clv.metric_new_value"),
        fmt_money(float(overall["new_value"])),
        help=tr(
            "clv.metric_new_value_help",
            first=fmt_money(new.first_order_spend),
            repeat=fmt_money(new.repeat_spend),
            months=horizon,
        ),
    )
    if acquisition.verdict is None:
        st.info(tr("clv.cac_missing_channel" if by_channel else "clv.cac_missing"))
    else:
        ratio, payback = overall["ratio"], overall["payback_months"]
        e2.metric(tr("clv.metric_ratio"), f"{ratio:.1f} : 1", help=tr("clv.metric_ratio_help"))
        e3.metric(
            tr("clv.metric_payback"),
            tr("clv.payback_never", months=horizon)
            if pd.isna(payback)
            else tr("clv.payback_months", months=int(payback)),
            help=tr("clv.metric_payback_help"),
        )
        st.markdown(tr(acquisition.verdict, ratio=f"{ratio:.1f}", months=horizon))

    curves = acquisition.curves.assign(
        label=acquisition.curves["group"].fillna(tr("clv.all_customers"))
    )
    st.altair_chart(payback_chart(curves, lang()), width="stretch")
    if by_channel:
        shown = economics.assign(
            group=economics["group"].fillna(tr("clv.all_customers")),
        )
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={
                "group": st.column_config.TextColumn(channel_label),
                "customers": st.column_config.NumberColumn(
                    tr("chart.customers"), format="localized"
                ),
                "mean_clv": st.column_config.NumberColumn(tr("clv.col_mean_clv"), format="%.2f"),
                "new_value": st.column_config.NumberColumn(
                    tr("clv.metric_new_value"), format="%.2f"
                ),
                "cac": st.column_config.NumberColumn(tr("clv.cac_short"), format="%.2f"),
                "ratio": st.column_config.NumberColumn(tr("clv.metric_ratio"), format="%.1f"),
                "payback_months": st.column_config.NumberColumn(tr("clv.col_payback"), format="%d"),
            },
        )

    uplift = (
        st.slider(
            tr("clv.uplift"),
            0,
            50,
            10,
            step=5,
            format="+%d%%",
            key="clv_uplift",
            help=tr("clv.uplift_help"),
        )
        / 100
    )
    gain = repeat_uplift(fc, clv, uplift)
    u1, u2, u3 = st.columns(3)
    u1.metric(tr("clv.uplift_purchases"), f"+{fmt_count(gain.extra_purchases)}")
    u2.metric(tr("clv.uplift_revenue"), f"+{fmt_money(gain.extra_revenue)}")
    u3.metric(tr("clv.uplift_clv"), f"+{fmt_money(gain.extra_clv)}")
    st.caption(
        tr(
            "clv.uplift_reading",
            x=fmt_share(uplift, 0),
            revenue=fmt_money(gain.extra_revenue),
            months=horizon,
        )
    )

    st.subheader(tr("clv.who_title"))
    left, right = st.columns(2)
    left.altair_chart(clv_histogram(clv_distribution(clv), lang()), width="stretch")
    left.caption(tr("clv.distribution_help"))
    table = customer_table(fc, clv, segment_names, channels)
    columns = {
        "customer_id": st.column_config.TextColumn(tr("field.customer_id")),
        "segment": st.column_config.TextColumn(tr("clv.col_segment")),
        "channel": st.column_config.TextColumn(channel_label),
        "purchases": st.column_config.NumberColumn(
            tr("clv.col_purchases"), format="%d", help=tr("clv.col_purchases_help")
        ),
        "total_spend": st.column_config.NumberColumn(tr("clv.col_total_spend"), format="%.2f"),
        "p_alive": st.column_config.ProgressColumn(
            tr("clv.col_p_alive"),
            format="percent",
            min_value=0.0,
            max_value=1.0,
            help=tr("clv.col_p_alive_help"),
        ),
        "expected_purchases": st.column_config.NumberColumn(
            tr("clv.col_expected_purchases", months=horizon),
            format="%.2f",
            help=tr("clv.col_expected_purchases_help"),
        ),
        "expected_spend": st.column_config.NumberColumn(
            tr("clv.col_expected_spend"),
            format="%.2f",
            help=tr("clv.col_expected_spend_help"),
        ),
        "clv": st.column_config.NumberColumn(
            tr("clv.col_clv"), format="%.2f", help=tr("clv.col_clv_help")
        ),
    }
    with right:
        st.markdown(f"**{tr('clv.top_title')}**")
        top = table.head(20)
        st.dataframe(
            top[["customer_id", "clv"] if uncertain else ["customer_id", "p_alive", "clv"]],
            hide_index=True,
            width="stretch",
            height=36 * 11,
            column_config=columns,
        )
        top100 = table.head(100)
        slipping = int((top100["p_alive"] < 0.5).sum())
        st.caption(
            tr("clv.top_reading_uncertain", top=len(top100))
            if uncertain
            else tr("clv.top_reading", n=slipping, top=len(top100))
            if slipping
            else tr("clv.top_reading_safe", top=len(top100))
        )

    left, right = st.columns(2)
    by_segment = value_by_group(fc.table, clv, segment_names)
    left.altair_chart(
        group_value_chart(
            by_segment.rename(columns={"group": "label"}), tr("clv.chart_by_segment"), lang()
        ),
        width="stretch",
    )
    attributes = breakdown_columns(features)
    if attributes:
        with right:
            attribute = st.selectbox(
                tr("clv.by_attribute"),
                attributes,
                index=attributes.index(channel_column) if channel_column in attributes else 0,
                format_func=lambda c: feature_label(c, lang()),
                key="clv_attribute",
            )
            by_attribute = value_by_group(fc.table, clv, features[attribute].astype("string"))
            st.altair_chart(
                group_value_chart(
                    by_attribute.rename(columns={"group": "label"}),
                    tr("clv.chart_by_attribute", attribute=feature_label(attribute, lang())),
                    lang(),
                ),
                width="stretch",
            )
            ranked = by_attribute[by_attribute["customers"] >= 20].sort_values("mean_clv")
            if len(ranked) >= 2:
                st.caption(
                    tr(
                        "clv.attribute_reading",
                        best=plain(ranked["group"].iloc[-1]),
                        best_clv=fmt_money(float(ranked["mean_clv"].iloc[-1])),
                        worst=plain(ranked["group"].iloc[0]),
                        worst_clv=fmt_money(float(ranked["mean_clv"].iloc[0])),
                    )
                )
    else:
        right.info(tr("clv.no_channel"), icon=":material/info:")

    st.subheader(tr("clv.table_title"))
    st.caption(
        tr("clv.table_caption", n=fmt_count(len(table)), shown=fmt_count(min(len(table), 1000)))
    )
    st.dataframe(table.head(1000), hide_index=True, width="stretch", column_config=columns)
    export = table.rename(
        columns={
            "customer_id": tr("field.customer_id"),
            "segment": tr("clv.col_segment"),
            "channel": channel_label,
            "purchases": tr("clv.col_purchases"),
            "total_spend": tr("clv.col_total_spend"),
            "p_alive": tr("clv.col_p_alive"),
            "expected_purchases": tr("clv.col_expected_purchases", months=horizon),
            "expected_spend": tr("clv.col_expected_spend"),
            "clv": tr("clv.col_clv"),
        }
    )
    d1, d2 = st.columns(2)
    with d1:
        download_csv(export, "clv.csv", tr("clv.download_csv", n=fmt_count(len(export))), "clv_csv")
    with d2:
        download_excel(
            export, "clv.xlsx", tr("clv.download_excel", n=fmt_count(len(export))), "clv_xlsx"
        )

# --- Model and holdout check -------------------------------------------------------------
with tab_check:
    st.subheader(tr("clv.params_title", model=tr(f"clv.model_{model}")))
    reading = purchase_reading(fit, UNIT_DAYS[unit])
    show_parameters(
        parameter_table(fit.params, fit.standard_errors), lambda p: f"clv.param_{model}_{p}"
    )
    st.caption(tr("clv.params_unit", unit=unit_label, n=fmt_count(fit.n_customers)))
    lines = [
        tr(
            "clv.reading_rate",
            per_month=f"{reading.purchases_per_month:.2f}",
            days=f"{reading.days_between:.0f}",
        )
    ]
    if reading.dropout_uncertain:
        lines.append(tr("clv.reading_dropout_unknown"))
    elif reading.dropout_per_purchase is not None:
        lines.append(
            tr("clv.reading_dropout_purchase", share=fmt_share(reading.dropout_per_purchase))
        )
    elif reading.dropout_year is not None:
        lines.append(tr("clv.reading_dropout_year", share=fmt_share(reading.dropout_year)))
    lines.append(tr("clv.reading_uneven" if reading.uneven else "clv.reading_even"))
    st.markdown("\n".join(f"- {line}" for line in lines))
    if reading.dropout_uncertain:
        st.info(tr("clv.dropout_uncertain"), icon=":material/info:")

    st.subheader(tr("clv.check_title"))
    cutoff_text = calibration.cutoff.strftime("%Y-%m-%d")
    if calibration_fit.fit is None:
        st.warning(tr(calibration_fit.message or "clv.fit_failed"), icon=":material/warning:")
    elif check is None or check.actual == 0:
        st.info(tr("clv.no_holdout"), icon=":material/info:")
    else:
        st.caption(
            tr(
                "clv.check_intro",
                cutoff=cutoff_text,
                end=calibration.end.strftime("%Y-%m-%d"),
                n=fmt_count(check.customers),
            )
        )
        c1, c2, c3 = st.columns(3)
        c1.metric(tr("clv.check_actual"), fmt_count(check.actual), help=tr("clv.check_actual_help"))
        c2.metric(
            tr("clv.check_predicted"),
            fmt_count(check.predicted),
            help=tr("clv.check_predicted_help"),
        )
        c3.metric(
            tr("clv.check_error"),
            f"{check.error * 100:+.1f}%",
            help=tr("clv.check_error_help"),
        )
        error = f"{check.error * 100:+.0f}%"
        st.markdown(tr(check.verdict, error=error, correlation=f"{check.correlation:.2f}"))
        if check.verdict == "clv.check_poor":
            one_year_back = last_day - pd.DateOffset(years=1)
            if one_year_back - first_day >= pd.Timedelta(days=180):
                st.info(
                    tr(
                        "clv.check_seasonal_hint",
                        direction=tr("clv.over" if check.error > 0 else "clv.under"),
                        date=one_year_back.strftime("%Y-%m-%d"),
                    ),
                    icon=":material/lightbulb:",
                )
                st.button(
                    tr("clv.use_cutoff", date=one_year_back.strftime("%Y-%m-%d")),
                    key="clv_use_year_cutoff",
                    icon=":material/event:",
                    on_click=st.session_state.update,
                    kwargs={"clv_cutoff": one_year_back.date()},
                )
            else:
                st.info(tr("clv.check_short_hint"), icon=":material/lightbulb:")
        left, right = st.columns(2)
        left.altair_chart(holdout_frequency_chart(by_frequency, lang()), width="stretch")
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
            st.altair_chart(
                tracking_chart(tracking, calibration.cutoff, lang(), view != "step"),
                width="stretch",
            )
            st.caption(tr("clv.tracking_help" if view != "step" else "clv.tracking_help_step"))
        st.caption(
            tr(
                "clv.calibration_params",
                model=tr(f"clv.model_{model}"),
                params=", ".join(
                    f"{name} {value:.4g}" for name, value in calibration_fit.fit.params.items()
                ),
                n=fmt_count(calibration_fit.fit.n_customers),
                unit=unit_label,
            )
        )
        if calibration_spend.fitted:
            st.caption(
                tr(
                    "clv.calibration_spend_params",
                    params=", ".join(f"{k} {v:.4g}" for k, v in calibration_spend.params.items()),
                    n=fmt_count(calibration_spend.n_customers),
                )
            )
        for key in calibration_fit.fit.messages:
            st.caption(tr(key))

    st.subheader(tr("clv.spend_title"))
    if spend.fitted:
        show_parameters(
            parameter_table(spend.params, spend.standard_errors), lambda p: f"clv.param_gg_{p}"
        )
        spread = spend_spread(spend)
        st.markdown(
            tr(
                "clv.spend_reading",
                mean=fmt_money(spend.population_mean),
                n=fmt_count(spend.n_customers),
            )
            + (tr("clv.spend_spread", spread=fmt_share(spread, 0)) if spread else "")
        )
    for key in spend.messages:
        st.warning(tr(key), icon=":material/warning:")
    if spend.zero_purchases:
        st.caption(tr("clv.spend_zero_counted", n=fmt_count(spend.zero_purchases)))
    if spend.left_out:
        st.caption(tr("clv.spend_zero_left_out", n=fmt_count(spend.left_out)))
    if pd.notna(spend.correlation):
        correlated = "clv.spend_correlated" in spend.messages
        st.caption(
            tr(
                "clv.correlation_bad" if correlated else "clv.correlation_ok",
                r=f"{spend.correlation:.2f}",
            )
        )

# --- Frequency / recency matrices --------------------------------------------------------
with tab_matrix:
    horizon_units = horizon * (365.25 / 12) / UNIT_DAYS[unit]
    grid = memo(
        "clv_fr_grid",
        (fingerprint, unit, model, horizon),
        lambda: frequency_recency_matrix(fit, full, horizon_units),
        keep=2,
    )
    st.markdown(tr("clv.matrix_intro", months=horizon, unit=unit_label))
    left, right = st.columns(2)
    left.altair_chart(
        frequency_recency_heatmap(grid, "expected_purchases", unit_label, lang()), width="stretch"
    )
    right.altair_chart(
        frequency_recency_heatmap(grid, "p_alive", unit_label, lang()), width="stretch"
    )
    st.caption(tr("clv.matrix_reading_uncertain" if uncertain else f"clv.matrix_reading_{model}"))
