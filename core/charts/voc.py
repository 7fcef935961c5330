"""Charts of the Voice of the customer page: score distribution, trends, breakdowns, topics, drivers."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.charts import ACCENT, FIT_WIDTH, MUTED, PRIMARY
from core.i18n import t

GROUP_COLORS = {"promoter": "#2a9d8f", "passive": "#c9c9c9", "detractor": ACCENT}
TONE_COLORS = {"positive": "#2a9d8f", "neutral": "#c9c9c9", "negative": ACCENT}


def score_distribution_chart(dist: pd.DataFrame, title: str, lang: str = "en") -> alt.Chart:
    """Answers per score value, coloured by NPS group (or satisfied / other).

    Expects `core.voc.scores.score_distribution` output plus group_label (name in the
    user's language).
    """
    labels = dist.drop_duplicates("group")[["group", "group_label"]]
    colors = {**GROUP_COLORS, "satisfied": "#2a9d8f", "other": MUTED}
    return (
        alt.Chart(dist)
        .mark_bar()
        .encode(
            x=alt.X("score:O", title=t("voc.chart_score", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("answers:Q", title=t("voc.chart_answers", lang)),
            color=alt.Color(
                "group_label:N",
                title=None,
                scale=alt.Scale(
                    domain=labels["group_label"].tolist(),
                    range=[colors[g] for g in labels["group"]],
                ),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("score:O", title=t("voc.chart_score", lang)),
                alt.Tooltip("answers:Q", title=t("voc.chart_answers", lang), format=","),
                alt.Tooltip("share:Q", title=t("voc.chart_share", lang), format=".1%"),
                alt.Tooltip("group_label:N", title=" "),
            ],
        )
        .properties(height=260, autosize=FIT_WIDTH, title=title)
    )


def trend_chart(
    monthly: pd.DataFrame, column: str, title: str, axis_title: str, lang: str = "en"
) -> alt.Chart:
    """A monthly line of `column`, with its confidence band when nps_low/nps_high exist (NPS)."""
    data = monthly.assign(month_label=monthly["month"].dt.strftime("%Y-%m"))
    base = alt.Chart(data).encode(
        x=alt.X(
            "month:T", title=t("chart.month", lang), axis=alt.Axis(format="%Y-%m", labelAngle=-45)
        )
    )
    tooltip = [
        alt.Tooltip("month_label:N", title=t("chart.month", lang)),
        alt.Tooltip(f"{column}:Q", title=axis_title, format=",.2f" if column != "nps" else "+.0f"),
        alt.Tooltip("responses:Q", title=t("voc.chart_responses", lang), format=","),
    ]
    layers = []
    if column == "nps" and {"nps_low", "nps_high"} <= set(data.columns):
        tooltip.insert(
            2, alt.Tooltip("nps_low:Q", title=t("voc.chart_ci_low", lang), format="+.0f")
        )
        tooltip.insert(
            3, alt.Tooltip("nps_high:Q", title=t("voc.chart_ci_high", lang), format="+.0f")
        )
        layers.append(
            base.mark_area(opacity=0.18, color=PRIMARY).encode(y="nps_low:Q", y2="nps_high:Q")
        )
    y = alt.Y(f"{column}:Q", title=axis_title, scale=alt.Scale(zero=False))
    layers.append(base.mark_line(color=PRIMARY).encode(y=y))
    layers.append(base.mark_point(filled=True, color=PRIMARY, size=45).encode(y=y, tooltip=tooltip))
    return alt.layer(*layers).properties(height=280, autosize=FIT_WIDTH, title=title)


def breakdown_chart(
    table: pd.DataFrame, column: str, axis_title: str, lang: str = "en"
) -> alt.Chart:
    """A metric per group as bars (NPS with its interval as a rule). Expects group, responses and
    `column` (and nps_low / nps_high for NPS)."""
    data = table[table[column].notna()]
    tooltip = [
        alt.Tooltip("group:N", title=" "),
        alt.Tooltip(f"{column}:Q", title=axis_title, format=",.2f" if column != "nps" else "+.0f"),
        alt.Tooltip("responses:Q", title=t("voc.chart_responses", lang), format=","),
    ]
    base = alt.Chart(data).encode(
        y=alt.Y("group:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260))
    )
    bars = base.mark_bar(color=PRIMARY, opacity=0.85).encode(
        x=alt.X(f"{column}:Q", title=axis_title), tooltip=tooltip
    )
    layers = [bars]
    if column == "nps":
        layers.append(base.mark_rule(color="#333").encode(x="nps_low:Q", x2="nps_high:Q"))
    return alt.layer(*layers).properties(height=alt.Step(24))


def sentiment_mix_chart(mix: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Share of positive / neutral / negative texts per language as 100% bars.

    Expects columns language (label), tone, tone_label, texts, share.
    """
    order = ["positive", "neutral", "negative"]
    labels = mix.drop_duplicates("tone").set_index("tone")["tone_label"]
    domain = [labels[o] for o in order if o in labels]
    return (
        alt.Chart(mix)
        .mark_bar()
        .encode(
            y=alt.Y("language:N", title=None),
            x=alt.X(
                "texts:Q",
                stack="normalize",
                title=t("voc.chart_share_texts", lang),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color(
                "tone_label:N",
                title=None,
                scale=alt.Scale(
                    domain=domain, range=[TONE_COLORS[o] for o in order if o in labels]
                ),
                sort=domain,
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("tone_order:Q"),
            tooltip=[
                alt.Tooltip("language:N", title=" "),
                alt.Tooltip("tone_label:N", title="  "),
                alt.Tooltip("texts:Q", title=t("voc.chart_texts", lang), format=","),
                alt.Tooltip("share:Q", title=t("voc.chart_share", lang), format=".1%"),
            ],
        )
        .properties(height=alt.Step(34))
    )


def topic_chart(topics: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Share of texts per topic, coloured by average sentiment (red negative, green positive).

    Expects columns name (the topic's label), share, texts, avg_sentiment, avg_score.
    """
    tooltip = [
        alt.Tooltip("name:N", title=" "),
        alt.Tooltip("texts:Q", title=t("voc.chart_texts", lang), format=","),
        alt.Tooltip("share:Q", title=t("voc.chart_share_texts", lang), format=".1%"),
        alt.Tooltip("avg_sentiment:Q", title=t("voc.chart_sentiment", lang), format="+.2f"),
    ]
    if "avg_score" in topics:
        tooltip.append(
            alt.Tooltip("avg_score:Q", title=t("voc.chart_avg_score", lang), format=".2f")
        )
    return (
        alt.Chart(topics)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("share:Q", title=t("voc.chart_share_texts", lang), axis=alt.Axis(format="%")),
            color=alt.Color(
                "avg_sentiment:Q",
                title=t("voc.chart_sentiment", lang),
                scale=alt.Scale(
                    domain=[-0.6, 0, 0.6], range=[ACCENT, "#f1f1f1", "#2a9d8f"], clamp=True
                ),
            ),
            tooltip=tooltip,
        )
        .properties(height=alt.Step(26), title=t("voc.chart_topics", lang))
    )


def driver_chart(
    drivers: pd.DataFrame, axis_title: str, lang: str = "en", worse_up: bool = False
) -> alt.Chart:
    """Priority chart: impact on the score (with its interval) against how often the topic comes up.

    Expects columns name, frequency, impact, ci_low, ci_high, texts. Topics low and to
    the right (frequent and pulling the score down) are the ones to fix first; with
    `worse_up` (the outcome is being a detractor or a negative comment) high and to the
    right, and the warning colour marks impacts above zero.
    """
    base = alt.Chart(drivers).encode(
        x=alt.X(
            "frequency:Q",
            title=t("voc.chart_frequency", lang),
            axis=alt.Axis(format="%"),
            # Room on the right for the topic names written next to the points.
            scale=alt.Scale(domain=[0, float(drivers["frequency"].max()) * 1.45], nice=False),
        )
    )
    tooltip = [
        alt.Tooltip("name:N", title=" "),
        alt.Tooltip("frequency:Q", title=t("voc.chart_frequency", lang), format=".1%"),
        alt.Tooltip("impact:Q", title=axis_title, format="+.2f"),
        alt.Tooltip("ci_low:Q", title=t("voc.chart_ci_low", lang), format="+.2f"),
        alt.Tooltip("ci_high:Q", title=t("voc.chart_ci_high", lang), format="+.2f"),
        alt.Tooltip("texts:Q", title=t("voc.chart_texts", lang), format=","),
    ]
    worse = "datum.impact > 0" if worse_up else "datum.impact < 0"
    color = alt.condition(worse, alt.value(ACCENT), alt.value("#2a9d8f"))
    zero = (
        alt.Chart(pd.DataFrame({"y": [0.0]}))
        .mark_rule(color="#888", strokeDash=[4, 4])
        .encode(y="y:Q")
    )
    rules = base.mark_rule(strokeWidth=2).encode(
        y=alt.Y("ci_low:Q", title=axis_title), y2="ci_high:Q", color=color
    )
    points = base.mark_circle(size=120).encode(y="impact:Q", color=color, tooltip=tooltip)
    labels = base.mark_text(align="left", dx=8, fontSize=11).encode(y="impact:Q", text="name:N")
    return alt.layer(zero, rules, points, labels).properties(
        height=360, autosize=FIT_WIDTH, title=t("voc.chart_drivers", lang)
    )
