"""Retention and churn: cohorts, churn by month, survival curves, the churn-risk model, the at-risk list and the what-if."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.charts.retention import (
    calibration_chart,
    churn_rate_chart,
    cohort_curves_chart,
    cohort_heatmap,
    cohort_label,
    group_curves_chart,
    importance_chart,
    risk_value_chart,
    survival_chart,
)
from core.churn_model import (
    DEFAULT_HORIZON_DAYS,
    TOP_SHARE,
    at_risk_list,
    drivers_markdown,
    feature_name,
    left_out_text,
    model_caption,
    prepare_history,
    prepare_subscribers,
    retention_offer,
    risk_bands,
    train_churn_model,
    train_subscription_model,
)
from core.format import fmt_count, fmt_money, fmt_share
from core.retention import (
    GROUP_COLUMNS,
    OTHER,
    PERIODS,
    UNKNOWN,
    acquisition_attributes,
    acquisition_cohorts,
    activity_spells,
    average_curve,
    churn_threshold_days,
    cohort_activity,
    cohort_table,
    customer_lifetimes,
    has_subscription_columns,
    kaplan_meier,
    logrank_reading,
    monthly_churn,
    subscription_activity,
    subscription_lifetimes,
    subscription_monthly_churn,
)
from ui.common import demo_banner, download_csv, download_excel, plain, require_orders, tr
from ui.state import get_table, lang, memo

DAYS_PER_MONTH = 30.4375
HEATMAP_MAX_COHORTS = 36

st.title(tr("retention.title"))
st.markdown(tr("retention.intro"))
demo_banner()

customers = get_table("customers")
subscription = has_subscription_columns(customers.table if customers else None)
if get_table("transactions") is None and not subscription:
    require_orders()  # says what to load and stops
transactions, orders = require_orders() if get_table("transactions") is not None else (None, None)
tx_key = transactions.fingerprint if transactions else None
cu_key = customers.fingerprint if customers else None
if subscription:
    st.info(tr("retention.subscription_mode"), icon=":material/autorenew:")

attributes = memo(
    "ret_attributes",
    (tx_key, cu_key),
    lambda: acquisition_attributes(
        transactions.table if transactions else None, customers.table if customers else None
    ),
)


def column_label(column: str) -> str:
    if column in GROUP_COLUMNS or column == "cohort":
        return tr(f"retention.group_{column}")
    return str(column)


def value_label(value: object) -> str:
    text = str(value)
    if text in ("yes", "no", OTHER, UNKNOWN, "all"):
        return tr(f"retention.value_{text}")
    return text


split_options = [None, *[c for c in attributes.columns]]

tab_cohorts, tab_churn, tab_survival, tab_model, tab_risk = st.tabs(
    [
        tr("retention.tab_cohorts"),
        tr("retention.tab_churn"),
        tr("retention.tab_survival"),
        tr("retention.tab_model"),
        tr("retention.tab_at_risk"),
    ]
)

# ---------------------------------------------------------------------------
# Cohorts
# ---------------------------------------------------------------------------
with tab_cohorts:
    by_subscription = transactions is None
    st.markdown(
        tr("retention.cohorts_intro_subscription" if by_subscription else "retention.cohorts_intro")
    )
    one, two, three = st.columns(3)
    period = one.selectbox(
        tr("retention.period"),
        PERIODS,
        format_func=lambda p: tr(f"retention.period_{p}"),
        key="retention_period",
    )
    split = two.selectbox(
        tr("retention.split_by"),
        split_options,
        format_func=lambda c: tr("retention.no_split") if c is None else column_label(c),
        key="retention_split",
        help=tr("retention.split_help"),
    )
    if transactions is not None:
        activity = memo("ret_activity", (tx_key, period), lambda: cohort_activity(orders, period))
    elif customers is not None and "signup_date" in customers.table:
        activity = memo(
            "ret_sub_activity",
            (cu_key, period),
            lambda: subscription_activity(customers.table, period),
        )
    else:
        activity = None
    definitions = ["retention", "retention_later"]
    if activity is not None and activity.has_revenue:
        definitions.append("revenue_retention")
    definition = three.radio(
        tr("retention.definition"),
        definitions,
        format_func=lambda d: tr(f"retention.def_{d}"),
        key="retention_definition",
        help=tr("retention.definition_help"),
    )
    st.caption(tr(f"retention.def_{definition}_help"))
    if activity is None:
        st.info(tr("retention.sub_no_signup"), icon=":material/info:")
    else:
        groups = attributes[split] if split is not None else None
        table = memo(
            "ret_cohort_table",
            (tx_key, cu_key, period, split),
            lambda: cohort_table(activity, groups),
        )
        if table.empty:
            st.info(tr("retention.no_cohorts"), icon=":material/info:")
        else:
            average = average_curve(table)
            group_names = list(dict.fromkeys(table["group"]))
            if split is not None:
                st.altair_chart(
                    group_curves_chart(
                        average.assign(group=average["group"].map(value_label)),
                        definition,
                        period,
                        lang(),
                    ),
                    width="stretch",
                )
                shown_group = st.selectbox(
                    tr("retention.heatmap_group", group=column_label(split)),
                    group_names,
                    format_func=value_label,
                    key="retention_heatmap_group",
                )
            else:
                shown_group = group_names[0]
            rows = table[table["group"] == shown_group]
            cohorts = sorted(rows["cohort"].unique())
            if len(cohorts) > HEATMAP_MAX_COHORTS:
                st.caption(
                    tr("retention.heatmap_recent", n=HEATMAP_MAX_COHORTS, total=len(cohorts))
                )
                rows_shown = rows[rows["cohort"].isin(cohorts[-HEATMAP_MAX_COHORTS:])]
            else:
                rows_shown = rows
            st.altair_chart(cohort_heatmap(rows_shown, definition, period, lang()), width="stretch")
            if split is None:
                st.altair_chart(
                    cohort_curves_chart(rows, average, definition, period, lang()), width="stretch"
                )
            if not by_subscription:
                st.caption(tr("retention.first_cohort_note"))
            if activity.partial_start is not None:
                st.caption(
                    tr(
                        "retention.partial_left_out",
                        start=activity.partial_start.strftime("%Y-%m-%d"),
                    )
                )
            # The reading: average retention at a few ages, and the best and worst group.
            overall_table = memo(
                "ret_cohort_table",
                (tx_key, cu_key, period, None),
                lambda: cohort_table(activity),
            )
            avg_all = average_curve(overall_table)
            marks = [a for a in (1, 3, 6, 12) if a in set(avg_all["age"])]
            if marks:
                values = avg_all.set_index("age")
                # Each item ends in its language's separator; the last one is trimmed.
                parts = "".join(
                    tr(
                        "retention.reading_age",
                        age=a,
                        noun=tr(f"retention.period_noun_{period}"),
                        value=fmt_share(values.loc[a, "retention_later"]),
                    )
                    for a in marks
                ).rstrip(" ,，")
                st.markdown(
                    tr(
                        "retention.cohort_reading_subscription"
                        if by_subscription
                        else "retention.cohort_reading",
                        period=tr(f"retention.period_noun_{period}"),
                        first=fmt_share(values.loc[marks[0], "retention"]),
                        parts=parts,
                    )
                )
                if split is not None and len(group_names) > 1:
                    age = marks[min(1, len(marks) - 1)]
                    at_age = average[
                        (average["age"] == age) & ~average["group"].isin([OTHER, UNKNOWN])
                    ]
                    if len(at_age) > 1:
                        best = at_age.loc[at_age["retention_later"].idxmax()]
                        worst = at_age.loc[at_age["retention_later"].idxmin()]
                        st.markdown(
                            tr(
                                "retention.split_reading",
                                age=age,
                                best=plain(value_label(best["group"])),
                                best_value=fmt_share(best["retention_later"]),
                                worst=plain(value_label(worst["group"])),
                                worst_value=fmt_share(worst["retention_later"]),
                            )
                        )
            export = table.assign(
                cohort=cohort_label(table["cohort_start"], period),
                group=table["group"].map(value_label),
            ).drop(columns=["cohort_start"])
            export = export.rename(columns={c: tr(f"retention.col_{c}") for c in export.columns})
            left, right = st.columns(2)
            with left:
                download_csv(
                    export, "cohorts.csv", tr("retention.download_csv"), "retention_cohorts_csv"
                )
            with right:
                download_excel(
                    export, "cohorts.xlsx", tr("retention.download_excel"), "retention_cohorts_xlsx"
                )

# ---------------------------------------------------------------------------
# Churn
# ---------------------------------------------------------------------------
churn_days = None
spells = None


def data_threshold() -> tuple[int, int, str | None]:
    """The data's own inactivity threshold (cached per data set)."""
    return memo("ret_threshold", (tx_key,), lambda: churn_threshold_days(orders))


with tab_churn:
    if subscription:
        st.markdown(tr("retention.churn_intro_subscription"))
        monthly = memo(
            "ret_sub_monthly", (cu_key,), lambda: subscription_monthly_churn(customers.table)
        )
        flags = memo(
            "ret_sub_lifetimes", (cu_key,), lambda: subscription_lifetimes(customers.table)
        )
        a, b = st.columns(2)
        a.metric(tr("retention.metric_customers"), fmt_count(len(flags.table)))
        a_share = flags.table["churned"].mean() if len(flags.table) else None
        b.metric(
            tr("retention.metric_churned_share"),
            fmt_share(a_share),
            help=tr("retention.metric_churned_share_help"),
        )
        active_now = int((~flags.table["churned"]).sum())
    else:
        st.markdown(tr("retention.churn_intro"))
        found_days, n_gaps, found_message = data_threshold()
        if found_message:
            st.info(tr(found_message), icon=":material/info:")
        threshold_column, _ = st.columns([1, 2])
        churn_days = int(
            threshold_column.number_input(
                tr("retention.churn_days"),
                min_value=7,
                max_value=3650,
                value=int(found_days),
                step=1,
                key="retention_churn_days",
                help=tr("retention.churn_days_help", days=found_days),
            )
        )
        st.caption(tr("retention.threshold_found", days=found_days, gaps=fmt_count(n_gaps)))
        span_days = (orders["order_date"].max() - orders["order_date"].min()).days
        if churn_days * 3 > span_days:
            st.info(
                tr("retention.threshold_long", days=churn_days, span=span_days),
                icon=":material/info:",
            )
        spells = memo(
            "ret_spells", (tx_key, churn_days), lambda: activity_spells(orders, churn_days)
        )
        monthly = memo("ret_monthly", (tx_key, churn_days), lambda: monthly_churn(spells))
        active_now = int((~spells.observed_end).sum())
    if monthly.empty:
        st.info(tr("retention.no_churn_months"), icon=":material/info:")
    else:
        last12 = monthly.tail(12)
        rate12 = last12["churned"].sum() / max(last12["active_start"].sum(), 1)
        a, b, c = st.columns(3)
        a.metric(
            tr("retention.metric_monthly_churn", n=len(last12)),
            fmt_share(rate12),
            help=tr("retention.metric_monthly_churn_help"),
        )
        last = monthly.iloc[-1]
        b.metric(
            tr("retention.metric_last_month", month=last["month"].strftime("%Y-%m")),
            fmt_share(last["churn_rate"]),
            help=tr("retention.metric_last_month_help"),
        )
        c.metric(
            tr("retention.metric_active_now"),
            fmt_count(active_now),
            help=tr("retention.metric_active_now_help"),
        )
        st.altair_chart(churn_rate_chart(monthly, lang()), width="stretch")
        peak = monthly.loc[monthly["churn_rate"].idxmax()]
        st.markdown(
            tr(
                "retention.churn_reading",
                rate=fmt_share(rate12),
                yearly=fmt_share(1 - (1 - rate12) ** 12),
                peak_month=peak["month"].strftime("%Y-%m"),
                peak=fmt_share(peak["churn_rate"]),
            )
        )
        export = monthly.assign(month=monthly["month"].dt.strftime("%Y-%m")).rename(
            columns={c: tr(f"retention.col_{c}") for c in monthly.columns}
        )
        download_csv(
            export, "churn_by_month.csv", tr("retention.download_csv"), "retention_churn_csv"
        )

# ---------------------------------------------------------------------------
# Survival
# ---------------------------------------------------------------------------
with tab_survival:
    st.markdown(
        tr("retention.survival_intro_subscription" if subscription else "retention.survival_intro")
    )
    if subscription:
        lifetimes = memo(
            "ret_sub_lifetimes", (cu_key,), lambda: subscription_lifetimes(customers.table)
        )
        if lifetimes.dropped:
            st.caption(tr("retention.lifetimes_dropped", n=fmt_count(lifetimes.dropped)))
    else:
        lifetimes = memo("ret_lifetimes", (tx_key, churn_days), lambda: customer_lifetimes(spells))
    survival_groups = [None, *attributes.columns]
    if activity is not None:
        survival_groups.append("cohort")
    by = st.selectbox(
        tr("retention.survival_by"),
        survival_groups,
        index=survival_groups.index("channel") if "channel" in survival_groups else 0,
        format_func=lambda c: tr("retention.no_split") if c is None else column_label(c),
        key="retention_survival_by",
    )
    if by == "cohort":
        quarters = memo(
            "ret_quarters",
            (tx_key, cu_key),
            lambda: acquisition_cohorts(
                cohort_activity(orders, "quarter")
                if transactions is not None
                else subscription_activity(customers.table, "quarter")
            ),
        )
        survival_groups_series = cohort_label(quarters, "quarter")
    else:
        survival_groups_series = attributes[by] if by is not None else None
    in_days = lifetimes.unit == "days"
    horizon = 365.0 if in_days else 12.0
    survival = memo(
        "ret_km",
        (tx_key, cu_key, churn_days, by),
        lambda: kaplan_meier(lifetimes.table, survival_groups_series, horizon=horizon),
    )
    if survival.message and survival.curves.empty:
        st.warning(tr(survival.message), icon=":material/warning:")
    else:
        if survival.message:
            st.info(tr(survival.message), icon=":material/info:")
        curves = survival.curves.assign(
            x=survival.curves["time"] / (DAYS_PER_MONTH if in_days else 1.0),
            group_label=survival.curves["group"].map(value_label),
        )
        time_title = tr(
            "retention.chart_months_since_first" if in_days else "retention.chart_tenure"
        )
        st.altair_chart(survival_chart(curves, time_title, lang()), width="stretch")
        summary = survival.groups
        unit = tr("retention.unit_months") if in_days else tr("retention.unit_tenure")
        scale = DAYS_PER_MONTH if in_days else 1.0
        st.dataframe(
            pd.DataFrame(
                {
                    "group": summary["group"].map(value_label),
                    "customers": summary["customers"],
                    "churned": summary["churned"],
                    "median": summary["median"] / scale,
                    "survival_at": summary["survival_at"] * 100,
                }
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "group": st.column_config.TextColumn(
                    column_label(by) if by else tr("retention.col_group")
                ),
                "customers": st.column_config.NumberColumn(
                    tr("chart.customers"), format="localized"
                ),
                "churned": st.column_config.NumberColumn(
                    tr("retention.col_churned_customers"), format="localized"
                ),
                "median": st.column_config.NumberColumn(
                    tr("retention.col_median", unit=unit),
                    format="%.1f",
                    help=tr("retention.col_median_help"),
                ),
                "survival_at": st.column_config.NumberColumn(
                    tr("retention.col_survival_12"),
                    format="%.1f%%",
                    help=tr("retention.col_survival_12_help"),
                ),
            },
        )
        overall = memo(
            "ret_km_all",
            (tx_key, cu_key, churn_days),
            lambda: kaplan_meier(lifetimes.table, None, horizon=horizon),
        ).groups.iloc[0]
        if pd.notna(overall["median"]):
            st.markdown(
                tr(
                    "retention.median_reading" if in_days else "retention.median_reading_tenure",
                    median=f"{overall['median'] / scale:.1f}",
                    unit=unit,
                    lost=fmt_share(overall["lost_at_start"]),
                )
            )
        else:
            st.markdown(tr("retention.median_not_reached"))
        reading = logrank_reading(survival)
        if reading is not None:
            key, params = reading
            st.markdown(
                tr(
                    key,
                    p=params["p"],
                    best=plain(value_label(params["best"])),
                    worst=plain(value_label(params["worst"])),
                    chi2=f"{survival.logrank_chi2:.1f}",
                )
            )
        with st.expander(tr("retention.survival_method_title")):
            st.markdown(
                tr("retention.survival_method")
                if in_days
                else tr("retention.survival_method_subscription")
            )

# ---------------------------------------------------------------------------
# Churn-risk model: from purchase histories, or from a subscription table's churn flag
# ---------------------------------------------------------------------------
model = None


def train_with_progress(fit):
    with st.status(tr("retention.training"), expanded=True) as status:
        bar = st.progress(0.0)
        result = fit(lambda fraction, key: bar.progress(fraction, text=tr(key)))
        status.update(label=tr("retention.trained"), state="complete", expanded=False)
    return result


with tab_model:
    sources = (["history"] if transactions is not None else []) + (
        ["subscription"] if subscription else []
    )
    source = (
        st.radio(
            tr("retention.model_source"),
            sources,
            format_func=lambda s: tr(f"retention.model_source_{s}"),
            key="retention_model_source",
            horizontal=True,
        )
        if len(sources) > 1
        else sources[0]
    )
    st.markdown(
        tr("retention.sub_model_intro" if source == "subscription" else "retention.model_intro")
    )
    if source == "subscription":
        subscribers = memo(
            "ret_subscribers", (cu_key,), lambda: prepare_subscribers(customers.table), keep=1
        )
        if subscribers.unknown:
            st.caption(tr("retention.sub_unknown", n=fmt_count(subscribers.unknown)))
        model = memo(
            "ret_sub_model",
            (cu_key,),
            lambda: train_with_progress(lambda p: train_subscription_model(subscribers, p)),
            keep=1,
        )
    else:
        horizon_days = st.selectbox(
            tr("retention.horizon"),
            [30, 60, 90, 180],
            index=[30, 60, 90, 180].index(DEFAULT_HORIZON_DAYS),
            format_func=lambda d: tr("retention.horizon_days", days=d),
            key="retention_horizon",
            help=tr("retention.horizon_help"),
        )
        history = memo(
            "ret_history",
            (tx_key, cu_key),
            lambda: prepare_history(
                orders, transactions.table, customers.table if customers else None
            ),
            keep=1,
        )
        if churn_days is None:
            churn_days = data_threshold()[0]
        model = memo(
            "ret_model",
            (tx_key, cu_key, churn_days, horizon_days),
            lambda: train_with_progress(
                lambda p: train_churn_model(history, churn_days, horizon_days, progress=p)
            ),
            keep=2,
        )
    if not model.ok:
        st.warning(tr(model.message, **model.params), icon=":material/warning:")
    else:
        caption_key, caption_params = model_caption(model)
        st.caption(tr(caption_key, **caption_params))
        auc, low, high = (f"{v:.2f}" for v in (model.auc, model.auc_low, model.auc_high))
        a, b, c = st.columns(3)
        a.metric(
            tr("retention.metric_auc"),
            tr("retention.auc_value", auc=auc, low=low, high=high),
            help=tr("retention.metric_auc_help"),
        )
        b.metric(
            tr("retention.metric_precision_top"),
            fmt_share(model.precision_top),
            help=tr(model.key("metric_precision_top_help"), share=fmt_share(TOP_SHARE, 0)),
        )
        c.metric(
            tr(model.key("metric_base_rate")),
            fmt_share(model.base_rate),
            help=tr(model.key("metric_base_rate_help"), days=model.horizon_days),
        )
        st.caption(
            tr(model.key("auc_interval"), auc=auc, low=low, high=high, n=fmt_count(model.n_test))
        )
        st.markdown(
            tr(
                model.key(f"auc_reading_{model.quality}"),
                auc=auc,
                precision=fmt_share(model.precision_top),
                base=fmt_share(model.base_rate),
                lift=f"{model.lift_top:.1f}",
            )
        )
        left, right = st.columns([2, 3])
        with left:
            st.altair_chart(calibration_chart(model.calibration, lang()), width="stretch")
            st.caption(tr("retention.calibration_help"))
        with right:
            top = model.importance.head(10)
            top = top.assign(label=[feature_name(f, lang()) for f in top["feature"]])
            st.altair_chart(importance_chart(top, lang()), width="stretch")
            st.caption(tr("retention.importance_help"))
        if model.quality != "none":
            st.markdown(drivers_markdown(model, lang(), plain))
        if model.left_out:
            st.caption(left_out_text(model, lang()))

# ---------------------------------------------------------------------------
# At-risk list and what if
# ---------------------------------------------------------------------------
with tab_risk:
    if model is None or not model.ok:
        st.info(tr("retention.at_risk_needs_model"), icon=":material/info:")
    else:
        key, scores, money = model.key, model.scores, model.has_value
        st.markdown(tr(key("at_risk_intro")))
        a, b, c = st.columns(3)
        a.metric(
            tr(key("metric_current")), fmt_count(len(scores)), help=tr(key("metric_current_help"))
        )
        b.metric(
            tr("retention.metric_expected_churners"),
            fmt_count(scores["risk"].sum()),
            help=tr(key("metric_expected_churners_help"), days=model.horizon_days),
        )
        if money:
            c.metric(
                tr(key("metric_at_stake")),
                fmt_money(scores["at_stake"].sum()),
                help=tr(key("metric_at_stake_help")),
            )
        st.altair_chart(
            risk_value_chart(risk_bands(scores), lang(), model.mode == "subscription", money),
            width="stretch",
        )
        min_risk = st.slider(
            tr("retention.min_risk"), 0, 100, 50, step=5, format="%d%%", key="retention_min_risk"
        )
        at_risk = at_risk_list(model, min_risk / 100, lang())
        st.caption(tr(key("list_caption"), n=fmt_count(len(at_risk)), risk=min_risk))
        number = st.column_config.NumberColumn
        columns = {
            "customer_id": st.column_config.TextColumn(tr("field.customer_id")),
            "risk": number(
                tr("retention.col_risk"),
                format="%.0f%%",
                help=tr(key("col_risk_help"), days=model.horizon_days),
            ),
            "value": number(tr(key("col_value")), format="%.2f", help=tr(key("col_value_help"))),
            "at_stake": number(
                tr(key("col_at_stake")), format="%.2f", help=tr(key("col_at_stake_help"))
            ),
            "reason": st.column_config.TextColumn(tr("retention.col_reason"), width="large"),
            "recency_days": number(tr("retention.col_recency_days"), format="%d"),
            "frequency": number(tr("retention.col_orders"), format="%d"),
            "tenure": number(tr("field.tenure"), format="%d"),
        }
        columns = {k: v for k, v in columns.items() if k in at_risk}
        st.dataframe(at_risk.head(500), hide_index=True, width="stretch", column_config=columns)
        export = at_risk[list(columns)].rename(columns={k: v["label"] for k, v in columns.items()})
        left, right = st.columns(2)
        with left:
            download_csv(
                export,
                "at_risk_customers.csv",
                tr("retention.download_list_csv", n=fmt_count(len(export))),
                "retention_list_csv",
            )
        with right:
            download_excel(
                export,
                "at_risk_customers.xlsx",
                tr("retention.download_list_excel", n=fmt_count(len(export))),
                "retention_list_xlsx",
            )

        st.subheader(tr("retention.whatif_title"))
        st.caption(tr(key("whatif_intro")))
        one, two, three, four = st.columns(4)
        share = one.slider(
            tr("retention.whatif_share"),
            1,
            100,
            10,
            format="%d%%",
            key="retention_whatif_share",
            help=tr(key("whatif_share_help")),
        )
        points = two.slider(
            tr("retention.whatif_points"),
            0,
            50,
            10,
            format="%d",
            key="retention_whatif_points",
            help=tr("retention.whatif_points_help"),
        )
        cost = three.number_input(
            tr("retention.whatif_cost"),
            min_value=0.0,
            value=5.0,
            step=0.5,
            key="retention_whatif_cost",
            help=tr("retention.whatif_cost_help"),
        )
        margin = four.slider(
            tr("retention.whatif_margin"),
            5,
            100,
            40,
            format="%d%%",
            key="retention_whatif_margin",
            help=tr("retention.whatif_margin_help"),
            disabled=not money,
        )
        offer = retention_offer(
            scores, share / 100, points, cost, margin / 100, model.value_to_year
        )
        a, b, c, d = st.columns(4)
        a.metric(tr(key("whatif_contacted")), fmt_count(offer.contacted))
        b.metric(
            tr(key("whatif_kept")), fmt_count(offer.kept), help=tr("retention.whatif_kept_help")
        )
        if money:
            c.metric(
                tr(key("whatif_revenue_kept")),
                fmt_money(offer.revenue_kept),
                help=tr(key("whatif_revenue_kept_help")),
            )
            d.metric(
                tr("retention.whatif_roi"),
                "–" if offer.cost == 0 else fmt_share(offer.roi, 0),
                help=tr("retention.whatif_roi_help"),
            )
        st.markdown(
            tr(
                key("whatif_reading") if money else "retention.whatif_reading_no_value",
                n=fmt_count(offer.contacted),
                share=share,
                churners=fmt_count(offer.expected_churners),
                kept=fmt_count(offer.kept),
                revenue=fmt_money(offer.revenue_kept),
                cost=fmt_money(offer.cost),
                net=fmt_money(offer.net),
                margin=margin,
            )
        )
        if money and offer.cost > 0 and offer.net < 0:
            st.warning(tr("retention.whatif_loss"), icon=":material/warning:")
