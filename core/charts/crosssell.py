"""Altair charts of the Cross-sell page: rules map, co-occurrence heatmap, second orders, holdout."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.charts import ACCENT, FIT_WIDTH, MUTED, PRIMARY
from core.crosssell import HOLDOUT_TOP_N
from core.i18n import t


def rules_map_chart(rules: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Rules as points: support across, confidence up, lift as colour and size; hover reads a rule.

    Expects RULE_COLUMNS (core.crosssell); pass at most a few hundred rules.
    """
    data = rules.assign(rule=rules["antecedent"] + " → " + rules["consequent"])
    hover = alt.selection_point(fields=["rule"], on="pointerover", clear="pointerout", empty=False)
    return (
        alt.Chart(data)
        .mark_circle(opacity=0.8, stroke="#1f2933")
        .encode(
            x=alt.X(
                "support:Q",
                title=t("crosssell.chart_support", lang),
                axis=alt.Axis(format=".1%"),
                scale=alt.Scale(type="log"),
            ),
            y=alt.Y(
                "confidence:Q",
                title=t("crosssell.chart_confidence", lang),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color(
                "lift:Q",
                title=t("crosssell.chart_lift", lang),
                scale=alt.Scale(scheme="blues", type="log"),
            ),
            size=alt.Size("lift:Q", legend=None, scale=alt.Scale(range=[20, 300])),
            strokeWidth=alt.condition(hover, alt.value(2), alt.value(0)),
            tooltip=[
                alt.Tooltip("rule:N", title=" "),
                alt.Tooltip("baskets:Q", title=t("crosssell.chart_baskets", lang), format=","),
                alt.Tooltip("support:Q", title=t("crosssell.chart_support", lang), format=".2%"),
                alt.Tooltip(
                    "confidence:Q", title=t("crosssell.chart_confidence", lang), format=".1%"
                ),
                alt.Tooltip("lift:Q", title=t("crosssell.chart_lift", lang), format=".2f"),
            ],
        )
        .add_params(hover)
        .properties(height=320, autosize=FIT_WIDTH, title=t("crosssell.chart_rules_map", lang))
    )


def cooccurrence_heatmap(pairs: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Top items against each other: colour is lift (1 = bought together as often as chance).

    Expects core.crosssell.cooccurrence_top output (row, column, baskets, confidence,
    lift, rank_row, rank_col); rows and columns in popularity order.
    """
    order = (
        pairs.drop_duplicates("row").sort_values("rank_row")["row"].tolist()
        if not pairs.empty
        else []
    )
    max_lift = float(pairs["lift"].max()) if not pairs.empty else 2.0
    return (
        alt.Chart(pairs)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "column:N",
                sort=order,
                title=t("crosssell.chart_also_bought", lang),
                axis=alt.Axis(labelAngle=-45, labelLimit=160, labelOverlap=False),
            ),
            y=alt.Y(
                "row:N",
                sort=order,
                title=t("crosssell.chart_bought", lang),
                axis=alt.Axis(labelLimit=160, labelOverlap=False),
            ),
            color=alt.Color(
                "lift:Q",
                title=t("crosssell.chart_lift", lang),
                scale=alt.Scale(
                    domain=[0, 1, max(max_lift, 1.5)],
                    range=["#f3f3f3", "#dbe7f0", PRIMARY],
                    interpolate="hcl",
                ),
            ),
            tooltip=[
                alt.Tooltip("row:N", title=t("crosssell.chart_bought", lang)),
                alt.Tooltip("column:N", title=t("crosssell.chart_also_bought", lang)),
                alt.Tooltip("baskets:Q", title=t("crosssell.chart_baskets_both", lang), format=","),
                alt.Tooltip(
                    "confidence:Q", title=t("crosssell.chart_confidence", lang), format=".1%"
                ),
                alt.Tooltip("lift:Q", title=t("crosssell.chart_lift", lang), format=".2f"),
            ],
        )
        .properties(height=alt.Step(22), title=t("crosssell.chart_heatmap", lang))
    )


def second_order_items_chart(items: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """What customers' second orders hold most often. Expects item, customers, share (top rows)."""
    return (
        alt.Chart(items)
        .mark_bar(color=PRIMARY)
        .encode(
            y=alt.Y("item:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X(
                "share:Q",
                title=t("crosssell.chart_share_second", lang),
                axis=alt.Axis(format="%"),
            ),
            tooltip=[
                alt.Tooltip("item:N", title=" "),
                alt.Tooltip("customers:Q", title=t("crosssell.chart_customers", lang), format=","),
                alt.Tooltip("share:Q", title=t("crosssell.chart_share_second", lang), format=".1%"),
            ],
        )
        .properties(height=alt.Step(22), title=t("crosssell.chart_second_items", lang))
    )


def second_order_flows_chart(flows: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """For each first-order item, its strongest second-order item: share with it against without.

    Expects first_item, second_item, customers, share, share_others (one row per first item).
    """
    with_label = flows.assign(label=flows["first_item"] + " → " + flows["second_item"])
    groups = {
        "share": t("crosssell.chart_first_had", lang),
        "share_others": t("crosssell.chart_first_had_not", lang),
    }
    long = with_label.melt(
        id_vars=["label", "first_item", "second_item", "customers"],
        value_vars=list(groups),
        var_name="group",
        value_name="value",
    )
    long["group"] = long["group"].map(groups)
    order = with_label["label"].tolist()
    base = alt.Chart(long).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
    )
    rule = (
        alt.Chart(with_label)
        .mark_rule(color=MUTED, strokeWidth=2)
        .encode(y=alt.Y("label:N", sort=order), x="share_others:Q", x2="share:Q")
    )
    points = base.mark_circle(size=110, opacity=1).encode(
        x=alt.X(
            "value:Q",
            title=t("crosssell.chart_share_second_bought", lang),
            axis=alt.Axis(format="%"),
        ),
        color=alt.Color(
            "group:N",
            title=None,
            scale=alt.Scale(domain=list(groups.values()), range=[ACCENT, MUTED]),
            legend=alt.Legend(orient="bottom", labelLimit=400),
        ),
        tooltip=[
            alt.Tooltip("label:N", title=" "),
            alt.Tooltip("group:N", title="  "),
            alt.Tooltip(
                "value:Q", title=t("crosssell.chart_share_second_bought", lang), format=".1%"
            ),
        ],
    )
    return alt.layer(rule, points).properties(
        height=alt.Step(28), title=t("crosssell.chart_flows", lang)
    )


def recommended_items_chart(counts: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Items recommended first most often. Expects item, customers (top rows)."""
    return (
        alt.Chart(counts)
        .mark_bar(color=ACCENT)
        .encode(
            y=alt.Y("item:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X("customers:Q", title=t("crosssell.chart_customers", lang)),
            tooltip=[
                alt.Tooltip("item:N", title=" "),
                alt.Tooltip("customers:Q", title=t("crosssell.chart_customers", lang), format=","),
            ],
        )
        .properties(height=alt.Step(22), title=t("crosssell.chart_recommended", lang))
    )


def holdout_chart(rates: pd.DataFrame, lang: str = "en", top_n: int = HOLDOUT_TOP_N) -> alt.Chart:
    """Hit rates of the recommender and the popularity baseline.

    Expects method ("model" / "popular", named here in `lang`), hit_rate, hits
    (core.crosssell.HoldoutCheck.rates).
    """
    data = rates.assign(method=[t(f"crosssell.method_{m}", lang) for m in rates["method"]])
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("method:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X(
                "hit_rate:Q",
                title=t("crosssell.chart_hit_rate", lang),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color(
                "method:N",
                legend=None,
                scale=alt.Scale(domain=data["method"].tolist(), range=[PRIMARY, MUTED]),
            ),
            tooltip=[
                alt.Tooltip("method:N", title=" "),
                alt.Tooltip("hit_rate:Q", title=t("crosssell.chart_hit_rate", lang), format=".1%"),
                alt.Tooltip("hits:Q", title=t("crosssell.chart_hits", lang), format=","),
            ],
        )
        .properties(height=alt.Step(36), title=t("crosssell.chart_holdout", lang, top=top_n))
    )
