"""Tables the user types or pastes on the Campaign page (group totals, a KPI series, channels).

What an editor returns is read here, not on the page: blank rows dropped, the demo's
example recognised, and a key that names the content for the page's cache.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import pandas as pd

from core.campaign.abtest import EXAMPLE_SUMMARY, CampaignData, from_totals

# The columns of an uploaded table of group totals that the statistics read.
TOTALS_COLUMNS = ("group", "recipients", "conversions", "revenue", "cost")


def content_key(frame: pd.DataFrame) -> tuple[Hashable, ...]:
    """A cache key naming what a small typed table holds (its cells as text, row by row)."""
    return tuple(map(tuple, pd.DataFrame(frame).astype(str).to_numpy()))


@dataclass(frozen=True)
class TypedSummary:
    """Group totals typed in the editor: the campaign (None while nothing is typed), a key naming
    the content, and whether it is still the demo's example."""

    data: CampaignData | None
    key: tuple[Hashable, ...]
    example: bool


def typed_summary(typed: pd.DataFrame) -> TypedSummary:
    """The totals typed per group (blank rows ignored) read by `from_totals`."""
    rows = pd.DataFrame(typed).dropna(how="all")
    if rows.empty:
        return TypedSummary(None, ("typed",), False)
    example = rows.reset_index(drop=True).equals(EXAMPLE_SUMMARY.reset_index(drop=True))
    return TypedSummary(from_totals(rows), ("typed", content_key(rows)), example)


def totals_table(table: pd.DataFrame) -> CampaignData:
    """An uploaded table of group totals (one row per group or more) read by `from_totals`."""
    return from_totals(table[[c for c in TOTALS_COLUMNS if c in table.columns]])
