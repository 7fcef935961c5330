"""The Result tab's view of a campaign: each variant against the control, in numbers and words.

`result_view` takes the campaign (`CampaignData`) and the control group and returns
everything the tab shows: the comparisons, one sentence per variant and measure
(what changed, by how much, and whether chance could explain it), each group's
conversion rate, the lift table (p-values written by `core.format.fmt_p`) and the
tidy tables of its charts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from core.campaign.abtest import (
    METRICS,
    CampaignData,
    Metric,
    arm_rates,
    chance_to_beat,
    compare,
    direction,
    group_intervals,
    lift_table,
    strength,
)
from core.campaign.readings import (
    Figure,
    count,
    money,
    p_phrase,
    points,
    reading,
    share,
    signed_points,
)
from core.format import fmt_p
from core.problems import Problem

# The lift table's columns that are p-values, and the columns written for people beside them.
P_COLUMNS = {"p_value": "p_text", "p_adjusted": "p_adjusted_text"}


@dataclass(frozen=True)
class ArmRate:
    """One group's conversion rate as the tab's metrics show it.

    `difference` is the rate minus the control's, as signed percentage points
    (a `Figure`, None for the control).
    """

    group: str
    rate: Figure
    difference: Figure | None
    recipients: Figure
    conversions: Figure
    is_control: bool


@dataclass(frozen=True)
class ResultView:
    """What the Result tab shows.

    lifts: metric -> `compare` output (raw), for the metrics the data has.
    readings: one line per variant and metric, each line one or more messages written
        one after the other (the verdict, its interval and how likely chance is); then
        "revenue cannot be tested" when that is so.
    variants_tested: the number of variants when Holm's correction applies (more than
        one variant), else 0.
    rates: each group's conversion rate (empty without conversions).
    table: `lift_table` with the p-values also as text (P_COLUMNS); metric holds the
        metric's code ("conversion", "revenue").
    intervals: metric -> each group's value with its 95% interval and is_control, for
        the rates charts (revenue only when it can be tested).
    forests: metric -> the lifts for a forest chart (label, points for conversion,
        p_text), for the metrics with an interval.
    """

    lifts: Mapping[str, pd.DataFrame]
    readings: tuple[tuple[Problem, ...], ...]
    variants_tested: int
    rates: tuple[ArmRate, ...]
    table: pd.DataFrame
    intervals: Mapping[str, pd.DataFrame]
    forests: Mapping[str, pd.DataFrame]


def comparisons(data: CampaignData, control: str) -> dict[str, pd.DataFrame]:
    """Each metric the data has (conversion, revenue per recipient) compared with the control."""
    return {metric: compare(data, control, metric) for metric in METRICS if data.has(metric)}


def with_p_text(table: pd.DataFrame) -> pd.DataFrame:
    """The table with each p-value column also written for people ("0.031", "< 0.001")."""
    extra = {text: table[p].map(fmt_p) for p, text in P_COLUMNS.items() if p in table}
    return table.assign(**extra) if extra else table


def verdict(row: Mapping, metric: Metric) -> tuple[Problem, ...]:
    """One plain sentence, as messages: what changed, by how much, and whether chance could explain it."""
    variant = str(row["variant"])
    if math.isnan(row["abs_lift"]):
        return (reading("campaign.verdict_none", variant=variant),)
    figure = points if metric == "conversion" else money
    lift = figure(abs(row["abs_lift"]))
    said = reading(f"campaign.verdict_{metric}_{direction(row)}", variant=variant, lift=lift)
    level = strength(row["p_adjusted"])
    if level is None:
        return said, reading("campaign.verdict_no_test")
    low, high = figure(row["abs_low"]), figure(row["abs_high"])
    return (
        said,
        reading(f"campaign.verdict_interval_{metric}", low=low, high=high),
        reading(f"campaign.strength_{level}", p=p_phrase(row["p_adjusted"])),
    )


def _rates(data: CampaignData, control: str) -> tuple[ArmRate, ...]:
    rates = arm_rates(data, control)
    return tuple(
        ArmRate(
            group=str(group),
            rate=share(rate, 2),
            difference=None if group == control else signed_points(difference),
            recipients=count(n),
            conversions=count(x),
            is_control=group == control,
        )
        for group, rate, difference, n, x in zip(
            rates["group"],
            rates["rate"],
            rates["difference"],
            rates["recipients"],
            rates["conversions"],
            strict=True,
        )
    )


def forest_table(lifts: pd.DataFrame, metric: Metric, label: str = "variant") -> pd.DataFrame:
    """Lifts ready for `core.charts.campaign.forest_chart`: conversion in points, p-values as text."""
    shown = lifts.assign(label=lifts[label].astype(str))
    if metric == "conversion":
        shown = shown.assign(**{c: shown[c] * 100 for c in ("abs_lift", "abs_low", "abs_high")})
    return shown.assign(p_text=shown["p_value"].map(fmt_p))


def result_view(data: CampaignData, control: str) -> ResultView:
    """Everything the Result tab shows for a campaign and its control group.

    The numbers are `compare`'s (z-test for conversion, Welch for revenue, Holm
    across variants); the words follow `strength` of the Holm-adjusted p-value.
    """
    lifts = comparisons(data, control)
    readings: list[tuple[Problem, ...]] = []
    for metric in METRICS:
        table = lifts.get(metric)
        if table is not None:
            readings += [verdict(row, metric) for row in table.to_dict("records")]
    revenue = lifts.get("revenue")
    if revenue is not None and revenue["p_value"].isna().all():
        readings.append((reading("campaign.revenue_not_testable"),))
    intervals = {}
    if data.has("conversion"):
        intervals["conversion"] = group_intervals(data, "conversion")
    if revenue is not None and data.has_sd("revenue"):
        intervals["revenue"] = group_intervals(data, "revenue")
    intervals = {
        m: frame.assign(is_control=frame["group"] == control) for m, frame in intervals.items()
    }
    forests = {
        metric: forest_table(table, metric)
        for metric, table in lifts.items()
        if not table["abs_low"].isna().all()
    }
    return ResultView(
        lifts=lifts,
        readings=tuple(readings),
        variants_tested=len(data.groups) - 1 if len(data.groups) > 2 else 0,
        rates=_rates(data, control) if data.has("conversion") else (),
        table=with_p_text(lift_table(lifts)),
        intervals=intervals,
        forests=forests,
    )


def chances(data: CampaignData, control: str, variants: list[str]) -> dict[str, float]:
    """P(variant's rate > control's), in percent, for each variant (`chance_to_beat`)."""
    arms = data.arms
    c = arms.loc[control]
    return {
        v: 100
        * chance_to_beat(
            arms.loc[v, "conversions"],
            arms.loc[v, "recipients"],
            c["conversions"],
            c["recipients"],
        )
        for v in variants
    }


def with_chances(table: pd.DataFrame, chance: Mapping[str, float]) -> pd.DataFrame:
    """The lift table with a chance_to_beat column (percent) on its conversion rows."""
    return table.assign(
        chance_to_beat=table["variant"].map(chance).where(table["metric"] == "conversion")
    )
