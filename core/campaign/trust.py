"""The "Can I trust it?" tab's view: the split, the group sizes, big orders and CUPED.

`srm_view` checks the group sizes against the split the user says was intended (a
What-if the user edits, so it is cheap); `trust_view` gathers what depends on the data
and the control only: size warnings, revenue with the largest orders capped, and the
sharper CUPED estimates, each beside the raw result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from core.campaign.abtest import (
    SRM_ALPHA,
    CampaignData,
    Metric,
    SrmResult,
    compare,
    narrowing,
    outlier_note,
    srm_check,
)
from core.campaign.readings import Figure, money, p_phrase, reading, share
from core.format import fmt_p
from core.problems import Problem

# The notes of `from_rows` / `from_totals` that say a group is small.
SIZE_NOTES = ("campaign.tiny_groups", "campaign.few_conversions")
# A lift is "clear" below this p-value (Holm-adjusted) when raw and adjusted results are compared.
CLEAR_ALPHA = 0.05
_LIFTS = ("raw_lift", "raw_low", "raw_high", "adj_lift", "adj_low", "adj_high")


@dataclass(frozen=True)
class SrmView:
    """The split check as shown: the test, its figures, a reading and the table in percent."""

    srm: SrmResult
    chi2: Figure
    p: Figure
    reading: Problem  # srm_flagged (severity "warning") or srm_ok ("info")
    table: pd.DataFrame  # group, recipients, expected, share (%), intended (%)


def intended_split(groups: list[str]) -> pd.DataFrame:
    """The split the editor starts from: equal shares in percent (columns group, share)."""
    return pd.DataFrame({"group": groups, "share": [round(100 / len(groups), 2)] * len(groups)})


def srm_view(data: CampaignData, intended: pd.DataFrame) -> SrmView:
    """Sample-ratio mismatch of the groups against `intended` (columns group, share: any weights)."""
    weights = pd.Series(
        pd.to_numeric(intended["share"], errors="coerce").to_numpy(),
        index=intended["group"].astype(str),
    )
    srm = srm_check(data.arms["recipients"], weights)
    key = "campaign.srm_flagged" if srm.flagged else "campaign.srm_ok"
    said = reading(key, "warning" if srm.flagged else "info", p=p_phrase(srm.p_value))
    table = srm.table.assign(share=srm.table["share"] * 100, intended=srm.table["intended"] * 100)
    return SrmView(srm, Figure(f"{srm.chi2:.2f}"), Figure(fmt_p(srm.p_value)), said, table)


def srm_help_params() -> dict[str, Figure]:
    """The threshold the split check's help names (`SRM_ALPHA`)."""
    return {"alpha": Figure(f"{SRM_ALPHA:g}")}


def side_by_side(raw: pd.DataFrame, adjusted: pd.DataFrame, metric: Metric) -> pd.DataFrame:
    """`narrowing` as shown: lifts in points for conversion, narrower in percent, p-values as text."""
    side = narrowing(raw, adjusted)
    scale = 100 if metric == "conversion" else 1
    return side.assign(
        **{c: side[c] * scale for c in _LIFTS},
        narrower=side["narrower"] * 100,
        raw_p_text=side["raw_p"].map(fmt_p),
        adj_p_text=side["adj_p"].map(fmt_p),
    )


@dataclass(frozen=True)
class Capped:
    """Revenue with the largest orders capped, beside the raw result."""

    note: Problem | None  # a few buyers bring much of the revenue
    intro: Problem  # the cap and the top buyers' share
    side: pd.DataFrame  # `side_by_side` of raw and capped revenue lifts
    shifts: tuple[Problem, ...]  # variants whose clear result appears or disappears when capped


@dataclass(frozen=True)
class Cuped:
    """One metric's CUPED estimate beside the raw one."""

    metric: Metric
    reduction: Problem  # the share of the variance the adjustment removes
    side: pd.DataFrame


@dataclass(frozen=True)
class TrustView:
    """What the trust tab shows besides the split check.

    small: the notes saying a group is small (none: the sizes are fine).
    capped: None without per-recipient revenue.
    cuped: one entry per metric with a CUPED estimate.
    """

    small: tuple[Problem, ...]
    capped: Capped | None
    cuped_available: bool  # a covariate was given (CUPED was tried)
    cuped: tuple[Cuped, ...]


def _shifts(side: pd.DataFrame) -> tuple[Problem, ...]:
    raw, capped = side["raw_p"] < CLEAR_ALPHA, side["adj_p"] < CLEAR_ALPHA
    out = []
    for key, which in (
        ("campaign.capped_loses", raw & ~capped),
        ("campaign.capped_finds", ~raw & capped),
    ):
        if which.any():
            names = ", ".join(side.loc[which, "variant"].astype(str))
            out.append(reading(key, "warning", variants=names))
    return tuple(out)


def trust_view(data: CampaignData, control: str, lifts: Mapping[str, pd.DataFrame]) -> TrustView:
    """Size warnings, capped revenue and CUPED for a campaign, its control and its raw lifts."""
    small = tuple(n for n in data.notes if n.key in SIZE_NOTES)
    capped = None
    if data.has("revenue", "capped") and "revenue" in lifts:
        side = side_by_side(
            lifts["revenue"], compare(data, control, "revenue", "capped"), "revenue"
        )
        intro = reading(
            "campaign.outliers_intro",
            cap=money(data.cap),
            share=share(data.top_share or 0.0),
        )
        capped = Capped(outlier_note(data), intro, side, _shifts(side))
    cuped = []
    for metric in ("conversion", "revenue"):
        if data.has(metric, "cuped") and metric in lifts:
            adjusted = compare(data, control, metric, "cuped")
            cuped.append(
                Cuped(
                    metric,
                    reading("campaign.cuped_reduction", share=share(data.cuped_reduction[metric])),
                    side_by_side(lifts[metric], adjusted, metric),
                )
            )
    return TrustView(small, capped, bool(data.cuped_reduction), tuple(cuped))
