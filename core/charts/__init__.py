"""Altair chart builders: a tidy DataFrame in, an `alt.Chart` out. No raw transaction rows ever reach a chart."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.i18n import t

PRIMARY = "#2a6f97"
ACCENT = "#e07a5f"
MUTED = "#a9bcd0"
# Streamlit's default autosize ("fit") squeezes axes, legend and title into the stated
# height, so a chart with a legend on top comes out flattened; fit-x keeps the height for
# the plot itself and still fills the page's width. Use it on every fixed-height chart.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


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
        .properties(height=280, title=t("chart.monthly_revenue", lang), autosize=FIT_WIDTH)
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
        height=280, title=t("chart.monthly_customers", lang), autosize=FIT_WIDTH
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


SEGMENT_SELECTION = "segment_pick"
# Lifecycle stages keep one colour everywhere (the monthly chart and the breakdowns).
STAGE_COLORS = {
    "new": "#7fb069",
    "reactivated": "#e6aa68",
    "active": PRIMARY,
    "at_risk": "#f4d35e",
    "churned": "#c9c9c9",
}
CLUSTER_SELECTION = "cluster_pick"


def stage_colors(lang: str = "en") -> dict[str, str]:
    """STAGE_COLORS keyed by each stage's name in `lang` (charts colour by the names they show)."""
    return {t(f"stage.{stage}", lang): color for stage, color in STAGE_COLORS.items()}


def segment_bar_chart(profile: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Customers per named segment as bars; clicking a bar selects the segment (param SEGMENT_SELECTION).

    Expects columns segment (key), label (name in the user's language), customers,
    share, revenue_share; rows in the order the bars should appear.
    """
    pick = alt.selection_point(
        name=SEGMENT_SELECTION, fields=["segment"], on="click", clear="dblclick"
    )
    return (
        alt.Chart(profile)
        .mark_bar(color=PRIMARY)
        .encode(
            y=alt.Y("label:N", sort=None, title=None),
            x=alt.X("customers:Q", title=t("chart.customers", lang)),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("label:N", title=" "),
                alt.Tooltip("customers:Q", title=t("chart.customers", lang), format=","),
                alt.Tooltip("share:Q", title=t("chart.share_customers", lang), format=".1%"),
                alt.Tooltip("revenue_share:Q", title=t("chart.share_revenue", lang), format=".1%"),
            ],
        )
        .add_params(pick)
        .properties(height=alt.Step(24), title=t("chart.segments", lang))
    )


def rf_grid_chart(cells: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """The classic recency-by-frequency grid: customer counts as colour, segment names as text.

    Expects one row per (r_score, f_score) cell with customers and label (segment name).
    """
    base = alt.Chart(cells).encode(
        x=alt.X("r_score:O", title=t("chart.r_score", lang), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("f_score:O", title=t("chart.f_score", lang), sort="descending"),
    )
    heat = base.mark_rect().encode(
        color=alt.Color(
            "customers:Q", title=t("chart.customers", lang), scale=alt.Scale(scheme="blues")
        ),
        tooltip=[
            alt.Tooltip("label:N", title=" "),
            alt.Tooltip("r_score:O", title=t("chart.r_score", lang)),
            alt.Tooltip("f_score:O", title=t("chart.f_score", lang)),
            alt.Tooltip("customers:Q", title=t("chart.customers", lang), format=","),
        ],
    )
    text_color = alt.condition(
        "datum.customers > datum.max_customers * 0.55", alt.value("white"), alt.value("#1f2933")
    )
    names = base.mark_text(baseline="bottom", dy=-1, fontSize=10).encode(
        text="label:N", color=text_color
    )
    counts = base.mark_text(baseline="top", dy=2, fontSize=11, fontWeight="bold").encode(
        text=alt.Text("customers:Q", format=","), color=text_color
    )
    return (
        alt.layer(heat, names, counts)
        .transform_joinaggregate(max_customers="max(customers)")
        .properties(height=320, title=t("chart.rf_grid", lang), autosize=FIT_WIDTH)
    )


def breakdown_chart(
    shares: pd.DataFrame, lang: str = "en", colors: dict[str, str] | None = None
) -> alt.Chart:
    """Segment (or cluster) mix within each value of an attribute, as 100% stacked bars.

    Expects columns value (attribute value), label (group name), customers, share,
    order (the groups' order in the legend and the stack). `colors` maps labels to
    colours when a grouping has fixed ones (lifecycle stages).
    """
    legend_order = shares.drop_duplicates("label").sort_values("order")["label"].tolist()
    return (
        alt.Chart(shares)
        .mark_bar()
        .encode(
            y=alt.Y("value:N", title=None, sort="-x"),
            x=alt.X(
                "share:Q",
                title=t("chart.share_customers", lang),
                axis=alt.Axis(format="%"),
                stack="normalize",
            ),
            color=alt.Color(
                "label:N",
                title=None,
                sort=legend_order,
                scale=alt.Scale(domain=legend_order, range=[colors[g] for g in legend_order])
                if colors
                else alt.Scale(domain=legend_order, scheme="tableau20"),
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=320),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("value:N", title=" "),
                alt.Tooltip("label:N", title="  "),
                alt.Tooltip("customers:Q", title=t("chart.customers", lang), format=","),
                alt.Tooltip("share:Q", title=t("chart.share_customers", lang), format=".1%"),
            ],
        )
        .properties(height=alt.Step(22))
    )


def silhouette_chart(
    curve: pd.DataFrame, chosen_k: int | None, k: int | None, lang: str = "en"
) -> alt.Chart:
    """Silhouette score by number of clusters, the best k and the k in use marked."""
    data = curve.assign(
        mark=[
            t("chart.k_used", lang)
            if kk == k
            else (t("chart.k_best", lang) if kk == chosen_k else "")
            for kk in curve["k"]
        ]
    )
    base = alt.Chart(data).encode(
        x=alt.X("k:O", title=t("chart.k", lang), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("silhouette:Q", title=t("chart.silhouette", lang), scale=alt.Scale(zero=False)),
    )
    line = base.mark_line(color=MUTED, point=alt.OverlayMarkDef(color=PRIMARY))
    chosen = base.transform_filter("datum.mark != ''").mark_point(
        size=140, color=ACCENT, filled=True
    )
    labels = (
        base.transform_filter("datum.mark != ''")
        .mark_text(dy=-14, color=ACCENT)
        .encode(text="mark:N")
    )
    return alt.layer(line, chosen, labels).properties(
        height=220, title=t("chart.silhouette_title", lang), autosize=FIT_WIDTH
    )


def cluster_scatter_chart(points: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Customers on the first two principal components, coloured by cluster; click to select a cluster.

    Expects a sample (a few thousand rows): x, y, cluster (int), label (cluster name).
    """
    pick = alt.selection_point(
        name=CLUSTER_SELECTION, fields=["cluster"], on="click", clear="dblclick"
    )
    return (
        alt.Chart(points)
        .mark_circle(size=18)
        .encode(
            x=alt.X("x:Q", title=t("chart.pc1", lang)),
            y=alt.Y("y:Q", title=t("chart.pc2", lang)),
            color=alt.Color(
                "label:N", title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=360)
            ),
            opacity=alt.condition(pick, alt.value(0.75), alt.value(0.08)),
            tooltip=[alt.Tooltip("label:N", title=" ")],
        )
        .add_params(pick)
        .properties(height=360, title=t("chart.cluster_map", lang), autosize=FIT_WIDTH)
    )


def lifecycle_chart(by_month: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Customers in each lifecycle stage at each month end, stacked (product-analytics lifecycle view).

    Expects columns month, stage (key), label (stage name), customers, order (stack order).
    """
    palette = STAGE_COLORS
    labels = by_month.drop_duplicates("stage").sort_values("order")
    return (
        alt.Chart(by_month)
        .mark_bar()
        .encode(
            x=alt.X(
                "yearmonth(month):T",
                title=t("chart.month", lang),
                axis=alt.Axis(format="%Y-%m", labelAngle=-45),
            ),
            y=alt.Y("customers:Q", title=t("chart.customers", lang)),
            color=alt.Color(
                "label:N",
                title=None,
                sort=labels["label"].tolist(),
                scale=alt.Scale(
                    domain=labels["label"].tolist(), range=[palette[s] for s in labels["stage"]]
                ),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("order:Q", sort="descending"),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title=t("chart.month", lang), format="%Y-%m"),
                alt.Tooltip("label:N", title=" "),
                alt.Tooltip("customers:Q", title=t("chart.customers", lang), format=","),
            ],
        )
        .properties(height=300, title=t("chart.lifecycle", lang), autosize=FIT_WIDTH)
    )
