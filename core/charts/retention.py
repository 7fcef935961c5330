"""Altair charts of the Retention page: cohort heatmap and curves, churn by month, survival, model checks."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.charts import ACCENT, FIT_WIDTH, MUTED, PRIMARY
from core.i18n import t
from core.retention import cohort_label, group_label

__all__ = [
    "calibration_chart",
    "churn_rate_chart",
    "cohort_curves_chart",
    "cohort_heatmap",
    "cohort_label",
    "group_curves_chart",
    "importance_chart",
    "risk_value_chart",
    "survival_chart",
]

RetentionValue = str  # "retention", "retention_later" or "revenue_retention"


def _labelled(frame: pd.DataFrame, lang: str, column: str = "group") -> pd.Series:
    """Group names in `lang`, translated once per group (not once per row)."""
    names = {g: group_label(g, lang) for g in frame[column].unique()}
    return frame[column].map(names)


def _value_title(value: RetentionValue, lang: str) -> str:
    return t(f"retention.chart_{value}", lang)


def cohort_heatmap(
    table: pd.DataFrame, value: RetentionValue, period: str, lang: str = "en"
) -> alt.Chart:
    """Cohorts (rows) by periods since acquisition (columns), coloured by retention, with the share written in.

    Expects `core.retention.cohort_table` rows of one group: cohort_start, age,
    customers, active, active_later, revenue and the retention columns.
    """
    data = table.assign(
        cohort_name=cohort_label(table["cohort_start"], period),
        shown=table[value],
    ).dropna(subset=["shown"])
    order = sorted(data["cohort_name"].unique())
    base = alt.Chart(data).encode(
        x=alt.X(
            "age:O",
            title=t(f"retention.chart_age_{period}", lang),
            axis=alt.Axis(labelAngle=0, labelOverlap=True),
        ),
        y=alt.Y("cohort_name:O", title=t("retention.chart_cohort", lang), sort=order),
    )
    fmt = ".0%"
    heat = base.mark_rect().encode(
        color=alt.Color(
            "shown:Q",
            title=_value_title(value, lang),
            scale=alt.Scale(
                scheme="blues", domain=[0, 1] if value != "revenue_retention" else None
            ),
            legend=alt.Legend(format="%"),
        ),
        tooltip=[
            alt.Tooltip("cohort_name:N", title=t("retention.chart_cohort", lang)),
            alt.Tooltip("age:O", title=t(f"retention.chart_age_{period}", lang)),
            alt.Tooltip("customers:Q", title=t("retention.chart_cohort_size", lang), format=","),
            alt.Tooltip("active:Q", title=t("retention.chart_active", lang), format=","),
            alt.Tooltip(
                "active_later:Q", title=t("retention.chart_active_later", lang), format=","
            ),
            alt.Tooltip("shown:Q", title=_value_title(value, lang), format=".1%"),
        ]
        + (
            [alt.Tooltip("revenue:Q", title=t("chart.revenue", lang), format=",.0f")]
            if data["revenue"].notna().any()
            else []
        ),
    )
    layers = [heat]
    if data["cohort_name"].nunique() <= 30 and data["age"].nunique() <= 30:
        text = base.mark_text(fontSize=9).encode(
            text=alt.Text("shown:Q", format=fmt),
            color=alt.condition("datum.shown > 0.55", alt.value("white"), alt.value("#1f2933")),
        )
        layers.append(text)
    return alt.layer(*layers).properties(
        height=alt.Step(20) if len(order) > 12 else alt.Step(26),
        title=_value_title(value, lang),
    )


def cohort_curves_chart(
    table: pd.DataFrame, average: pd.DataFrame, value: RetentionValue, period: str, lang: str = "en"
) -> alt.Chart:
    """One thin line per cohort and the size-weighted average in bold; hovering a line picks its cohort."""
    cohorts = table.assign(
        cohort_name=cohort_label(table["cohort_start"], period), shown=table[value]
    ).dropna(subset=["shown"])
    avg = average.assign(shown=average[value], name=t("retention.chart_average", lang)).dropna(
        subset=["shown"]
    )
    x = alt.X("age:Q", title=t(f"retention.chart_age_{period}", lang), axis=alt.Axis(tickMinStep=1))
    y = alt.Y("shown:Q", title=_value_title(value, lang), axis=alt.Axis(format="%"))
    hover = alt.selection_point(
        fields=["cohort_name"], on="pointerover", nearest=True, clear="pointerout", empty=False
    )
    lines = (
        alt.Chart(cohorts)
        .mark_line(strokeWidth=1)
        .encode(
            x=x,
            y=y,
            detail="cohort_name:N",
            color=alt.condition(hover, alt.value(ACCENT), alt.value(MUTED)),
            opacity=alt.condition(hover, alt.value(1.0), alt.value(0.5)),
            tooltip=[
                alt.Tooltip("cohort_name:N", title=t("retention.chart_cohort", lang)),
                alt.Tooltip("age:Q", title=t(f"retention.chart_age_{period}", lang)),
                alt.Tooltip(
                    "customers:Q", title=t("retention.chart_cohort_size", lang), format=","
                ),
                alt.Tooltip("shown:Q", title=_value_title(value, lang), format=".1%"),
            ],
        )
        .add_params(hover)
    )
    mean = (
        alt.Chart(avg)
        .mark_line(color=PRIMARY, strokeWidth=3, point=True)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("name:N", title=" "),
                alt.Tooltip("age:Q", title=t(f"retention.chart_age_{period}", lang)),
                alt.Tooltip("cohorts:Q", title=t("retention.chart_cohorts", lang)),
                alt.Tooltip("shown:Q", title=_value_title(value, lang), format=".1%"),
            ],
        )
    )
    return alt.layer(lines, mean).properties(
        height=320, autosize=FIT_WIDTH, title=t("retention.chart_curves_title", lang)
    )


def group_curves_chart(
    average: pd.DataFrame, value: RetentionValue, period: str, lang: str = "en"
) -> alt.Chart:
    """The average retention curve of each group (channel, first category, ...), one colour per group.

    Expects `core.retention.average_curve` rows; groups are named in `lang`.
    """
    data = average.assign(shown=average[value], group=_labelled(average, lang)).dropna(
        subset=["shown"]
    )
    hover = alt.selection_point(
        fields=["group"], bind="legend", on="pointerover", clear="pointerout"
    )
    return (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X(
                "age:Q",
                title=t(f"retention.chart_age_{period}", lang),
                axis=alt.Axis(tickMinStep=1),
            ),
            y=alt.Y("shown:Q", title=_value_title(value, lang), axis=alt.Axis(format="%")),
            color=alt.Color(
                "group:N",
                title=None,
                sort=list(dict.fromkeys(data["group"])),
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(orient="top", labelLimit=240),
            ),
            opacity=alt.condition(hover, alt.value(1.0), alt.value(0.25)),
            tooltip=[
                alt.Tooltip("group:N", title=" "),
                alt.Tooltip("age:Q", title=t(f"retention.chart_age_{period}", lang)),
                alt.Tooltip(
                    "customers:Q", title=t("retention.chart_customers_observed", lang), format=","
                ),
                alt.Tooltip("shown:Q", title=_value_title(value, lang), format=".1%"),
            ],
        )
        .add_params(hover)
        .properties(
            height=320, autosize=FIT_WIDTH, title=t("retention.chart_group_curves_title", lang)
        )
    )


def churn_rate_chart(monthly: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Monthly churn rate as bars (hover: customers active at the start, churned, came back, new)."""
    data = monthly.assign(month_label=pd.to_datetime(monthly["month"]).dt.strftime("%Y-%m"))
    hover = alt.selection_point(
        fields=["month_label"], on="pointerover", clear="pointerout", empty=False
    )
    return (
        alt.Chart(data)
        .mark_bar(color=PRIMARY)
        .encode(
            x=alt.X(
                "yearmonth(month):T",
                title=t("chart.month", lang),
                axis=alt.Axis(format="%Y-%m", labelAngle=-45),
            ),
            y=alt.Y(
                "churn_rate:Q",
                title=t("retention.chart_churn_rate", lang),
                axis=alt.Axis(format="%"),
            ),
            color=alt.condition(hover, alt.value(ACCENT), alt.value(PRIMARY)),
            tooltip=[
                alt.Tooltip("month_label:N", title=t("chart.month", lang)),
                alt.Tooltip(
                    "churn_rate:Q", title=t("retention.chart_churn_rate", lang), format=".1%"
                ),
                alt.Tooltip(
                    "active_start:Q", title=t("retention.chart_active_start", lang), format=","
                ),
                alt.Tooltip("churned:Q", title=t("retention.chart_churned", lang), format=","),
                alt.Tooltip("returned:Q", title=t("retention.chart_returned", lang), format=","),
                alt.Tooltip("new_customers:Q", title=t("chart.new_customers", lang), format=","),
            ],
        )
        .add_params(hover)
        .properties(height=260, autosize=FIT_WIDTH, title=t("retention.chart_churn_title", lang))
    )


def survival_chart(curves: pd.DataFrame, unit: str, lang: str = "en") -> alt.Chart:
    """Kaplan-Meier step curves per group with 95% bands and a dashed line at 50% (the median lifetime).

    Expects `core.retention.SurvivalView.curves` (group, x: the time in `unit`, survival,
    lower, upper, at_risk); `unit` is "months" (since the first order) or "tenure" (the
    file's own unit). Groups are named in `lang`.
    """
    curves = curves.assign(group_label=_labelled(curves, lang))
    time_title = t(
        "retention.chart_months_since_first" if unit == "months" else "retention.chart_tenure",
        lang,
    )
    legend = alt.Legend(orient="top", labelLimit=240, symbolOpacity=1, symbolStrokeWidth=3)
    color = alt.Color(
        "group_label:N",
        title=None,
        sort=list(dict.fromkeys(curves["group_label"])),
        scale=alt.Scale(scheme="tableau10"),
        legend=legend,
    )
    pick = alt.selection_point(fields=["group_label"], bind="legend")
    base = alt.Chart(curves).encode(
        x=alt.X("x:Q", title=time_title),
        color=color,
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
    )
    band = base.mark_area(interpolate="step-after", opacity=0.12).encode(
        y=alt.Y("lower:Q"),
        y2="upper:Q",
        opacity=alt.condition(pick, alt.value(0.12), alt.value(0.02)),
    )
    line = base.mark_line(interpolate="step-after", strokeWidth=2).encode(
        y=alt.Y(
            "survival:Q",
            title=t("retention.chart_survival", lang),
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, 1]),
        ),
        tooltip=[
            alt.Tooltip("group_label:N", title=" "),
            alt.Tooltip("x:Q", title=time_title, format=",.0f"),
            alt.Tooltip("survival:Q", title=t("retention.chart_survival", lang), format=".1%"),
            alt.Tooltip("lower:Q", title=t("retention.chart_lower", lang), format=".1%"),
            alt.Tooltip("upper:Q", title=t("retention.chart_upper", lang), format=".1%"),
            alt.Tooltip("at_risk:Q", title=t("retention.chart_at_risk", lang), format=","),
        ],
    )
    half = (
        alt.Chart(pd.DataFrame({"y": [0.5]}))
        .mark_rule(strokeDash=[4, 4], color="#888")
        .encode(y="y:Q")
    )
    return (
        alt.layer(band, line, half)
        .add_params(pick)
        .properties(height=380, autosize=FIT_WIDTH, title=t("retention.chart_survival_title", lang))
    )


def calibration_chart(calibration: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Predicted against observed churn per risk bin; points on the diagonal mean honest probabilities."""
    diagonal = pd.DataFrame({"predicted": [0.0, 1.0], "observed": [0.0, 1.0]})
    axis = alt.Axis(format="%")
    x = alt.X(
        "predicted:Q",
        title=t("retention.chart_predicted", lang),
        scale=alt.Scale(domain=[0, 1]),
        axis=axis,
    )
    y = alt.Y(
        "observed:Q",
        title=t("retention.chart_observed", lang),
        scale=alt.Scale(domain=[0, 1]),
        axis=axis,
    )
    reference = alt.Chart(diagonal).mark_line(strokeDash=[4, 4], color="#888").encode(x=x, y=y)
    points = (
        alt.Chart(calibration)
        .mark_line(color=PRIMARY, point=alt.OverlayMarkDef(size=60, color=PRIMARY))
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("bin:O", title=t("retention.chart_bin", lang)),
                alt.Tooltip(
                    "predicted:Q", title=t("retention.chart_predicted", lang), format=".1%"
                ),
                alt.Tooltip("observed:Q", title=t("retention.chart_observed", lang), format=".1%"),
                alt.Tooltip("customers:Q", title=t("chart.customers", lang), format=","),
            ],
        )
    )
    return alt.layer(reference, points).properties(
        height=300, width=320, title=t("retention.chart_calibration_title", lang)
    )


def importance_chart(importance: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Horizontal bars of permutation importance (AUC lost when a feature is shuffled), with its spread.

    Expects columns label, importance, spread.
    """
    data = importance.assign(
        low=importance["importance"] - importance["spread"],
        high=importance["importance"] + importance["spread"],
    )
    y = alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=260))
    bars = (
        alt.Chart(data)
        .mark_bar(color=PRIMARY)
        .encode(
            y=y,
            x=alt.X("importance:Q", title=t("retention.chart_importance", lang)),
            tooltip=[
                alt.Tooltip("label:N", title=" "),
                alt.Tooltip(
                    "importance:Q", title=t("retention.chart_importance", lang), format=".3f"
                ),
                alt.Tooltip("spread:Q", title=t("retention.chart_spread", lang), format=".3f"),
            ],
        )
    )
    whiskers = alt.Chart(data).mark_rule(color="#555").encode(y=y, x="low:Q", x2="high:Q")
    return alt.layer(bars, whiskers).properties(
        height=alt.Step(24), title=t("retention.chart_importance_title", lang)
    )


def risk_value_chart(
    scores: pd.DataFrame, lang: str = "en", subscription: bool = False, money: bool = True
) -> alt.Chart:
    """Customers binned by churn risk: money at stake (or, without money, customers) per 10% band of risk.

    Expects columns band (0.0, 0.1, ... lower edge), customers, at_stake. `subscription`
    names subscribers and monthly charges; `money=False` (a subscription table without
    monthly charges) draws the number of subscribers instead.
    """
    data = scores.assign(band_label=(scores["band"] * 100).round().astype(int).astype(str) + "%+")
    people = t("retention.chart_sub_subscribers" if subscription else "chart.customers", lang)
    if money:
        measure = "at_stake"
        measure_title = t(
            "retention.chart_sub_at_stake" if subscription else "retention.chart_at_stake", lang
        )
        title = t(
            "retention.chart_sub_risk_title" if subscription else "retention.chart_risk_title",
            lang,
        )
    else:
        measure, measure_title = "customers", people
        title = t("retention.chart_sub_count_title", lang)
    tooltip = [
        alt.Tooltip("band_label:N", title=t("retention.chart_risk_band", lang)),
        alt.Tooltip("customers:Q", title=people, format=","),
    ]
    if money:
        tooltip.append(alt.Tooltip("at_stake:Q", title=measure_title, format=",.0f"))
    return (
        alt.Chart(data)
        .mark_bar(color=ACCENT)
        .encode(
            x=alt.X(
                "band_label:O",
                title=t("retention.chart_risk_band", lang),
                sort=None,
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y(f"{measure}:Q", title=measure_title, axis=alt.Axis(format="~s")),
            tooltip=tooltip,
        )
        .properties(height=260, autosize=FIT_WIDTH, title=title)
    )
