"""Charts of the Customer lifetime value page: holdout checks, frequency/recency heatmaps, CLV views.

Tidy DataFrames in (made by `core.clv`), `alt.Chart` out; labels in the user's language.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.charts import ACCENT, FIT_WIDTH, MUTED, PRIMARY
from core.i18n import t


def _series_scale(lang: str) -> alt.Scale:
    return alt.Scale(
        domain=[t("clv.chart_actual", lang), t("clv.chart_predicted", lang)],
        range=[PRIMARY, ACCENT],
    )


def holdout_frequency_chart(by_frequency: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Mean holdout purchases, actual and predicted, by calibration frequency (0..7+).

    Expects `core.clv.holdout_by_frequency`: frequency, customers, actual, predicted.
    """
    last = int(by_frequency["frequency"].max()) if len(by_frequency) else 0
    data = by_frequency.assign(
        label=[f"{f}+" if f == last and f >= 7 else str(f) for f in by_frequency["frequency"]]
    )
    long = data.melt(
        id_vars=["frequency", "label", "customers"],
        value_vars=["actual", "predicted"],
        var_name="series",
        value_name="purchases",
    )
    long["series"] = long["series"].map(
        {"actual": t("clv.chart_actual", lang), "predicted": t("clv.chart_predicted", lang)}
    )
    hover = alt.selection_point(
        fields=["label"], nearest=True, on="pointerover", clear="pointerout", empty=False
    )
    base = alt.Chart(long).encode(
        x=alt.X(
            "label:O",
            sort=data["label"].tolist(),
            title=t("clv.chart_calibration_purchases", lang),
            axis=alt.Axis(labelAngle=0),
        ),
        y=alt.Y("purchases:Q", title=t("clv.chart_holdout_purchases", lang)),
        color=alt.Color(
            "series:N", title=None, scale=_series_scale(lang), legend=alt.Legend(orient="top")
        ),
        tooltip=[
            alt.Tooltip("label:O", title=t("clv.chart_calibration_purchases", lang)),
            alt.Tooltip("series:N", title=" "),
            alt.Tooltip("purchases:Q", title=t("clv.chart_holdout_purchases", lang), format=".2f"),
            alt.Tooltip("customers:Q", title=t("chart.customers", lang), format=","),
        ],
    )
    lines = base.mark_line()
    points = base.mark_point(filled=True).encode(
        size=alt.condition(hover, alt.value(120), alt.value(40))
    )
    return alt.layer(lines, points.add_params(hover)).properties(
        height=300, autosize=FIT_WIDTH, title=t("clv.chart_by_frequency", lang)
    )


def tracking_chart(
    curve: pd.DataFrame, cutoff: pd.Timestamp, lang: str = "en", cumulative: bool = True
) -> alt.Chart:
    """Repeat purchases over time (cumulative or per step), actual and predicted, holdout shaded.

    Expects `core.clv.tracking_curve`: date, actual, predicted, actual_step,
    predicted_step, holdout. Partial first and last steps are left out of the
    per-step view.
    """
    columns = ["actual", "predicted"] if cumulative else ["actual_step", "predicted_step"]
    if cumulative:
        data = curve
    else:
        # Only whole steps: the first and last may be shorter (partial periods).
        lengths = curve["date"].diff().dt.days
        data = curve[lengths == lengths.max()]
    data = data[["date", "holdout", *columns]]
    data = data.rename(columns=dict(zip(columns, ["actual", "predicted"], strict=True)))
    y_title = t("clv.chart_cumulative" if cumulative else "clv.chart_per_step", lang)
    long = data.melt(
        id_vars=["date", "holdout"],
        value_vars=["actual", "predicted"],
        var_name="series",
        value_name="purchases",
    )
    long["series"] = long["series"].map(
        {"actual": t("clv.chart_actual", lang), "predicted": t("clv.chart_predicted", lang)}
    )
    long["day"] = long["date"].dt.strftime("%Y-%m-%d")
    nearest = alt.selection_point(
        fields=["date"], nearest=True, on="pointerover", clear="pointerout", empty=False
    )
    base = alt.Chart(long).encode(
        x=alt.X("date:T", title=t("clv.chart_date", lang), axis=alt.Axis(format="%Y-%m")),
    )
    lines = base.mark_line().encode(
        y=alt.Y("purchases:Q", title=y_title, axis=alt.Axis(format="~s")),
        color=alt.Color(
            "series:N", title=None, scale=_series_scale(lang), legend=alt.Legend(orient="top")
        ),
    )
    rule = (
        base.mark_rule(color="#888")
        .encode(
            opacity=alt.condition(nearest, alt.value(0.5), alt.value(0)),
            tooltip=[
                alt.Tooltip("day:N", title=t("clv.chart_date", lang)),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("purchases:Q", title=y_title, format=",.0f"),
            ],
        )
        .add_params(nearest)
    )
    # The holdout period is shaded: the model never saw the actual line there.
    span = pd.DataFrame(
        {
            "start": [cutoff],
            "end": [data["date"].max()],
            "label": [t("clv.chart_holdout", lang)],
        }
    )
    shade = alt.Chart(span).mark_rect(color=MUTED, opacity=0.18).encode(x="start:T", x2="end:T")
    shade_text = (
        alt.Chart(span)
        .mark_text(align="left", baseline="top", dx=4, y=4, color="#555")
        .encode(x="start:T", text="label:N")
    )
    return alt.layer(shade, lines, rule, shade_text).properties(
        height=300,
        autosize=FIT_WIDTH,
        title=t("clv.chart_tracking" if cumulative else "clv.chart_tracking_step", lang),
    )


def frequency_recency_heatmap(
    grid: pd.DataFrame, value: str, unit_label: str, lang: str = "en"
) -> alt.Chart:
    """Frequency (rows) by recency (columns) coloured by `value` ("expected_purchases" or "p_alive").

    Expects `core.clv.frequency_recency_matrix`: frequency, recency, recency_end,
    expected_purchases, p_alive, customers.
    """
    is_share = value == "p_alive"
    title = t("clv.chart_p_alive" if is_share else "clv.chart_expected", lang)
    data = heatmap_table(grid)
    return (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X(
                "recency:Q",
                bin=alt.Bin(binned=True),
                title=t("clv.chart_recency", lang, unit=unit_label),
            ),
            x2="recency_end:Q",
            y=alt.Y(
                "frequency:O",
                sort="descending",
                title=t("clv.chart_frequency", lang),
            ),
            color=alt.Color(
                f"{value}:Q",
                title=None,
                scale=alt.Scale(scheme="blues" if not is_share else "redyellowgreen"),
                legend=alt.Legend(format=".0%" if is_share else ".1f"),
            ),
            tooltip=[
                alt.Tooltip("frequency:O", title=t("clv.chart_frequency", lang)),
                alt.Tooltip("recency_label:N", title=t("clv.chart_recency", lang, unit=unit_label)),
                alt.Tooltip(f"{value}:Q", title=title, format=".1%" if is_share else ".2f"),
                alt.Tooltip("customers:Q", title=t("clv.chart_customers_here", lang), format=","),
            ],
        )
        .properties(height=320, autosize=FIT_WIDTH, title=title)
    )


def heatmap_table(grid: pd.DataFrame) -> pd.DataFrame:
    """The data `frequency_recency_heatmap` draws: the grid with a recency_label per cell."""
    return grid.assign(
        recency_label=[
            f"{a:.0f}–{b:.0f}" for a, b in zip(grid["recency"], grid["recency_end"], strict=True)
        ]
    )


def histogram_table(distribution: pd.DataFrame) -> pd.DataFrame:
    """The data `clv_histogram` draws: the distribution with a band label per bin."""
    return distribution.assign(
        band=[
            f"≥ {a:,.0f}" if open_end else f"{a:,.0f}–{b:,.0f}"
            for a, b, open_end in zip(
                distribution["bin_start"],
                distribution["bin_end"],
                distribution["open_end"],
                strict=True,
            )
        ]
    )


def clv_histogram(distribution: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Customers by CLV band; the last band is open-ended when it holds the top 1%.

    Expects `core.clv.clv_distribution`: bin_start, bin_end, customers, total, open_end.
    """
    data = histogram_table(distribution)
    hover = alt.selection_point(fields=["band"], on="pointerover", clear="pointerout", empty=False)
    return (
        alt.Chart(data)
        .mark_bar(color=PRIMARY)
        .encode(
            x=alt.X("bin_start:Q", bin=alt.Bin(binned=True), title=t("clv.chart_clv", lang)),
            x2="bin_end:Q",
            y=alt.Y("customers:Q", title=t("chart.customers", lang)),
            color=alt.condition(hover, alt.value(ACCENT), alt.value(PRIMARY)),
            tooltip=[
                alt.Tooltip("band:N", title=t("clv.chart_clv", lang)),
                alt.Tooltip("customers:Q", title=t("chart.customers", lang), format=","),
                alt.Tooltip("total:Q", title=t("clv.chart_total_clv", lang), format=",.0f"),
            ],
        )
        .add_params(hover)
        .properties(height=280, autosize=FIT_WIDTH, title=t("clv.chart_distribution", lang))
    )


def group_value_chart(groups: pd.DataFrame, title: str, lang: str = "en") -> alt.Chart:
    """Mean CLV per group (segment or channel) as bars, with share of total CLV in the tooltip.

    Expects columns label (group name), customers, mean_clv, total_clv, clv_share, mean_p_alive.
    """
    return (
        alt.Chart(groups)
        .mark_bar(color=PRIMARY)
        .encode(
            y=alt.Y("label:N", sort="-x", title=None),
            x=alt.X("mean_clv:Q", title=t("clv.chart_mean_clv", lang)),
            tooltip=[
                alt.Tooltip("label:N", title=" "),
                alt.Tooltip("customers:Q", title=t("chart.customers", lang), format=","),
                alt.Tooltip("mean_clv:Q", title=t("clv.chart_mean_clv", lang), format=",.2f"),
                alt.Tooltip("total_clv:Q", title=t("clv.chart_total_clv", lang), format=",.0f"),
                alt.Tooltip("clv_share:Q", title=t("clv.chart_clv_share", lang), format=".1%"),
                alt.Tooltip("mean_p_alive:Q", title=t("clv.chart_p_alive", lang), format=".0%"),
            ],
        )
        .properties(height=alt.Step(24), title=title)
    )


def payback_chart(curves: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Accumulated margin of a new customer by month against the acquisition cost.

    Expects columns month (0..H), value, cac (NaN where none was entered: no cost
    line), label (group name).
    """
    many = curves["label"].nunique() > 1
    color = (
        alt.Color("label:N", title=None, legend=alt.Legend(orient="bottom", columns=3))
        if many
        else alt.value(PRIMARY)
    )
    base = alt.Chart(curves).encode(
        x=alt.X("month:Q", title=t("clv.chart_months", lang), axis=alt.Axis(tickMinStep=1))
    )
    value = base.mark_line(point=True).encode(
        y=alt.Y("value:Q", title=t("clv.chart_margin_so_far", lang)),
        color=color,
        tooltip=[
            alt.Tooltip("label:N", title=" "),
            alt.Tooltip("month:Q", title=t("clv.chart_months", lang)),
            alt.Tooltip("value:Q", title=t("clv.chart_margin_so_far", lang), format=",.2f"),
            alt.Tooltip("cac:Q", title=t("clv.chart_cac", lang), format=",.2f"),
        ],
    )
    cac = base.mark_line(strokeDash=[4, 4]).encode(
        y="cac:Q", color=color if many else alt.value(ACCENT)
    )
    if curves["cac"].notna().any():
        return alt.layer(value, cac).properties(
            height=300, autosize=FIT_WIDTH, title=t("clv.chart_payback", lang)
        )
    # No cost entered: what a new customer brings, with no payback claim.
    return alt.layer(value).properties(
        height=300, autosize=FIT_WIDTH, title=t("clv.chart_new_value", lang)
    )
