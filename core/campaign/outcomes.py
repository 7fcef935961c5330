"""Which columns of a campaign table can be the outcome, the revenue or the pre-period covariate,
and the per-recipient frame the A/B statistics (`core.campaign.abtest.from_rows`) read.

The outcome is chosen on the Campaigns page, not at upload: a table can hold several
0/1 outcomes of the same test (day-1 and day-7 retention, visit and conversion).
Mapped columns (`converted`, `revenue`, `pre_period_spend`) are already numbers;
unmapped columns are kept by the ingest as text under their original header and are
read here with the one flag and number readers (`parse_flags`, `parse_numbers`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from core.campaign.abtest import CampaignData, from_rows
from core.campaign.customers import CUSTOMER_BREAKDOWNS, HISTORY_SPEND
from core.ingest.coerce import missing_mask, parse_flags, parse_numbers
from core.problems import Problem

# Mapped columns that describe the recipient or the send, never an outcome.
NOT_OUTCOMES = frozenset(
    {
        "group",
        "customer_id",
        "send_date",
        "segment",
        "channel",
        "cost",
        "recipients",
        "conversions",
        HISTORY_SPEND,
        *CUSTOMER_BREAKDOWNS,
    }
)
# Mapped columns a user can pick (shown with their field's name, not the canonical one).
MAPPED = frozenset({"converted", "revenue", "pre_period_spend"})
# A column counts as readable when at most this share of its filled cells cannot be read.
UNREADABLE_SHARE = 0.05


@dataclass(frozen=True)
class OutcomeColumns:
    """The columns a user can pick, in table order, and the defaults (mapped columns first).

    flags: 0/1 columns (outcome); numbers: other numeric columns (revenue or another
    amount per recipient, or a pre-period covariate).
    """

    flags: tuple[str, ...]
    numbers: tuple[str, ...]
    outcome: str | None
    revenue: str | None
    covariate: str | None


def read_column(column: pd.Series) -> tuple[pd.Series, pd.Series, bool]:
    """A column as numbers: (values, unreadable, is_flag).

    Numeric columns are taken as they are; text is read as yes/no (1/0, TRUE/FALSE,
    yes/no, 是/否) when every filled cell reads that way or when that reads more cells
    than reading numbers does, else as numbers. A numeric column holding only 0 and 1
    is a flag. `unreadable` marks filled cells that
    could not be read (blank cells are NaN but not unreadable).
    """
    if pd.api.types.is_bool_dtype(column.dtype):
        values = column.astype("float64")
        return values, pd.Series(False, index=column.index), True
    if pd.api.types.is_numeric_dtype(column.dtype):
        values = column.astype("float64")
        present = values.dropna()
        is_flag = len(present) > 0 and bool(present.isin((0.0, 1.0)).all())
        return values, pd.Series(False, index=column.index), is_flag
    text = column.astype("string").fillna("")
    filled = ~missing_mask(text)
    flags = parse_flags(text)
    flag_failed = flags.failed & filled
    if filled.any() and not flag_failed.any():
        return flags.values.where(filled), flag_failed, True
    numbers = parse_numbers(text)
    number_failed = numbers.failed & filled
    if int(flag_failed.sum()) < int(number_failed.sum()):
        return flags.values.where(filled), flag_failed, True
    values = numbers.values.where(filled)
    present = values.dropna()
    is_flag = len(present) > 0 and bool(present.isin((0.0, 1.0)).all())
    return values, number_failed, is_flag


def _looks_like_id(values: pd.Series) -> bool:
    present = values.dropna()
    return (
        len(present) > 50
        and bool((present == present.round()).all())
        and present.nunique() == len(present)
    )


def outcome_columns(table: pd.DataFrame) -> OutcomeColumns:
    """The table's columns that read as 0/1 or as numbers, and the default choices.

    Defaults: the mapped `converted` (else the first 0/1 column), the mapped
    `revenue` (else none: an amount is not guessed) and the mapped
    `pre_period_spend` (else none). Columns whose filled cells are mostly
    unreadable, and numeric columns that look like ids (all distinct whole
    numbers), are not offered.
    """
    flags: list[str] = []
    numbers: list[str] = []
    for name in table.columns:
        if name in NOT_OUTCOMES or not isinstance(name, str):
            continue
        values, unreadable, is_flag = read_column(table[name])
        filled = int(values.notna().sum() + unreadable.sum())
        if values.notna().sum() < 2 or unreadable.sum() > UNREADABLE_SHARE * filled:
            continue
        if is_flag:
            flags.append(name)
        elif not _looks_like_id(values):
            numbers.append(name)
    outcome = "converted" if "converted" in flags else (flags[0] if flags else None)
    revenue = "revenue" if "revenue" in numbers + flags else None
    covariate = "pre_period_spend" if "pre_period_spend" in numbers + flags else None
    return OutcomeColumns(tuple(flags), tuple(numbers), outcome, revenue, covariate)


@dataclass(frozen=True)
class RecipientRows:
    """The per-recipient frame for `from_rows` and what reading it set aside."""

    frame: pd.DataFrame
    left_out: int
    notes: tuple[Problem, ...]


def recipient_rows(
    table: pd.DataFrame,
    outcome: str | None,
    revenue: str | None,
    covariate: str | None = None,
) -> RecipientRows:
    """(table, outcome column, revenue column[, covariate]) -> group, converted, revenue, ... per recipient.

    Every row is a recipient (identical rows are different people). Rows whose
    outcome is blank or unreadable, or whose revenue is filled but unreadable, are
    left out and counted (one note per column); a blank revenue counts as 0 in
    `from_rows`. cost, segment and channel are carried over when mapped, and the
    customer breakdowns (rfm_segment, lifecycle_stage) when present; the
    covariate becomes `pre_period_spend` (CUPED).
    """
    if "group" not in table.columns:
        raise ValueError("Required column group missing")
    frame = pd.DataFrame({"group": table["group"]}, index=table.index)
    keep = pd.Series(True, index=table.index)
    notes: list[Problem] = []
    for column, target, blank_ok in (
        (outcome, "converted", False),
        (revenue, "revenue", True),
        (covariate, "pre_period_spend", True),
    ):
        if column is None:
            continue
        if column not in table.columns:
            raise ValueError(f"Required column {column} missing")
        values, unreadable, _ = read_column(table[column])
        bad = unreadable | (values.isna() if not blank_ok else False)
        if target == "pre_period_spend":
            bad = pd.Series(False, index=table.index)  # CUPED fills a missing covariate
        if bad.any():
            notes.append(
                Problem("campaign.rows_unreadable", {"n": int(bad.sum()), "column": column})
            )
        keep &= ~bad
        frame[target] = values
    for column in ("cost", "segment", "channel", *CUSTOMER_BREAKDOWNS):
        if column in table.columns:
            frame[column] = table[column]
    left_out = int((~keep).sum())
    if left_out:
        frame = frame[keep.to_numpy()]
    return RecipientRows(frame.reset_index(drop=True), left_out, tuple(notes))


def campaign_from_table(
    table: pd.DataFrame,
    outcome: str | None,
    revenue: str | None,
    covariate: str | None = None,
    history: pd.DataFrame | None = None,
) -> CampaignData:
    """The A/B statistics' input for the chosen outcome, revenue and covariate columns.

    `history`: columns from the purchase history, row-aligned with the table
    (`core.campaign.customers.recipient_history`: RFM segment, lifecycle stage, spend
    before the send); the covariate may be one of them, and they win over table
    columns of the same name. Without an outcome and a revenue column there is
    nothing to compare (`campaign.no_outcome`). The notes of reading the columns come first.
    """
    if history is not None and len(history.columns):
        table = pd.concat(
            [table.drop(columns=list(history.columns), errors="ignore"), history], axis=1
        )
    if outcome is None and revenue is None:
        return from_rows(table[["group"]])
    rows = recipient_rows(table, outcome, revenue, covariate)
    data = from_rows(rows.frame)
    return replace(data, notes=rows.notes + data.notes) if rows.notes else data
