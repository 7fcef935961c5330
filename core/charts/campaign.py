"""Charts of the Campaign evaluation page: rates with intervals, lift forest plots, impact panels."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.charts import ACCENT, FIT_WIDTH, MUTED, PRIMARY
from core.format import fmt_p
from core.i18n import t

GOOD = "#3a7d44"
BAD = "#c0392b"


def rates_chart(rates: pd.DataFrame, title: str, fmt: str, lang: str = "en") -> alt.Chart:
    """One bar per group with its 95% interval; the control drawn in grey.

    Expects columns group, value, low, high, recipients, is_control (bool).
    `fmt` is a d3 format for the values (".2%" for rates, ",.2f" for money).
    """
    base = alt.Chart(rates).encode(
        y=alt.Y("group:N", sort=None, title=None),
    )
    tooltip = [
        alt.Tooltip("group:N", title=t("campaign.chart_group", lang)),
        alt.Tooltip("value:Q", title=title, format=fmt),
        alt.Tooltip("low:Q", title=t("campaign.chart_low", lang), format=fmt),
        alt.Tooltip("high:Q", title=t("campaign.chart_high", lang), format=fmt),
        alt.Tooltip("recipients:Q", title=t("campaign.chart_recipients", lang), format=","),
    ]
    bars = base.mark_bar(height=alt.RelativeBandSize(0.6)).encode(
        x=alt.X(
            "value:Q",
            title=None,
            axis=alt.Axis(format=".1%" if "%" in fmt else "~s"),
        ),
        color=alt.condition("datum.is_control", alt.value(MUTED), alt.value(PRIMARY)),
        tooltip=tooltip,
    )
    whiskers = base.mark_rule(color="#1f2933", strokeWidth=2).encode(
        x="low:Q", x2="high:Q", tooltip=tooltip
    )
    return alt.layer(bars, whiskers).properties(height=alt.Step(38), title=title)


def forest_chart(
    lifts: pd.DataFrame, title: str, fmt: str, lang: str = "en", row: str = "label"
) -> alt.Chart:
    """Lift against control with its interval, one line per comparison, and a zero line.

    Expects columns `row` (the comparison's name), variant, abs_lift, abs_low,
    abs_high, p_value (or p_text, the p-value written by `core.format.fmt_p`),
    n_variant, n_control. Points are coloured by whether the interval excludes zero;
    variants are told apart by shape.
    """
    if "p_text" not in lifts:
        lifts = lifts.assign(p_text=lifts["p_value"].map(fmt_p))
    data = lifts.assign(
        verdict=[
            t("campaign.chart_up", lang)
            if lo > 0
            else (t("campaign.chart_down", lang) if hi < 0 else t("campaign.chart_unclear", lang))
            for lo, hi in zip(lifts["abs_low"], lifts["abs_high"], strict=True)
        ]
    )
    order = [
        t("campaign.chart_up", lang),
        t("campaign.chart_unclear", lang),
        t("campaign.chart_down", lang),
    ]
    tooltip = [
        alt.Tooltip(f"{row}:N", title=" "),
        alt.Tooltip("abs_lift:Q", title=t("campaign.chart_lift", lang), format=fmt),
        alt.Tooltip("abs_low:Q", title=t("campaign.chart_low", lang), format=fmt),
        alt.Tooltip("abs_high:Q", title=t("campaign.chart_high", lang), format=fmt),
        alt.Tooltip("p_text:N", title=t("campaign.chart_p", lang)),
        alt.Tooltip("n_variant:Q", title=t("campaign.chart_n_variant", lang), format=","),
        alt.Tooltip("n_control:Q", title=t("campaign.chart_n_control", lang), format=","),
    ]
    axis_format = fmt.replace(",", "")
    base = alt.Chart(data).encode(
        y=alt.Y(f"{row}:N", sort=None, title=None, axis=alt.Axis(labelLimit=260))
    )
    color = alt.Color(
        "verdict:N",
        title=None,
        scale=alt.Scale(domain=order, range=[GOOD, "#7a869a", BAD]),
        legend=alt.Legend(orient="bottom"),
    )
    rules = base.mark_rule(strokeWidth=2).encode(
        x=alt.X(
            "abs_low:Q",
            title=t("campaign.chart_lift_axis", lang),
            axis=alt.Axis(format=axis_format),
        ),
        x2="abs_high:Q",
        color=color,
        tooltip=tooltip,
    )
    points = base.mark_point(filled=True, size=90).encode(
        x="abs_lift:Q",
        color=color,
        shape=alt.Shape("variant:N", legend=None),
        tooltip=tooltip,
    )
    zero = (
        alt.Chart(pd.DataFrame({"x": [0.0]}))
        .mark_rule(color="#444", strokeDash=[4, 3])
        .encode(x="x:Q")
    )
    return alt.layer(zero, rules, points).properties(height=alt.Step(30), title=title)


def segment_forest_chart(lifts: pd.DataFrame, title: str, lang: str = "en") -> alt.Chart:
    """`forest_chart` of a breakdown: one line per level and variant ("lapsed · variant_b").

    Expects `core.campaign.segments.SegmentsView.table` with its levels named.
    """
    labelled = lifts.assign(label=lifts["level"].astype(str) + " · " + lifts["variant"].astype(str))
    return forest_chart(labelled, title, ".2f", lang)


def power_chart(curve: pd.DataFrame, needed: int, lang: str = "en") -> alt.Chart:
    """Power against total recipients, the 80% line and the size needed marked.

    Expects columns total, power.
    """
    base = alt.Chart(curve).encode(
        x=alt.X(
            "total:Q", title=t("campaign.chart_total_recipients", lang), axis=alt.Axis(format="~s")
        ),
    )
    nearest = alt.selection_point(fields=["total"], nearest=True, on="pointerover", empty=False)
    line = base.mark_line(color=PRIMARY).encode(
        y=alt.Y(
            "power:Q",
            title=t("campaign.chart_power", lang),
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, 1]),
        )
    )
    points = (
        base.mark_point(color=PRIMARY, filled=True)
        .encode(
            y="power:Q",
            opacity=alt.condition(nearest, alt.value(1), alt.value(0)),
            tooltip=[
                alt.Tooltip(
                    "total:Q", title=t("campaign.chart_total_recipients", lang), format=","
                ),
                alt.Tooltip("power:Q", title=t("campaign.chart_power", lang), format=".0%"),
            ],
        )
        .add_params(nearest)
    )
    target = (
        alt.Chart(pd.DataFrame({"y": [0.8]}))
        .mark_rule(color=MUTED, strokeDash=[4, 3])
        .encode(y="y:Q")
    )
    need = (
        alt.Chart(pd.DataFrame({"x": [needed]}))
        .mark_rule(color=ACCENT)
        .encode(
            x="x:Q",
            tooltip=[alt.Tooltip("x:Q", title=t("campaign.chart_needed", lang), format=",")],
        )
    )
    return alt.layer(line, points, target, need).properties(
        height=240, title=t("campaign.chart_power_title", lang), autosize=FIT_WIDTH
    )


def impact_panels(
    frame: pd.DataFrame, start: pd.Timestamp, lang: str = "en"
) -> tuple[alt.LayerChart, alt.LayerChart, alt.LayerChart]:
    """CausalImpact's three panels: observed vs forecast, effect per period, cumulative effect.

    Expects `core.campaign.impact.ImpactResult.frame`. The three charts share one
    date axis (the whole frame) so they line up when stacked; the campaign start is
    a dashed rule in each.
    """
    start = pd.Timestamp(start)
    data = frame.assign(day=frame["date"].dt.strftime("%Y-%m-%d"))
    first, last = data["date"].min(), data["date"].max()
    domain = [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in (first, last)]
    x = alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(domain=domain),
        axis=alt.Axis(format="%Y-%m-%d", labelAngle=-30),
    )
    start_rule = (
        alt.Chart(pd.DataFrame({"date": [start]}))
        .mark_rule(color=ACCENT, strokeDash=[5, 4])
        .encode(x=x)
    )
    series = data.melt(
        id_vars=["date", "day"],
        value_vars=["observed", "predicted"],
        var_name="series",
        value_name="value",
    ).dropna(subset=["value"])
    names = {
        "observed": t("campaign.chart_observed", lang),
        "predicted": t("campaign.chart_predicted", lang),
    }
    series["series"] = series["series"].map(names)
    band = (
        alt.Chart(data)
        .transform_filter("datum.post")
        .mark_area(color=MUTED, opacity=0.45)
        .encode(x=x, y="predicted_low:Q", y2="predicted_high:Q")
    )
    lines = (
        alt.Chart(series)
        .mark_line(strokeWidth=1.5)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=t("campaign.chart_kpi", lang), axis=alt.Axis(format="~s")),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(names.values()), range=["#1f2933", PRIMARY]),
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=list(names.values()), range=[[1, 0], [5, 3]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("day:N", title=t("campaign.chart_date", lang)),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value:Q", title=t("campaign.chart_kpi", lang), format=",.0f"),
            ],
        )
    )
    top = alt.layer(band, lines, start_rule).properties(
        height=220, title=t("campaign.chart_panel_observed", lang), autosize=FIT_WIDTH
    )
    post = data[data["post"]]

    def panel(value: str, low: str, high: str, title: str) -> alt.LayerChart:
        base = alt.Chart(post).encode(x=x)
        area = base.mark_area(color=MUTED, opacity=0.45).encode(y=f"{low}:Q", y2=f"{high}:Q")
        line = base.mark_line(color=PRIMARY, point=True).encode(
            y=alt.Y(
                f"{value}:Q", title=t("campaign.chart_effect", lang), axis=alt.Axis(format="~s")
            ),
            tooltip=[
                alt.Tooltip("day:N", title=t("campaign.chart_date", lang)),
                alt.Tooltip(f"{value}:Q", title=t("campaign.chart_effect", lang), format=",.0f"),
                alt.Tooltip(f"{low}:Q", title=t("campaign.chart_low", lang), format=",.0f"),
                alt.Tooltip(f"{high}:Q", title=t("campaign.chart_high", lang), format=",.0f"),
            ],
        )
        zero = (
            alt.Chart(pd.DataFrame({"y": [0.0]}))
            .mark_rule(color="#444", strokeDash=[4, 3])
            .encode(y="y:Q")
        )
        return alt.layer(area, zero, line, start_rule).properties(
            height=150, title=title, autosize=FIT_WIDTH
        )

    middle = panel("effect", "effect_low", "effect_high", t("campaign.chart_panel_pointwise", lang))
    bottom = panel(
        "cumulative",
        "cumulative_low",
        "cumulative_high",
        t("campaign.chart_panel_cumulative", lang),
    )
    return top, middle, bottom


def channel_chart(channels: pd.DataFrame, measure: str, lang: str = "en") -> alt.Chart:
    """Channels as bars on one measure: "cpa" (cost per conversion) or "roi" (green above 0, red below).

    Expects `core.campaign.money.channel_table` output: channel, cpa, roi, spend, conversions, revenue.
    """
    tooltip = [
        alt.Tooltip("channel:N", title=" "),
        alt.Tooltip("spend:Q", title=t("campaign.chart_spend", lang), format=",.0f"),
        alt.Tooltip("conversions:Q", title=t("campaign.chart_conversions", lang), format=","),
        alt.Tooltip("revenue:Q", title=t("campaign.chart_revenue", lang), format=",.0f"),
        alt.Tooltip("cpa:Q", title=t("campaign.chart_cpa", lang), format=",.2f"),
        alt.Tooltip("roi:Q", title=t("campaign.chart_roi", lang), format=".0%"),
    ]
    title = t(f"campaign.chart_{measure}", lang)
    color = (
        alt.condition("datum.roi >= 0", alt.value(GOOD), alt.value(BAD))
        if measure == "roi"
        else alt.value(ACCENT)
    )
    return (
        alt.Chart(channels)
        .mark_bar()
        .encode(
            y=alt.Y("channel:N", sort=None, title=None),
            x=alt.X(
                f"{measure}:Q",
                title=None,
                axis=alt.Axis(format="%" if measure == "roi" else "~s"),
            ),
            color=color,
            tooltip=tooltip,
        )
        .properties(height=alt.Step(30), title=title)
    )
