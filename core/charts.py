"""Altair chart builders: a tidy DataFrame in, an `alt.Chart` out. No raw transaction rows ever reach a chart."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.i18n import t

PRIMARY = "#2a6f97"
ACCENT = "#e07a5f"
MUTED = "#a9bcd0"


def monthly_revenue_chart(monthly: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Bars of revenue per month; partial first/last months drawn lighter; hover shows the month's figures.

    Expects `core.kpis.monthly_activity` output: month, revenue, orders, active_customers, partial.
    """
    data = monthly.assign(
        aov=(monthly["revenue"] / monthly["orders"].where(monthly["orders"] > 0)).fillna(0.0),
        month_label=monthly["month"].dt.strftime("%Y-%m"),
        note=monthly["partial"].map({True: t("chart.partial_month", lang), False: ""}),
    )
    hover = alt.selection_point(
        fields=["month_label"], on="pointerover", clear="pointerout", empty=False
    )
    return (
        alt.Chart(data)
        .mark_bar(color=PRIMARY, cornerRadiusTopLeft=2, cornerRadiusTopRight=2)
        .encode(
            # The yearmonth time unit gives each bar the width of its month.
            x=alt.X(
                "yearmonth(month):T",
                title=t("chart.month", lang),
                axis=alt.Axis(format="%Y-%m", labelAngle=-45),
            ),
            y=alt.Y("revenue:Q", title=t("chart.revenue", lang), axis=alt.Axis(format="~s")),
            opacity=alt.condition("datum.partial", alt.value(0.4), alt.value(1.0)),
            color=alt.condition(hover, alt.value(ACCENT), alt.value(PRIMARY)),
            tooltip=[
                alt.Tooltip("month_label:N", title=t("chart.month", lang)),
                alt.Tooltip("revenue:Q", title=t("chart.revenue", lang), format=",.0f"),
                alt.Tooltip("orders:Q", title=t("chart.orders", lang), format=",.0f"),
                alt.Tooltip("aov:Q", title=t("chart.aov", lang), format=",.2f"),
                alt.Tooltip("note:N", title=" "),
            ],
        )
        .add_params(hover)
        .properties(height=280, title=t("chart.monthly_revenue", lang))
    )


def monthly_customers_chart(monthly: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Lines of active and new customers per month, with a shared hover rule that reads out both."""
    series = {
        "active_customers": t("chart.active_customers", lang),
        "new_customers": t("chart.new_customers", lang),
    }
    long = monthly.melt(
        id_vars=["month", "partial"],
        value_vars=list(series),
        var_name="series",
        value_name="customers",
    )
    long["series"] = long["series"].map(series)
    long["month_label"] = long["month"].dt.strftime("%Y-%m")
    nearest = alt.selection_point(
        fields=["month"], nearest=True, on="pointerover", clear="pointerout", empty=False
    )
    base = alt.Chart(long).encode(
        x=alt.X(
            "month:T", title=t("chart.month", lang), axis=alt.Axis(format="%Y-%m", labelAngle=-45)
        )
    )
    color = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(series.values()), range=[PRIMARY, ACCENT]),
        legend=alt.Legend(orient="top"),
    )
    y = alt.Y("customers:Q", title=t("chart.customers", lang))
    lines = base.mark_line().encode(y=y, color=color)
    # Months the data covers only in part get hollow points.
    points = base.mark_point(filled=True, size=40).encode(
        y=y, color=color, fillOpacity=alt.condition("datum.partial", alt.value(0), alt.value(1))
    )
    rule = (
        base.mark_rule(color="#888")
        .encode(
            opacity=alt.condition(nearest, alt.value(0.6), alt.value(0)),
            tooltip=[
                alt.Tooltip("month_label:N", title=t("chart.month", lang)),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("customers:Q", title=t("chart.customers", lang), format=",.0f"),
            ],
        )
        .add_params(nearest)
    )
    return alt.layer(lines, points, rule).properties(
        height=280, title=t("chart.monthly_customers", lang)
    )


def set_aside_chart(reasons: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Horizontal bars of rows set aside by reason. Expects columns reason (label) and rows."""
    return (
        alt.Chart(reasons)
        .mark_bar(color=ACCENT)
        .encode(
            y=alt.Y("reason:N", sort="-x", title=None),
            x=alt.X("rows:Q", title=t("chart.rows", lang)),
            tooltip=[
                alt.Tooltip("reason:N", title=" "),
                alt.Tooltip("rows:Q", title=t("chart.rows", lang), format=","),
            ],
        )
        .properties(height=alt.Step(26))
    )
