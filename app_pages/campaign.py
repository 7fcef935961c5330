"""Campaign evaluation: A/B lift with honest statistics, trust checks, money, segments, power, pre/post impact, channels."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from core.campaign import customers
from core.campaign.abtest import (
    EXAMPLE_SUMMARY,
    CampaignData,
    arm_rates,
    best_variant,
    breakdown_columns,
    chance_to_beat,
    compare,
    comparisons_note,
    detect_control,
    direction,
    from_totals,
    group_intervals,
    heterogeneity,
    is_aggregate,
    lift_by,
    lift_table,
    narrowing,
    outlier_note,
    srm_check,
    strength,
)
from core.campaign.impact import (
    EXAMPLE_SERIES,
    MIN_PRE_PERIODS,
    estimate_impact,
    kpi_series,
    series_from_table,
)
from core.campaign.money import EXAMPLE_CHANNELS, channel_table, money_table, rollout
from core.campaign.outcomes import MAPPED, campaign_from_table, outcome_columns
from core.campaign.power import detectable_lift, power_curve, sample_size
from core.charts.campaign import (
    channel_chart,
    forest_chart,
    impact_panels,
    power_chart,
    rates_chart,
)
from core.format import fmt_count, fmt_money, fmt_share
from core.segmentation import LifecycleThresholds
from ui.common import (
    UPLOAD_PAGE,
    demo_banner,
    download_csv,
    download_excel,
    lifecycle_found,
    message_text,
    orders_of,
    plain,
    rfm_of,
    stages_of,
    tr,
)
from ui.state import get_table, lang, memo

st.title(tr("campaign.title"))
st.markdown(tr("campaign.intro"))
demo_banner()


def interval_metric(column, label: str, estimate: tuple, fmt) -> None:
    """A metric whose help gives its 95% interval: `estimate` is (value, low, high)."""
    value, low, high = estimate
    column.metric(
        label, fmt(value), help=tr("campaign.interval_help", low=fmt(low), high=fmt(high))
    )


def p_text(p: float) -> str:
    """A p-value after "p": "= 0.031" or "< 0.001" (tiny p-values mean the same to a reader)."""
    if p is None or math.isnan(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"= {p:.3g}"


def pts(value: float) -> str:
    """A difference of rates in percentage points (0.0066 -> "0.66")."""
    return "–" if value is None or math.isnan(value) else f"{value * 100:.2f}"


def signed_pts(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value * 100:+.2f}"


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


def show_notes(notes) -> None:
    for note in notes:
        st.info(message_text(note), icon=":material/info:")


def export(frame: pd.DataFrame, name: str, key: str) -> None:
    one, two = st.columns(2)
    with one:
        download_csv(frame, f"{name}.csv", tr("campaign.download_csv"), key=f"{key}_csv")
    with two:
        download_excel(frame, f"{name}.xlsx", tr("campaign.download_excel"), key=f"{key}_xlsx")


# --- where the numbers come from ------------------------------------------------------------

campaign = get_table("campaign")
on_demo = campaign is not None and campaign.is_demo
transactions = get_table("transactions")
link: customers.HistoryLink | None = None  # customer IDs found in the purchase history, or why not
if campaign is not None and not is_aggregate(campaign.table):
    history_key = (campaign.fingerprint, transactions and transactions.fingerprint)
    orders = orders_of(transactions) if transactions else None
    link = memo(
        "campaign_link", history_key, lambda: customers.history_link(campaign.table, orders)
    )


def column_choice(
    label: str, options: tuple[str, ...], default: str | None, key: str
) -> str | None:
    """A column picked from `options`, or none ("" stands for none: a selectbox cannot go back to None)."""
    choices = ["", *options]
    picked = st.selectbox(
        tr(f"campaign.{label}"),
        choices,
        index=choices.index(default or ""),
        format_func=lambda c: column_name(c) if c else tr("campaign.column_none"),
        key=f"{key}_{campaign.fingerprint[:12]}",
        help=tr(f"campaign.{label}_help"),
    )
    return picked or None


def column_name(column: str) -> str:
    """A column as the user knows it: the file's header, with the field it was mapped to.

    Option labels are shown as plain text (never Markdown), so headers need no escaping.
    """
    if column == customers.HISTORY_SPEND:
        return tr("campaign.history_spend")
    if column not in MAPPED:
        return column
    header = campaign.report.source_columns.get(column)
    label = tr(f"field.{column}")
    return f"{header} · {label}" if header and not campaign.is_demo else label


def customer_segments(as_of: pd.Timestamp) -> tuple[pd.DataFrame, pd.Series]:
    """The Segmentation page's RFM table and lifecycle stages as of a day (its cache keys, its thresholds)."""
    found = lifecycle_found(transactions)
    thresholds = LifecycleThresholds(found.active_days, found.churn_days, found.n_gaps)
    return rfm_of(transactions, as_of).table, stages_of(transactions, thresholds, as_of)


def history_of(days: int | None) -> tuple[pd.DataFrame | None, tuple]:
    """The columns the purchase history adds to the campaign table (segments; spend over `days`)."""
    if link.segments and days is None:
        return None, ()
    key = (transactions.fingerprint, link.as_of, days)
    segments = (None, None) if link.segments else customer_segments(link.as_of)
    compute = customers.recipient_history
    args = (campaign.table, link, orders_of(transactions), *segments, days)
    return memo(
        "campaign_history", (campaign.fingerprint, *key), lambda: compute(*args), keep=2
    ), key


def table_data() -> tuple[CampaignData, tuple]:
    """The campaign table with the outcome, revenue and covariate columns picked on this page."""
    table = campaign.table
    name = plain(tr("campaign.demo_name") if campaign.is_demo else campaign.source)
    if is_aggregate(table):
        columns = [
            c for c in ("group", "recipients", "conversions", "revenue", "cost") if c in table
        ]
        st.caption(tr("campaign.source_aggregate", rows=fmt_count(len(table))))
        key = (campaign.fingerprint, "totals")
        return memo("campaign_data", key, lambda: from_totals(table[columns])), key
    choices = memo("campaign_columns", (campaign.fingerprint,), lambda: outcome_columns(table))
    one, two, three = st.columns(3)
    with one:
        outcome = column_choice("outcome", choices.flags, choices.outcome, "campaign_outcome")
    with two:
        revenue = column_choice(
            "revenue_column", choices.numbers, choices.revenue, "campaign_revenue"
        )
    spend = () if link.spend else (customers.HISTORY_SPEND,)
    with three:
        default = choices.covariate or next(iter(spend), None)
        key = "campaign_cuped" + (
            "_history" if spend else ""
        )  # a new widget when the options change
        covariate = column_choice("covariate", choices.numbers + spend, default, key)
        days = None
        if covariate == customers.HISTORY_SPEND:
            days = st.number_input(
                tr("campaign.history_days"),
                1,
                3650,
                customers.DEFAULT_HISTORY_DAYS,
                key="campaign_history_days",
                help=tr("campaign.history_days_help"),
            )
        elif link.spend:
            st.caption(message_text(link.spend))
    history, history_key = history_of(days)
    key = (campaign.fingerprint, "rows", outcome, revenue, covariate, *history_key)
    data = memo(
        "campaign_data",
        key,
        lambda: campaign_from_table(table, outcome, revenue, covariate, history),
        keep=2,
    )
    used = data.arms["recipients"].sum() if data.ok else 0
    st.caption(tr("campaign.source_rows", rows=fmt_count(used), name=name))
    return data, key


def typed_data() -> tuple[CampaignData | None, tuple]:
    """Totals typed per group: prefilled with the demo's totals only while the demo is loaded."""
    st.caption(tr("campaign.summary_intro"))
    start = EXAMPLE_SUMMARY if on_demo else EXAMPLE_SUMMARY.iloc[:0]
    typed = st.data_editor(
        start,
        num_rows="dynamic",
        hide_index=True,
        key=f"campaign_summary_editor_{'demo' if on_demo else 'own'}",
        width="stretch",
        column_config=summary_columns(),
    )
    typed = pd.DataFrame(typed).dropna(how="all")
    if typed.empty:
        st.info(tr("campaign.summary_empty"), icon=":material/edit_note:")
        return None, ("typed",)
    if typed.reset_index(drop=True).equals(EXAMPLE_SUMMARY.reset_index(drop=True)):
        # The results below would otherwise read like the user's own.
        st.info(tr("campaign.example_numbers"), icon=":material/edit_note:")
    return from_totals(typed), ("typed", tuple(map(tuple, typed.astype(str).to_numpy())))


def summary_columns() -> dict:
    count = {"min_value": 0, "step": 1}
    return {
        "group": text("campaign.col_group", "campaign.col_group_help"),
        "recipients": num("campaign.col_recipients", "%d", "campaign.col_recipients_help", **count),
        "conversions": num(
            "campaign.col_conversions", "%d", "campaign.col_conversions_help", **count
        ),
        "revenue": num("campaign.col_revenue", "%.2f", "campaign.col_revenue_help"),
        "revenue_sd": num(
            "campaign.col_revenue_sd", "%.2f", "campaign.col_revenue_sd_help", min_value=0.0
        ),
    }


sources = (["table"] if campaign is not None else []) + ["summary"]
source = st.radio(
    tr("campaign.source"),
    sources,
    format_func=lambda s: tr(f"campaign.source_{s}"),
    horizontal=True,
    key="campaign_source",
    help=tr("campaign.source_help"),
)
if campaign is None:
    st.caption(tr("campaign.no_table"))
    st.page_link(UPLOAD_PAGE, label=tr("nav.upload"), icon=":material/upload_file:")

data: CampaignData | None
data_key: tuple
if source == "table" and campaign is not None:
    data, data_key = table_data()
else:
    data, data_key = typed_data()
    link = None

control: str | None = None
detected: str | None = None
if data is not None and data.ok:
    detected = detect_control(data.groups)
    control = st.selectbox(
        tr("campaign.control"),
        data.groups,
        index=data.groups.index(detected) if detected else None,
        placeholder=tr("campaign.control_pick"),
        key="campaign_control",
        help=tr("campaign.control_help"),
    )
    if control is None:
        st.warning(tr("campaign.control_needed"), icon=":material/help:")

tabs = st.tabs(
    [
        tr("campaign.tab_result"),
        tr("campaign.tab_trust"),
        tr("campaign.tab_money"),
        tr("campaign.tab_segments"),
        tr("campaign.tab_plan"),
        tr("campaign.tab_impact"),
        tr("campaign.tab_channels"),
    ]
)
tab_result, tab_trust, tab_money, tab_segments, tab_plan, tab_impact, tab_channels = tabs

lifts: dict[str, pd.DataFrame] = {}
if data is not None and not data.ok:
    for tab in (tab_result, tab_trust, tab_money, tab_segments):
        with tab:
            show_notes(data.notes)
            st.warning(message_text(data.problem), icon=":material/warning:")
elif data is not None and control is not None:
    with tab_result:
        show_notes(data.notes)
    for metric in ("conversion", "revenue"):
        if data.has(metric):
            lifts[metric] = memo(
                "campaign_lift",
                (data_key, control, metric),
                lambda m=metric: compare(data, control, m),
            )


def by_attribute(column: str, metric: str) -> pd.DataFrame:
    """Each variant's lift within each level of an attribute (cached per data and control), levels named."""
    by = memo(
        "campaign_by",
        (data_key, control, column, metric),
        lambda: lift_by(data, control, column, metric),
    )
    return by.assign(level=by["level"].map(lambda level: level_name(column, level)))


def attribute_name(column: str) -> str:
    return tr(customers.attribute_key(column))


def level_name(column: str, level: str) -> str:
    """A level as shown: the table's own text, or a segment / stage name in the user's language."""
    key = customers.level_key(column, level)
    return tr(key) if key else level


def uneven_lines(column: str, metric: str) -> list[str]:
    """Sentences for variants whose lift clearly differs between levels of an attribute."""
    by = by_attribute(column, metric)
    if by.empty:
        return []
    lines = []
    scale = 100 if metric == "conversion" else 1
    for _, row in heterogeneity(by).iterrows():
        if row["p_value"] < 0.01:
            lines.append(
                tr(
                    f"campaign.uneven_{metric}",
                    variant=plain(row["variant"]),
                    attribute=attribute_name(column).lower(),
                    level=plain(row["top_level"]),
                    lift=f"{row['top_lift'] * scale:+.2f}",
                    low=f"{row['top_low'] * scale:.2f}",
                    high=f"{row['top_high'] * scale:.2f}",
                    p=p_text(row["p_value"]),
                )
            )
    return lines


def verdict(row: pd.Series, metric: str) -> str:
    """One plain sentence: what changed, by how much, between what, and whether chance could explain it."""
    variant = plain(row["variant"])
    if math.isnan(row["abs_lift"]):
        return tr("campaign.verdict_none", variant=variant)
    if metric == "conversion":
        lift, low, high = pts(abs(row["abs_lift"])), pts(row["abs_low"]), pts(row["abs_high"])
    else:
        lift, low, high = (
            fmt_money(abs(row["abs_lift"])),
            fmt_money(row["abs_low"]),
            fmt_money(row["abs_high"]),
        )
    text = tr(f"campaign.verdict_{metric}_{direction(row)}", variant=variant, lift=lift)
    level = strength(row["p_adjusted"])
    if level is None:
        return text + tr("campaign.verdict_no_test")
    return (
        text
        + tr(f"campaign.verdict_interval_{metric}", low=low, high=high)
        + tr(f"campaign.strength_{level}", p=p_text(row["p_adjusted"]))
    )


# --- result ------------------------------------------------------------------------------------


def result_tab() -> None:
    conversion = lifts.get("conversion")
    revenue = lifts.get("revenue")
    with st.container(border=True):
        st.markdown(f"**{tr('campaign.reading_title')}**")
        lines = []
        for metric, table in (("conversion", conversion), ("revenue", revenue)):
            if table is not None:
                lines += [f"- {verdict(row, metric)}" for _, row in table.iterrows()]
        if revenue is not None and revenue["p_value"].isna().all():
            lines.append(f"- {tr('campaign.revenue_not_testable')}")
        for column in breakdown_columns(data)[:1]:
            lines += [f"- {line}" for line in uneven_lines(column, "conversion")]
        st.markdown("\n".join(lines))
        if len(data.groups) > 2:
            st.caption(tr("campaign.holm_note", n=len(data.groups) - 1))

    if data.has("conversion"):
        rates = arm_rates(data, control)
        for col, arm in zip(st.columns(len(rates)), rates.itertuples(), strict=True):
            mark = (
                f" · {tr('campaign.control_short')}"
                if arm.group == control and not detected
                else ""
            )
            col.metric(
                plain(arm.group) + mark,
                fmt_share(arm.rate, 2),
                delta=None
                if arm.group == control
                else f"{signed_pts(arm.difference)} {tr('campaign.points')}",
                help=tr(
                    "campaign.metric_rate_help",
                    n=fmt_count(arm.recipients),
                    x=fmt_count(arm.conversions),
                ),
            )
    bayes = st.toggle(
        tr("campaign.bayes"), value=False, key="campaign_bayes", help=tr("campaign.bayes_help")
    )
    result = lift_table(lifts)
    if bayes and conversion is not None:
        arms = data.arms
        chance = {
            variant: 100
            * memo(
                "campaign_bayes",
                (data_key, control, variant),
                lambda a=arms.loc[variant], c=arms.loc[control]: chance_to_beat(
                    a["conversions"], a["recipients"], c["conversions"], c["recipients"]
                ),
            )
            for variant in conversion["variant"]
        }
        result["chance_to_beat"] = (
            result["variant"].map(chance).where(result["metric"] == "conversion")
        )
    # An outcome other than the mapped "converted" column is named (visit, retention_7, ...).
    named = data_key[2] if data_key[1:2] == ("rows",) and data_key[2] != "converted" else None
    result["metric"] = result["metric"].map(
        lambda m: (
            tr(f"campaign.metric_{m}") + (f" · {named}" if named and m == "conversion" else "")
        )
    )
    st.subheader(tr("campaign.table_title"))
    st.caption(tr("campaign.table_units"))
    config = {
        "variant": text("campaign.col_variant"),
        "metric": text("campaign.col_metric", "campaign.col_metric_help"),
        "control": num("campaign.col_control_value", "%.3f"),
        "value": num("campaign.col_variant_value", "%.3f"),
        "abs_lift": num("campaign.col_abs_lift", "%+.3f", "campaign.col_abs_lift_help"),
        "abs_low": num("campaign.col_low", "%+.3f", "campaign.col_ci_help"),
        "abs_high": num("campaign.col_high", "%+.3f", "campaign.col_ci_help"),
        "rel_lift": num("campaign.col_rel_lift", "%+.1f%%", "campaign.col_rel_lift_help"),
        "rel_low": num("campaign.col_rel_low", "%+.1f%%", "campaign.col_rel_ci_help"),
        "rel_high": num("campaign.col_rel_high", "%+.1f%%", "campaign.col_rel_ci_help"),
        "p_value": num("campaign.col_p", "%.4f", "campaign.col_p_help"),
        "p_adjusted": num("campaign.col_p_holm", "%.4f", "campaign.col_p_holm_help"),
        "chance_to_beat": num("campaign.col_bayes", "%.1f%%", "campaign.bayes_help"),
    }
    st.dataframe(result, hide_index=True, width="stretch", column_config=config)
    export(
        result.rename(columns={k: v.get("label", k) for k, v in config.items() if k in result}),
        "campaign_result",
        "campaign_result_export",
    )

    left, right = st.columns(2)
    rates = (
        group_intervals(data, "conversion").assign(is_control=lambda f: f["group"] == control)
        if data.has("conversion")
        else None
    )
    if rates is not None:
        left.altair_chart(
            rates_chart(rates, tr("campaign.chart_conversion_rate"), ".2%", lang()), width="stretch"
        )
    if revenue is not None and data.has_sd("revenue"):
        money_rates = group_intervals(data, "revenue").assign(
            is_control=lambda f: f["group"] == control
        )
        right.altair_chart(
            rates_chart(money_rates, tr("campaign.chart_revenue_per_recipient"), ",.2f", lang()),
            width="stretch",
        )
    charts = st.columns(2)
    for col, (metric, table) in zip(
        charts, (("conversion", conversion), ("revenue", revenue)), strict=True
    ):
        if table is None or table["abs_low"].isna().all():
            continue
        shown = table.assign(label=table["variant"])
        if metric == "conversion":
            shown = shown.assign(**{c: shown[c] * 100 for c in ("abs_lift", "abs_low", "abs_high")})
        col.altair_chart(
            forest_chart(shown, tr(f"campaign.chart_lift_{metric}"), ".2f", lang()),
            width="stretch",
        )
    st.caption(tr("campaign.forest_help"))


# --- trust -------------------------------------------------------------------------------------


def trust_tab(link: customers.HistoryLink | None) -> None:
    st.subheader(tr("campaign.srm_title"))
    st.markdown(tr("campaign.srm_intro"))
    groups = data.groups
    default = pd.DataFrame({"group": groups, "share": [round(100 / len(groups), 2)] * len(groups)})
    intended = st.data_editor(
        default,
        hide_index=True,
        disabled=["group"],
        key=f"campaign_split_{'|'.join(groups)}",
        column_config={
            "group": text("campaign.col_group"),
            "share": num(
                "campaign.col_intended",
                "%.1f",
                "campaign.col_intended_help",
                min_value=0.0,
                max_value=100.0,
            ),
        },
    )
    weights = pd.Series(intended["share"].to_numpy(), index=intended["group"].astype(str))
    srm = srm_check(data.arms["recipients"], weights)
    a, b = st.columns(2)
    a.metric(tr("campaign.srm_chi2"), f"{srm.chi2:.2f}", help=tr("campaign.srm_chi2_help"))
    b.metric(
        tr("campaign.srm_p"),
        "< 0.001" if srm.p_value < 0.001 else f"{srm.p_value:.3g}",
        help=tr("campaign.srm_p_help"),
    )
    if srm.flagged:
        st.error(tr("campaign.srm_flagged", p=p_text(srm.p_value)), icon=":material/error:")
    else:
        st.success(tr("campaign.srm_ok", p=p_text(srm.p_value)), icon=":material/check_circle:")
    st.dataframe(
        srm.table.assign(share=srm.table["share"] * 100, intended=srm.table["intended"] * 100),
        hide_index=True,
        column_config={
            "group": text("campaign.col_group"),
            "recipients": num("campaign.col_recipients", "localized"),
            "expected": num("campaign.col_expected", "%.0f"),
            "share": num("campaign.col_share", "%.2f%%"),
            "intended": num("campaign.col_intended", "%.2f%%"),
        },
    )

    st.subheader(tr("campaign.size_title"))
    small = [n for n in data.notes if n.key in ("campaign.tiny_groups", "campaign.few_conversions")]
    if small:
        for note in small:
            st.warning(message_text(note), icon=":material/warning:")
    else:
        st.success(tr("campaign.size_ok"), icon=":material/check_circle:")

    st.subheader(tr("campaign.outliers_title"))
    if not data.has("revenue", "capped"):
        st.caption(tr("campaign.outliers_need_rows"))
    else:
        note = outlier_note(data)
        if note:
            st.warning(message_text(note), icon=":material/warning:")
        st.markdown(
            tr(
                "campaign.outliers_intro",
                cap=fmt_money(data.cap),
                share=fmt_share(data.top_share or 0.0),
            )
        )
        capped = compare(data, control, "revenue", "capped")
        side = narrowing(lifts["revenue"], capped)
        side_table(side, "campaign.col_capped", money=True, key="capped")
        lost = (side["raw_p"] < 0.05) & ~(side["adj_p"] < 0.05)
        found = ~(side["raw_p"] < 0.05) & (side["adj_p"] < 0.05)
        for key, which in (("campaign.capped_loses", lost), ("campaign.capped_finds", found)):
            if which.any():
                names = plain(", ".join(side.loc[which, "variant"]))
                st.warning(tr(key, variants=names), icon=":material/warning:")

    st.subheader(tr("campaign.cuped_title"))
    if not data.cuped_reduction:
        st.caption(tr("campaign.cuped_missing"))
        if link is not None and link.spend:
            st.caption(message_text(link.spend))
        return
    st.markdown(tr("campaign.cuped_intro"))
    if link is not None and data_key[4] == customers.HISTORY_SPEND:
        st.caption(history_caption(link, days=data_key[-1]))
    for metric in ("conversion", "revenue"):
        if not data.has(metric, "cuped") or metric not in lifts:
            continue
        adjusted = compare(data, control, metric, "cuped")
        side = narrowing(lifts[metric], adjusted)
        st.markdown(
            "**"
            + tr(f"campaign.metric_{metric}")
            + "** · "
            + tr("campaign.cuped_reduction", share=fmt_share(data.cuped_reduction[metric]))
        )
        side_table(side, "campaign.col_cuped", money=metric == "revenue", key=f"cuped_{metric}")


def history_caption(link: customers.HistoryLink, days: int | None = None) -> str:
    recipients = int(data.arms["recipients"].sum())
    return message_text(customers.history_note(link, recipients, days))


def side_table(side: pd.DataFrame, adjusted_label: str, money: bool, key: str) -> None:
    scale = 1 if money else 100
    shown = side.assign(
        **{
            c: side[c] * scale
            for c in ("raw_lift", "raw_low", "raw_high", "adj_lift", "adj_low", "adj_high")
        },
        narrower=side["narrower"] * 100,
    )
    fmt = "%+.2f"
    label = tr(adjusted_label)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key=f"campaign_side_{key}",
        column_config={
            "variant": text("campaign.col_variant"),
            "raw_lift": num("campaign.col_raw_lift", fmt),
            "raw_low": num("campaign.col_low", fmt),
            "raw_high": num("campaign.col_high", fmt),
            "raw_p": num("campaign.col_p_holm", "%.4f"),
            "adj_lift": st.column_config.NumberColumn(label, format=fmt),
            "adj_low": num("campaign.col_low", fmt),
            "adj_high": num("campaign.col_high", fmt),
            "adj_p": num("campaign.col_p_holm", "%.4f"),
            "narrower": num("campaign.col_narrower", "%.1f%%", "campaign.col_narrower_help"),
        },
    )
    st.caption(tr("campaign.units_points") if not money else tr("campaign.units_money"))


# --- money and what if --------------------------------------------------------------------------


def money_tab() -> None:
    conversion = lifts.get("conversion")
    revenue = lifts.get("revenue")
    if conversion is None:
        st.info(tr("campaign.money_needs_conversions"), icon=":material/info:")
        return
    st.markdown(tr("campaign.money_intro"))
    one, two, three = st.columns(3)
    margin = margin_slider(one, "campaign_margin")
    has_cost = not data.arms["cost"].isna().all()
    use_column = has_cost and two.toggle(
        tr("campaign.use_cost_column"),
        value=True,
        key="campaign_use_cost",
        help=tr("campaign.use_cost_column_help"),
    )
    cost_per = None
    if not use_column:
        cost_per = three.number_input(
            tr("campaign.cost_per_recipient"),
            min_value=0.0,
            value=0.02,
            step=0.01,
            format="%.3f",
            key="campaign_cost_per",
            help=tr("campaign.cost_per_recipient_help"),
        )
    table = money_table(
        data,
        conversion,
        revenue if revenue is not None and data.has_sd("revenue") else None,
        margin,
        cost_per,
    )
    for _, row in table.iterrows():
        st.markdown(f"##### {plain(row['variant'])}")
        a, b, c, d, e = st.columns(5)
        a.metric(
            tr("campaign.inc_conversions"),
            fmt_count(row["inc_conversions"]),
            help=tr(
                "campaign.inc_conversions_help",
                low=fmt_count(row["inc_conversions_low"]),
                high=fmt_count(row["inc_conversions_high"]),
            ),
        )
        if "inc_revenue" in row and not pd.isna(row.get("inc_revenue")):
            b.metric(
                tr("campaign.inc_revenue"),
                fmt_money(row["inc_revenue"]),
                help=tr(
                    "campaign.inc_revenue_help",
                    low=fmt_money(row["inc_revenue_low"]),
                    high=fmt_money(row["inc_revenue_high"]),
                ),
            )
            c.metric(tr("campaign.cost"), fmt_money(row["cost"]), help=tr("campaign.cost_help"))
            d.metric(
                tr("campaign.net_profit"),
                fmt_money(row["net_profit"]),
                help=tr(
                    "campaign.net_profit_help",
                    low=fmt_money(row["net_profit_low"]),
                    high=fmt_money(row["net_profit_high"]),
                ),
            )
            e.metric(
                tr("campaign.roi"),
                fmt_share(row["roi"], 0) if not pd.isna(row["roi"]) else "–",
                help=tr("campaign.roi_help")
                + " "
                + tr(
                    "campaign.interval_help",
                    low=fmt_share(row["roi_low"], 0),
                    high=fmt_share(row["roi_high"], 0),
                ),
            )
            st.caption(
                tr(
                    "campaign.money_reading",
                    variant=plain(row["variant"]),
                    revenue=fmt_money(row["inc_revenue"]),
                    low=fmt_money(row["inc_revenue_low"]),
                    high=fmt_money(row["inc_revenue_high"]),
                    profit=fmt_money(row["net_profit"]),
                    break_even=fmt_money(row["break_even_lift"]),
                    break_even_rel=fmt_share(row["break_even_rel"]),
                )
            )
        else:
            c.metric(tr("campaign.cost"), fmt_money(row["cost"]), help=tr("campaign.cost_help"))
            st.caption(tr("campaign.money_no_revenue"))
    export(table, "campaign_money", "campaign_money_export")

    st.subheader(tr("campaign.whatif_title"))
    st.caption(tr("campaign.whatif_intro"))
    winner = best_variant(conversion, revenue)
    variants = conversion["variant"].tolist()
    default_base = int(data.arms["recipients"].sum())
    a, b, c = st.columns(3)
    pick = a.selectbox(
        tr("campaign.whatif_variant"),
        variants,
        index=variants.index(winner) if winner in variants else 0,
        key="campaign_whatif_variant",
        help=tr("campaign.whatif_variant_help"),
    )
    base = b.number_input(
        tr("campaign.whatif_base"),
        min_value=1,
        value=int(default_base),
        step=1000,
        key="campaign_whatif_base",
        help=tr("campaign.whatif_base_help"),
    )
    keep = (
        c.slider(
            tr("campaign.whatif_keep"),
            0,
            100,
            100,
            step=10,
            format="%d%%",
            key="campaign_whatif_keep",
            help=tr("campaign.whatif_keep_help"),
        )
        / 100
    )
    per = (
        cost_per
        if cost_per is not None
        else float(data.arms.loc[pick, "cost"] / data.arms.loc[pick, "recipients"])
    )
    rev_row = (
        revenue.set_index("variant").loc[pick]
        if revenue is not None and data.has_sd("revenue")
        else None
    )
    plan = rollout(conversion.set_index("variant").loc[pick], rev_row, int(base), margin, per, keep)
    x, y, z, w = st.columns(4)
    interval_metric(x, tr("campaign.whatif_conversions"), plan.conversions, fmt_count)
    if rev_row is not None:
        interval_metric(y, tr("campaign.whatif_revenue"), plan.revenue, fmt_money)
        interval_metric(z, tr("campaign.whatif_profit"), plan.profit, fmt_money)
        w.metric(
            tr("campaign.whatif_chance"),
            fmt_share(plan.chance_profitable, 0),
            help=tr("campaign.whatif_chance_help"),
        )
        st.markdown(
            tr(
                "campaign.whatif_reading",
                variant=plain(pick),
                base=fmt_count(base),
                conversions=fmt_count(plan.conversions[0]),
                revenue=fmt_money(plan.revenue[0]),
                low=fmt_money(plan.profit[1]),
                high=fmt_money(plan.profit[2]),
                profit=fmt_money(plan.profit[0]),
                cost=fmt_money(plan.cost),
                chance=fmt_share(plan.chance_profitable, 0),
            )
        )


# --- for whom ----------------------------------------------------------------------------------


def segments_tab(link: customers.HistoryLink | None) -> None:
    columns = breakdown_columns(data)
    if link is not None:
        st.caption(history_caption(link))
    if not columns:
        st.info(tr("campaign.segments_none"), icon=":material/info:")
        return
    st.markdown(tr("campaign.segments_intro"))
    one, two = st.columns(2)
    column = one.selectbox(
        tr("campaign.segments_by"),
        columns,
        format_func=attribute_name,
        key="campaign_seg_by",
    )
    metrics = [m for m in ("conversion", "revenue") if m in lifts]
    metric = two.radio(
        tr("campaign.segments_metric"),
        metrics,
        format_func=lambda m: tr(f"campaign.metric_{m}"),
        horizontal=True,
        key="campaign_seg_metric",
    )
    table = by_attribute(column, metric)
    if table.empty:
        st.info(tr("campaign.segments_none"), icon=":material/info:")
        return
    for line in uneven_lines(column, metric):
        st.markdown(line)
    count = comparisons_note(table)
    st.warning(
        tr(
            "campaign.segments_warning",
            n=count["comparisons"],
            significant=count["significant"],
            chance=f"{count['by_chance']:.1f}",
        ),
        icon=":material/warning:",
    )
    scale = 100 if metric == "conversion" else 1
    shown = table.assign(
        label=table["level"].astype(str) + " · " + table["variant"].astype(str),
        **{c: table[c] * scale for c in ("abs_lift", "abs_low", "abs_high", "control", "value")},
    )
    st.altair_chart(
        forest_chart(
            shown,
            tr(f"campaign.chart_lift_{metric}") + " · " + attribute_name(column),
            ".2f",
            lang(),
        ),
        width="stretch",
    )
    best = shown.loc[shown["abs_low"].idxmax()] if shown["abs_low"].notna().any() else None
    if best is not None and best["abs_low"] > 0:
        st.markdown(
            tr(
                f"campaign.segments_best_{metric}",
                variant=plain(best["variant"]),
                level=plain(best["level"]),
                lift=f"{best['abs_lift']:.2f}",
                low=f"{best['abs_low']:.2f}",
                high=f"{best['abs_high']:.2f}",
            )
        )
    fmt = "%.2f"
    st.dataframe(
        shown[
            [
                "level",
                "variant",
                "n_control",
                "n_variant",
                "control",
                "value",
                "abs_lift",
                "abs_low",
                "abs_high",
                "p_value",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "level": st.column_config.TextColumn(attribute_name(column)),
            "variant": text("campaign.col_variant"),
            "n_control": num("campaign.chart_n_control", "localized"),
            "n_variant": num("campaign.chart_n_variant", "localized"),
            "control": num("campaign.col_control_value", fmt),
            "value": num("campaign.col_variant_value", fmt),
            "abs_lift": num("campaign.col_abs_lift", "%+.2f"),
            "abs_low": num("campaign.col_low", "%+.2f"),
            "abs_high": num("campaign.col_high", "%+.2f"),
            "p_value": num("campaign.col_p", "%.4f", "campaign.col_p_segment_help"),
        },
    )
    st.caption(
        tr("campaign.units_points") if metric == "conversion" else tr("campaign.units_money")
    )
    export(shown.drop(columns=["label"]), f"campaign_by_{column}", "campaign_seg_export")


# --- plan the next test ----------------------------------------------------------------------


def percent(widget, name: str, low, high, value, step, fmt: str = "%.2f") -> float:
    """A percentage input of the plan (label, help and key named after `name`), as a share."""
    label, help_text = tr(f"campaign.{name}"), tr(f"campaign.{name}_help")
    return widget(label, low, high, value, step, fmt, key=f"campaign_{name}", help=help_text) / 100


def plan_tab() -> None:
    st.markdown(tr("campaign.plan_intro"))
    baseline_default = 3.0
    if data is not None and data.ok and control is not None and data.has("conversion"):
        arm = data.arms.loc[control]
        if arm["conversions"] > 0:
            baseline_default = round(100 * arm["conversions"] / arm["recipients"], 2)
    a, b, c = st.columns(3)
    baseline = percent(a.number_input, "plan_baseline", 0.01, 99.0, float(baseline_default), 0.1)
    mde = percent(b.number_input, "plan_mde", 0.01, 50.0, 0.5, 0.05)
    alpha = c.selectbox(
        tr("campaign.plan_alpha"),
        [0.01, 0.05, 0.10],
        index=1,
        format_func=lambda v: f"{v:.0%}",
        key="campaign_plan_alpha",
        help=tr("campaign.plan_alpha_help"),
    )
    d, e, f = st.columns(3)
    power = percent(d.slider, "plan_power", 50, 99, 80, 1, "%d%%")
    share = percent(e.slider, "plan_split", 10, 90, 50, 5, "%d%%")
    daily = f.number_input(
        tr("campaign.plan_daily"),
        min_value=0,
        value=2000,
        step=100,
        key="campaign_plan_daily",
        help=tr("campaign.plan_daily_help"),
    )
    need = sample_size(baseline, mde, alpha, power, share, daily or None)
    if need.message:
        st.warning(tr(need.message), icon=":material/warning:")
        return
    x, y, z, w = st.columns(4)
    x.metric(tr("campaign.plan_control_n"), fmt_count(need.control))
    y.metric(tr("campaign.plan_variant_n"), fmt_count(need.variant))
    z.metric(tr("campaign.plan_total_n"), fmt_count(need.total))
    w.metric(
        tr("campaign.plan_days"),
        fmt_count(need.days) if need.days else "–",
        help=tr("campaign.plan_days_help"),
    )
    st.markdown(
        tr(
            "campaign.plan_reading",
            total=fmt_count(need.total),
            baseline=pts(baseline),
            target=pts(baseline + mde),
            mde=pts(mde),
            power=fmt_share(power, 0),
            alpha=fmt_share(alpha, 0),
        )
    )
    curve = power_curve(baseline, mde, alpha, share)
    st.altair_chart(power_chart(curve, need.total, lang()), width="stretch")

    st.markdown(f"**{tr('campaign.plan_reverse_title')}**")
    one, two = st.columns(2)
    total = one.number_input(
        tr("campaign.plan_reverse_total"),
        min_value=10,
        value=int(data.arms["recipients"].sum()) if data is not None and data.ok else 20000,
        step=1000,
        key="campaign_plan_total",
    )
    control_n = int(total * (1 - share))
    lift = detectable_lift(baseline, control_n, alpha, power, share)
    two.metric(
        tr("campaign.plan_reverse_mde"),
        f"{pts(lift)} {tr('campaign.points')}",
        help=tr("campaign.plan_reverse_help"),
    )
    if not math.isnan(lift):
        st.caption(
            tr(
                "campaign.plan_reverse_reading",
                total=fmt_count(total),
                mde=pts(lift),
                rel=fmt_share(lift / baseline, 0),
                power=fmt_share(power, 0),
            )
        )


# --- no control group --------------------------------------------------------------------------


def impact_tab() -> None:
    st.markdown(tr("campaign.impact_intro"))
    transactions = get_table("transactions")
    options = (["transactions"] if transactions is not None else []) + ["paste"]
    where = st.radio(
        tr("campaign.impact_source"),
        options,
        format_func=lambda s: tr(f"campaign.impact_source_{s}"),
        horizontal=True,
        key="campaign_impact_source",
    )
    if where == "transactions" and transactions is not None:
        a, b = st.columns(2)
        frequency = a.radio(
            tr("campaign.impact_frequency"),
            ["D", "W"],
            format_func=lambda f: tr(f"campaign.impact_freq_{f}"),
            horizontal=True,
            key="campaign_impact_freq",
        )
        kpi = b.radio(
            tr("campaign.impact_kpi"),
            ["revenue", "orders"],
            format_func=lambda k: tr(f"campaign.impact_kpi_{k}"),
            horizontal=True,
            key="campaign_impact_kpi",
        )
        orders = orders_of(transactions)
        if orders.empty:
            st.warning(tr("overview.no_orders"), icon=":material/warning:")
            return
        series_key = (transactions.fingerprint, kpi, frequency)
        series = memo("campaign_series", series_key, lambda: kpi_series(orders, kpi, frequency))
    else:
        pasted = st.data_editor(
            EXAMPLE_SERIES if on_demo else EXAMPLE_SERIES.iloc[:0],
            num_rows="dynamic",
            hide_index=True,
            key=f"campaign_impact_editor_{'demo' if on_demo else 'own'}",
            column_config={
                "date": text("campaign.impact_col_date"),
                "value": st.column_config.NumberColumn(tr("campaign.impact_col_value")),
            },
        )
        pasted = pd.DataFrame(pasted)
        series_key = ("pasted", tuple(map(tuple, pasted.astype(str).to_numpy())))
        series, problem = series_from_table(pasted)
        if problem:
            st.info(tr(problem), icon=":material/info:")
            return
        frequency = "W" if (series.index[1] - series.index[0]).days >= 6 else "D"
    first, last = series.index.min().date(), series.index.max().date()
    unit = tr(f"campaign.impact_unit_{frequency}")
    c, d, e = st.columns(3)
    start = c.date_input(
        tr("campaign.impact_start"),
        value=None,
        min_value=first,
        max_value=last,
        key="campaign_impact_start",
        help=tr("campaign.impact_start_help"),
    )
    pre = d.number_input(
        tr("campaign.impact_pre", unit=unit),
        min_value=MIN_PRE_PERIODS[frequency],
        max_value=2000,
        value=56 if frequency == "D" else 8,
        step=1,
        key=f"campaign_impact_pre_{frequency}",
        help=tr("campaign.impact_pre_help"),
    )
    post = e.number_input(
        tr("campaign.impact_post", unit=unit),
        min_value=1,
        max_value=400,
        value=28 if frequency == "D" else 4,
        step=1,
        key=f"campaign_impact_post_{frequency}",
        help=tr("campaign.impact_post_help"),
    )
    if start is None:
        st.info(tr("campaign.impact_pick_start"), icon=":material/event:")
        return
    settings = (str(start), int(pre), int(post))
    result = memo(
        "campaign_impact",
        (series_key, *settings),
        lambda: estimate_impact(series, pd.Timestamp(start), int(pre), int(post)),
    )
    if not result.ok:
        st.warning(message_text(result.message), icon=":material/warning:")
        return
    show_notes(result.notes)
    x, y, z = st.columns(3)
    interval_metric(x, tr("campaign.impact_average", unit=unit), result.average, fmt_money)
    interval_metric(y, tr("campaign.impact_cumulative"), result.cumulative, fmt_money)
    interval_metric(z, tr("campaign.impact_relative"), result.relative, fmt_share)
    st.markdown(
        tr(
            f"campaign.impact_reading_{result.verdict}",
            total=fmt_money(result.cumulative[0]),
            low=fmt_money(result.cumulative[1]),
            high=fmt_money(result.cumulative[2]),
            rel=fmt_share(result.relative[0]),
            p=p_text(result.p_value),
        )
    )
    for panel in impact_panels(result.frame, pd.Timestamp(start), lang()):
        st.altair_chart(panel, width="stretch")
    st.caption(tr("campaign.impact_method"))
    export(result.frame, "campaign_impact", "campaign_impact_export")


# --- channels ----------------------------------------------------------------------------------


def channels_tab() -> None:
    st.markdown(tr("campaign.channels_intro"))
    if on_demo:
        st.caption(tr("campaign.channels_example"))
    typed = st.data_editor(
        EXAMPLE_CHANNELS if on_demo else EXAMPLE_CHANNELS.iloc[:0],
        num_rows="dynamic",
        hide_index=True,
        key=f"campaign_channels_editor_{'demo' if on_demo else 'own'}",
        width="stretch",
        column_config={
            "campaign": text("campaign.col_campaign"),
            "channel": text("field.channel"),
            "spend": num("campaign.col_spend", "%.2f", min_value=0.0),
            "recipients": num("campaign.col_recipients", "%d", min_value=0),
            "conversions": num("campaign.col_conversions", "%d", min_value=0),
            "revenue": num("campaign.col_revenue", "%.2f", min_value=0.0),
        },
    )
    margin = margin_slider(st, "campaign_channel_margin")
    typed = pd.DataFrame(typed).dropna(how="all")
    if typed.empty:
        st.info(tr("campaign.channels_empty"), icon=":material/edit_note:")
        return
    table, message = channel_table(typed, margin)
    if message:
        (st.warning if table.empty else st.info)(tr(message), icon=":material/info:")
    if table.empty:
        return
    left, right = st.columns(2)
    left.altair_chart(channel_chart(table, "cpa", lang()), width="stretch")
    right.altair_chart(channel_chart(table, "roi", lang()), width="stretch")
    top = table.iloc[0]
    cheapest = table.loc[table["cpa"].idxmin()] if table["cpa"].notna().any() else top
    st.markdown(
        tr(
            "campaign.channels_reading",
            best=plain(top["channel"]),
            roi=fmt_share(top["roi"], 0),
            cheap=plain(cheapest["channel"]),
            cpa=fmt_money(cheapest["cpa"]),
        )
    )
    st.dataframe(
        table.assign(conversion_rate=table["conversion_rate"] * 100, roi=table["roi"] * 100),
        hide_index=True,
        width="stretch",
        column_config={
            "channel": text("field.channel"),
            "campaigns": num("campaign.col_campaigns", "%d"),
            "spend": num("campaign.col_spend", "localized"),
            "recipients": num("campaign.col_recipients", "localized"),
            "conversions": num("campaign.col_conversions", "localized"),
            "revenue": num("campaign.col_revenue", "localized"),
            "conversion_rate": num("campaign.metric_conversion", "%.2f%%"),
            "cpa": num("campaign.chart_cpa", "%.2f", "campaign.cpa_help"),
            "roas": num("campaign.col_roas", "%.2f", "campaign.roas_help"),
            "roi": num("campaign.chart_roi", "%.0f%%", "campaign.roi_help"),
        },
    )
    export(table, "campaign_channels", "campaign_channels_export")


if data is not None and data.ok and control is not None:
    with tab_result:
        result_tab()
    with tab_trust:
        trust_tab(link)
    with tab_money:
        money_tab()
    with tab_segments:
        segments_tab(link)
with tab_plan:
    plan_tab()
with tab_impact:
    impact_tab()
with tab_channels:
    channels_tab()
