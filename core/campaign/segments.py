"""The "For whom" tab's view: each variant's lift within each level of a recipient attribute.

`segments_view` breaks a campaign's lift down by one attribute (the table's segment or
channel, or the RFM segment / lifecycle stage before the send) and says what a
marketer should read from it: variants whose lift clearly differs between levels
(Cochran's Q, `heterogeneity`), how many comparisons look significant by chance
alone, and the clearest effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.campaign.abtest import CampaignData, Metric, comparisons_note, heterogeneity, lift_by
from core.campaign.customers import level_key
from core.campaign.readings import Figure, fixed, p_phrase, reading
from core.format import fmt_p
from core.problems import Problem

# A variant's lift "clearly differs" between levels below this heterogeneity p-value:
# stricter than 0.05 because every variant and attribute is tested.
UNEVEN_ALPHA = 0.01
# The significance level the many-comparisons warning counts against.
SEGMENT_ALPHA = 0.05
# The columns of the breakdown table that are shown (p_value shown as p_text).
SEGMENT_COLUMNS = [
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


@dataclass(frozen=True)
class SegmentSettings:
    """Which attribute to break the lift down by, and on which measure."""

    column: str
    metric: Metric


@dataclass(frozen=True)
class SegmentsView:
    """What the For whom tab shows for one attribute and measure.

    table: `lift_by`'s rows (one per level and variant) plus p_text, conversion in
        percentage points; `level` is the table's own text (see `levels`). Empty when
        no level has the control and a variant.
    levels: each level with the message key naming it in the user's language (None:
        the table's own text, shown as it is).
    uneven: one reading per variant whose lift clearly differs between levels.
    warning: how many comparisons, how many below SEGMENT_ALPHA, how many by chance.
    best: the level and variant with the highest lower bound, when it is above zero.
    """

    table: pd.DataFrame
    levels: tuple[tuple[str, str | None], ...]
    uneven: tuple[Problem, ...]
    warning: Problem | None
    best: Problem | None


def level_name(column: str, level: str) -> Problem | str:
    """A level as a reading's param: a message naming it (segment, stage), or the table's own text."""
    key = level_key(column, level)
    return Problem(key, {}, "info") if key else level


def attribute_name(column: str) -> Problem:
    """An attribute as it reads inside a sentence ("segment", "RFM segment before the send")."""
    return Problem(f"campaign.in_text_{column}", {}, "info")


def uneven_readings(by: pd.DataFrame, column: str, metric: Metric) -> tuple[Problem, ...]:
    """Variants whose lift is not the same for every level (heterogeneity p < UNEVEN_ALPHA)."""
    if by.empty:
        return ()
    scale = 100 if metric == "conversion" else 1
    found = heterogeneity(by)
    return tuple(
        reading(
            f"campaign.uneven_{metric}",
            variant=str(row["variant"]),
            attribute=attribute_name(column),
            level=level_name(column, row["top_level"]),
            lift=fixed(row["top_lift"] * scale, signed=True),
            low=fixed(row["top_low"] * scale),
            high=fixed(row["top_high"] * scale),
            p=p_phrase(row["p_value"]),
        )
        for row in found[found["p_value"] < UNEVEN_ALPHA].to_dict("records")
    )


def segments_view(data: CampaignData, control: str, settings: SegmentSettings) -> SegmentsView:
    """Each variant's lift against the control within each level of `settings.column`.

    The lifts are `lift_by`'s (same tests as the overall result, no Holm correction:
    the warning counts how many comparisons would look significant by chance).
    """
    column, metric = settings.column, settings.metric
    by = lift_by(data, control, column, metric)
    if by.empty:
        return SegmentsView(by.assign(p_text=pd.Series(dtype=str)), (), (), None, None)
    scale = 100 if metric == "conversion" else 1
    scaled = ("abs_lift", "abs_low", "abs_high", "control", "value")
    table = by.assign(**{c: by[c] * scale for c in scaled}, p_text=by["p_value"].map(fmt_p))
    count = comparisons_note(by, SEGMENT_ALPHA)
    warning = reading(
        "campaign.segments_warning",
        "warning",
        n=count["comparisons"],
        significant=count["significant"],
        chance=Figure(f"{count['by_chance']:.1f}"),
        alpha=Figure(f"{SEGMENT_ALPHA:g}"),
    )
    best = None
    if table["abs_low"].notna().any():
        top = table.loc[table["abs_low"].idxmax()]
        if top["abs_low"] > 0:
            best = reading(
                f"campaign.segments_best_{metric}",
                variant=str(top["variant"]),
                level=level_name(column, top["level"]),
                lift=fixed(top["abs_lift"]),
                low=fixed(top["abs_low"]),
                high=fixed(top["abs_high"]),
            )
    levels = tuple((str(level), level_key(column, str(level))) for level in table["level"].unique())
    return SegmentsView(table, levels, uneven_readings(by, column, metric), warning, best)
