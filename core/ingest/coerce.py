"""Turn text cells into typed values: dates, money, numbers, flags and ids.

Each parser returns the values *and* which non-empty cells it could not read, so
that the quality report can count them. Parsing works on the distinct values of a
column (`pd.factorize`), which makes repeated dates and amounts cheap.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

DateOrder = Literal["dmy", "mdy"]
# What the day/month order of slash dates like 03/04/2024 looks like in a column.
OrderEvidence = Literal["none", "dmy", "mdy", "ambiguous", "conflict"]

# Cells that mean "no value" in exports from common tools, compared case-insensitively.
MISSING_TOKENS = frozenset(
    {
        "",
        "na",
        "n/a",
        "nan",
        "null",
        "none",
        "nil",
        "-",
        "--",
        "—",
        "#n/a",
        "missing",
        "无",
        "空",
        "缺失",
        "null值",
    }
)

# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in). Serials
# between these bounds are 1954-10-03 .. 2119-01-11: plausible business dates
# that no 5-digit amount or id column is likely to be entirely made of.
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_SERIAL_RANGE = (20_000, 80_000)

# Chinese times write 14时30分(15秒) or 下午2:30; the minute mark 分 may end the time.
_TIME = (
    r"(?:[ T]+(?P<zh_ampm>上午|下午)?\s*(?P<H>\d{1,2})[:：时](?P<M>\d{2})"
    r"(?:[:：分](?P<S>\d{2})(?:[.,]\d+)?秒?)?分?\s*(?P<ampm>[AaPp][Mm])?)?"
    r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?$"
)
_YMD = r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME
_COMPACT = r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})$"
# After 日 the time may follow without a space (2024年3月5日14:30).
_CHINESE = r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?" + _TIME.replace(
    "[ T]+", "[ T]*", 1
)
_SLASH = r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4}|\d{2})" + _TIME
_SERIAL = r"^\d{5}(?:\.\d+)?$"


_LONGEST_TOKEN = max(map(len, MISSING_TOKENS))


def missing_mask(text: pd.Series, *, stripped: bool = False) -> pd.Series:
    """True where a text cell holds no value.

    Missing-value tokens are short, so only short cells go through the (costly)
    case-folded lookup: a column of a million timestamps is skipped in one pass.
    `stripped`: the cells are already trimmed (skips a copy of the column).
    """
    if not stripped:
        text = text.str.strip()
    short = (text.str.len() <= _LONGEST_TOKEN).fillna(True).to_numpy(dtype=bool)
    missing = np.zeros(len(text), dtype=bool)
    if short.any():
        missing[short] = text[short].str.lower().isin(MISSING_TOKENS).to_numpy(dtype=bool)
    return pd.Series(missing, index=text.index)


@dataclass(frozen=True)
class DateReading:
    values: pd.Series  # datetime64, NaT where missing or unreadable
    failed: pd.Series  # bool: a value was there but could not be read as a date
    order_evidence: OrderEvidence
    order_used: DateOrder | None
    # The order applied where it mattered (slash dates, dates with month names), else
    # None: what a chunk of a file was read with, to check against the whole column.
    order_applied: DateOrder | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class NumberReading:
    values: pd.Series  # float64, NaN where missing or unreadable
    failed: pd.Series  # bool: a value was there but could not be read as a number
    decimal: Literal[".", ","]
    # The distinct values that voted for each decimal mark (see `parse_numbers`), so
    # that readings of a file's chunks can be merged into the column's decision.
    comma_voters: pd.Series | None = field(default=None, compare=False, repr=False)
    dot_voters: pd.Series | None = field(default=None, compare=False, repr=False)
    # Whether any value reads differently under the other decimal mark.
    mark_sensitive: bool = field(default=False, compare=False, repr=False)


def _factorize(text: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes and stripped distinct values; a column of mostly distinct values is left as it is.

    Factorising a million distinct timestamps costs more than parsing them, so
    when a sample says most values differ, every row is its own "distinct value".
    """
    sample = text.iloc[:: max(len(text) // 5000, 1)]
    if len(text) > 50_000 and sample.nunique() > 0.5 * len(sample):
        values = text.reset_index(drop=True).astype(str).str.strip()
        codes = np.where(text.isna().to_numpy(), -1, np.arange(len(text)))
        return codes, values
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    return codes, pd.Series(uniques, dtype=str).str.strip()


_FIRST_ABOVE_12 = r"^(?:1[3-9]|2\d|3[01])[-/.]\d{1,2}[-/.]\d{2,4}"
_SECOND_ABOVE_12 = r"^\d{1,2}[-/.](?:1[3-9]|2\d|3[01])[-/.]\d{2,4}"
_SLASH_START = r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?:$|[ T])"


def slash_date_evidence(text: pd.Series) -> OrderEvidence:
    """Tell whether dates like 03/04/2024 in a column are day-first, month-first or undecidable."""
    _, uniques = _factorize(text)
    return _slash_evidence(uniques)


def _slash_evidence(uniques: pd.Series) -> OrderEvidence:
    slash = uniques[uniques.str.match(_SLASH_START)]
    if slash.empty:
        return "none"
    day_first = bool(slash.str.match(_FIRST_ABOVE_12).any())
    month_first = bool(slash.str.match(_SECOND_ABOVE_12).any())
    if day_first and month_first:
        return "conflict"
    if day_first:
        return "dmy"
    if month_first:
        return "mdy"
    return "ambiguous"


def parse_dates(
    text: pd.Series, order: DateOrder | None = None, memo: dict | None = None
) -> DateReading:
    """Read dates written in any of the usual ways.

    Understood: ISO (2024-03-05, 2024/3/5, with optional time and zone, the zone is
    dropped), compact YYYYMMDD, Chinese (2024年3月5日 14:30), day- or month-first
    (05/03/2024, 5.3.24), Excel serial numbers (45356 is 2024-03-05), and month
    names (5 Mar 2024, March 5, 2024). Two-digit years follow strptime's %y
    (69-99 are 19xx, 00-68 are 20xx). Impossible dates (2024-02-30), dates
    outside 1677-2262 (sentinels like 9999-12-31) and words without digits
    ("today") count as unreadable.

    Day/month order for slash dates: `order` when given; otherwise the column's
    own evidence (a first part above 12 means day-first, a second part above 12
    means month-first). When nothing in the column decides it the evidence is
    "ambiguous", day-first is used provisionally, and the caller must ask the user.
    """
    codes, uniques = _factorize(text)
    iso = uniques.str.fullmatch(_PLAIN_ISO).to_numpy(dtype=bool)
    if len(uniques) and iso.mean() >= 0.5:
        parsed, blank, evidence, used_order, applied = _read_mostly_iso(uniques, iso, order, memo)
    else:
        parsed, blank, evidence, used_order, applied = _read_dates(uniques, order)
    values = _take(parsed, codes, text.index, pd.NaT).astype("datetime64[ns]")
    failed = _take(~blank & parsed.isna(), codes, text.index, False).astype(bool)
    return DateReading(values, failed, evidence, used_order, applied)


_PLAIN_ISO = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?"
_MEMO_LIMIT = 100_000


def _read_mostly_iso(
    uniques: pd.Series, iso: np.ndarray, order: DateOrder | None, memo: dict | None
) -> tuple[pd.Series, pd.Series, OrderEvidence, DateOrder | None, DateOrder | None]:
    """`_read_dates` for a column of mostly plain ISO dates: the same result in fewer steps.

    The ISO cells go straight to the ISO parser, which is what the general reader
    does with them; the rest (other shapes, and what the ISO parser rejects, such
    as 2024-02-30) go through the general reader. `memo` (value, order) -> result
    carries those readings from one chunk of a file to the next, where the same odd
    values ("yesterday", "0000-00-00") come back.
    """
    parsed = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[ns]")
    parsed[iso] = _as_ns(pd.to_datetime(uniques[iso], format="ISO8601", errors="coerce")).to_numpy(
        dtype="datetime64[ns]"
    )
    blank = np.zeros(len(uniques), dtype=bool)
    rest_at = np.flatnonzero(np.isnat(parsed))
    evidence: OrderEvidence = "none"
    worded = False
    if len(rest_at):
        rest = uniques.iloc[rest_at]
        distinct = rest.drop_duplicates()
        evidence = _slash_evidence(distinct)
        if order is None:
            order = "mdy" if evidence == "mdy" else "dmy"
        memo = {} if memo is None else memo
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        unknown = [v for v in distinct.tolist() if (v, order) not in memo]
        if unknown:
            values = pd.Series(unknown, dtype="str")
            found, empty, *_ = _read_dates(values, order)
            # Whether a value could have been read by month name (where the order matters).
            named = (
                values.str.contains(r"[A-Za-z]{3}", regex=True)
                & values.str.contains(r"\d", regex=True)
            ).to_numpy(dtype=bool)
            for value, when, none, by_name in zip(
                unknown,
                found.to_numpy(dtype="datetime64[ns]"),
                empty.to_numpy(dtype=bool),
                named,
                strict=True,
            ):
                memo[(value, order)] = (when, none, by_name)
        readings = [memo[(v, order)] for v in rest.tolist()]
        parsed[rest_at] = np.array([r[0] for r in readings], dtype="datetime64[ns]")
        blank[rest_at] = [r[1] for r in readings]
        worded = any(r[2] for r in readings)
    elif order is None:
        order = "dmy"
    used_order = order if evidence != "none" else None
    applied = order if evidence != "none" or worded else None
    index = uniques.index
    return (
        pd.Series(parsed, index=index),
        pd.Series(blank, index=index),
        evidence,
        used_order,
        applied,
    )


def _read_dates(
    uniques: pd.Series, order: DateOrder | None
) -> tuple[pd.Series, pd.Series, OrderEvidence, DateOrder | None, DateOrder | None]:
    """Parse distinct stripped cells: (dates, blank, order evidence, order used, order applied)."""
    evidence = _slash_evidence(uniques)
    if order is None:
        order = "mdy" if evidence == "mdy" else "dmy"
    used_order = order if evidence != "none" else None

    parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns]")
    blank = missing_mask(uniques, stripped=True)

    # Fast paths: whole-column parsers with a fixed format, for the common shapes.
    iso = uniques[~blank & uniques.str.match(r"\d{4}-\d{1,2}-\d{1,2}")]
    if len(iso):
        bare = iso.str.replace(r"(?:Z| ?UTC| ?GMT|[+-]\d{2}:?\d{2})$", "", regex=True)
        parsed[iso.index] = _as_ns(pd.to_datetime(bare, format="ISO8601", errors="coerce"))
    slash = uniques[~blank & parsed.isna() & uniques.str.match(_SLASH_START)]
    if len(slash):
        unified = slash.str.replace(r"^(\d{1,2})[-.](\d{1,2})[-.]", r"\1/\2/", regex=True)
        day_month = "%d/%m" if order == "dmy" else "%m/%d"
        for fmt in ("/%Y", "/%Y %H:%M:%S", "/%Y %H:%M"):
            left = unified[parsed[unified.index].isna()]
            if left.empty:
                break
            parsed[left.index] = _as_ns(
                pd.to_datetime(left, format=day_month + fmt, errors="coerce")
            )

    # Everything else, value by value; only the distinct values the fast paths missed.
    worded_seen = False
    todo = ~blank & parsed.isna()
    for pattern in (_YMD, _CHINESE, _COMPACT):
        if not todo.any():
            break
        parts = uniques[todo].str.extract(pattern)
        hit = parts["y"].notna()
        if hit.any():
            parsed[hit[hit].index] = _as_ns(
                _assemble(parts[hit], parts[hit]["y"], parts[hit]["m"], parts[hit]["d"])
            )
            todo[hit[hit].index] = False

    if todo.any():
        parts = uniques[todo].str.extract(_SLASH)
        hit = parts["y"].notna()
        if hit.any():
            p = parts[hit]
            day, month = (p["a"], p["b"]) if order == "dmy" else (p["b"], p["a"])
            year = p["y"].astype(int)
            # Two-digit years pivot as in C's and Python's strptime %y: 69-99 -> 19xx, 00-68 -> 20xx.
            year = year.where(year >= 100, np.where(year < 69, 2000 + year, 1900 + year))
            parsed[hit[hit].index] = _as_ns(_assemble(p, year, month, day))
            todo[hit[hit].index] = False

    if todo.any():
        candidates = uniques[todo]
        serial = candidates[candidates.str.fullmatch(_SERIAL)].astype(float)
        serial = serial[(serial >= EXCEL_SERIAL_RANGE[0]) & (serial <= EXCEL_SERIAL_RANGE[1])]
        if len(serial):
            parsed[serial.index] = (EXCEL_EPOCH + pd.to_timedelta(serial, unit="D")).dt.round("s")
            todo[serial.index] = False

    if todo.any():
        # Month names and other spelled-out forms: rare and few distinct values, so
        # the slower general parser is affordable here.
        # A digit is required: "today" or "now" would otherwise read as the moment of upload.
        candidates = uniques[todo]
        worded = candidates[
            candidates.str.contains(r"[A-Za-z]{3}", regex=True)
            & candidates.str.contains(r"\d", regex=True)
        ]
        if len(worded):
            worded_seen = True
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                guess = pd.to_datetime(
                    worded, format="mixed", errors="coerce", dayfirst=order == "dmy", utc=True
                )
            parsed[worded.index] = _as_ns(guess.dt.tz_localize(None))

    applied = order if evidence != "none" or worded_seen else None
    return parsed, blank, evidence, used_order, applied


def _as_ns(values: pd.Series) -> pd.Series:
    """Dates as datetime64[ns], with NaT for those it cannot hold.

    That is, before 1677-09-22 or after 2262-04-11: placeholders such as 0001-01-01
    and 9999-12-31 then count as unreadable instead of crashing the conversion.
    """
    if values.dtype == "datetime64[ns]":
        return values
    inside = (values >= pd.Timestamp.min) & (values <= pd.Timestamp.max)
    return values.where(inside).astype("datetime64[ns]")


def _assemble(parts: pd.DataFrame, year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    hour = parts["H"].fillna("0").astype(int) if "H" in parts else 0
    if "ampm" in parts:  # every pattern with a time has both the English and Chinese marks
        ampm = parts["ampm"].fillna("").str.lower()
        ampm = ampm.mask(parts["zh_ampm"] == "下午", "pm").mask(parts["zh_ampm"] == "上午", "am")
        hour = hour.where(~((ampm == "pm") & (hour < 12)), hour + 12)
        hour = hour.where(~((ampm == "am") & (hour == 12)), 0)
    frame = pd.DataFrame(
        {
            "year": pd.Series(year, index=parts.index).astype(int),
            "month": month.astype(int),
            "day": day.astype(int),
            "hour": hour if isinstance(hour, pd.Series) else 0,
            "minute": parts["M"].fillna("0").astype(int) if "M" in parts else 0,
            "second": parts["S"].fillna("0").astype(int) if "S" in parts else 0,
        },
        index=parts.index,
    )
    # pd.to_datetime adds hours and minutes as durations: 25:00 would roll over to the next day.
    clock_ok = (frame["hour"] <= 23) & (frame["minute"] <= 59) & (frame["second"] <= 59)
    return pd.to_datetime(frame, errors="coerce").where(clock_ok)


def _take(uniques: pd.Series, codes: np.ndarray, index: pd.Index, fill: object) -> pd.Series:
    """Map per-distinct-value results back onto the rows (code -1 is a missing cell)."""
    if len(uniques) == 0:
        return pd.Series([fill] * len(codes), index=index)
    taken = uniques.iloc[np.where(codes < 0, 0, codes)].reset_index(drop=True)
    taken.index = index
    if (codes < 0).any():
        taken = taken.copy()
        taken[codes < 0] = fill
    return taken


_CURRENCY = r"(?i)(?:US\$|HK\$|A\$|C\$|S\$|R\$|[$€£¥￥₹₩₽]|\b(?:USD|EUR|GBP|CNY|RMB|JPY|HKD|AUD|CAD|CHF|SGD)\b|元|块|圆)"


def parse_numbers(text: pd.Series, decimal: Literal[".", ","] | None = None) -> NumberReading:
    """Read amounts and numbers as written by people and spreadsheets.

    Handles currency symbols and codes ($, ¥, €, RMB, 元), thousands separators
    (1,234.50 and 1.234,56 and 1 234,56 and 1'234.50), negative amounts written
    -12, (12) or 12-, and the Unicode minus. Whether the comma is the decimal mark
    is decided once per column, from values that can only be read one way
    ("12,5" or "1.234,56"); "1,234" alone reads as one thousand two hundred
    thirty-four. Votes count distinct values (trimmed). `decimal` forces the mark
    (the decision taken over a whole file read in chunks).
    """
    codes, uniques = _factorize(text)
    if decimal != "," and bool(uniques.str.fullmatch(r"-?\d+(?:\.\d+)?").all()):
        return _plain_numbers(text, codes, uniques)
    blank = uniques.str.lower().isin(MISSING_TOKENS)
    cleaned = (
        uniques.str.replace(_CURRENCY, "", regex=True)
        .str.replace(r"[\s\u00a0\u202f']", "", regex=True)
        .str.replace("−", "-", regex=False)
    )
    negative = cleaned.str.fullmatch(r"\(.*\)") | cleaned.str.fullmatch(r"[^-]+-")
    cleaned = cleaned.str.strip("()").str.rstrip("-").where(negative, cleaned)
    shaped = cleaned.str.fullmatch(r"[+-]?(?:\d[\d.,]*|[.,]\d+)(?:[eE][+-]?\d+)?")

    has_dot, has_comma = (
        cleaned.str.contains(".", regex=False),
        cleaned.str.contains(",", regex=False),
    )
    both = shaped & has_dot & has_comma
    comma_last = both & (cleaned.str.rfind(",") > cleaned.str.rfind("."))
    only_comma = shaped & has_comma & ~has_dot
    only_dot = shaped & has_dot & ~has_comma
    comma_vote = comma_last | (only_comma & ~cleaned.str.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+"))
    dot_vote = (both & ~comma_last) | (
        only_dot & ~cleaned.str.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+")
    )
    comma_voters = uniques[comma_vote.to_numpy(dtype=bool)].drop_duplicates()
    dot_voters = uniques[dot_vote.to_numpy(dtype=bool)].drop_duplicates()
    if decimal is None:
        decimal = "," if len(comma_voters) > len(dot_voters) else "."
    sensitive = bool((shaped & (has_dot | has_comma)).any())
    if decimal == ",":
        normalised = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        normalised = cleaned.str.replace(",", "", regex=False)
        # Several dots can only be thousands separators (1.234.567).
        normalised = normalised.where(
            ~cleaned.str.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3}){2,}"),
            cleaned.str.replace(".", "", regex=False),
        )
    numbers = pd.to_numeric(normalised.where(shaped, None), errors="coerce").astype(float)
    numbers = numbers.where(~negative, -numbers.abs())
    numbers = numbers.where(np.isfinite(numbers))

    values = _take(numbers, codes, text.index, np.nan).astype(float)
    failed_u = ~blank & numbers.isna()
    failed = _take(failed_u, codes, text.index, False).astype(bool)
    return NumberReading(values, failed, decimal, comma_voters, dot_voters, sensitive)


def _plain_numbers(text: pd.Series, codes: np.ndarray, uniques: pd.Series) -> NumberReading:
    """`parse_numbers` for a column of plain numbers (12, -3, 45.50): the same result, fewer steps.

    No symbols, separators or signs to clean; only a dot can vote, so the mark is "."
    (the caller has not forced ",").
    """
    has_dot = uniques.str.contains(".", regex=False).to_numpy(dtype=bool)
    dot_vote = has_dot & ~uniques.str.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+").to_numpy(dtype=bool)
    numbers = pd.to_numeric(uniques, errors="coerce").astype(float)
    numbers = numbers.where(np.isfinite(numbers))
    values = _take(numbers, codes, text.index, np.nan).astype(float)
    failed = _take(numbers.isna(), codes, text.index, False).astype(bool)
    return NumberReading(
        values,
        failed,
        ".",
        uniques.iloc[:0],
        uniques[dot_vote].drop_duplicates(),
        bool(has_dot.any()),
    )


_TRUE = frozenset(
    {
        "1",
        "1.0",
        "true",
        "t",
        "yes",
        "y",
        "converted",
        "purchased",
        "是",
        "有",
        "对",
        "真",
        "已转化",
        "已购买",
        # Sentiment labels (feedback).
        "positive",
        "pos",
        "正面",
        "积极",
        "好评",
    }
)
_FALSE = frozenset(
    {
        "0",
        "0.0",
        "false",
        "f",
        "no",
        "n",
        "not converted",
        "否",
        "无",
        "没有",
        "错",
        "假",
        "未转化",
        "未购买",
        "negative",
        "neg",
        "负面",
        "消极",
        "差评",
    }
)


def parse_flags(text: pd.Series) -> NumberReading:
    """Read yes/no answers (1/0, true/false, yes/no, 是/否) as 1.0 / 0.0."""
    lowered = text.str.strip().str.lower()
    values = pd.Series(np.nan, index=text.index)
    values[lowered.isin(_TRUE)] = 1.0
    values[lowered.isin(_FALSE)] = 0.0
    blank = lowered.isin(MISSING_TOKENS - {"无"})
    failed = values.isna() & ~blank
    return NumberReading(values, failed, ".")


def clean_ids(text: pd.Series) -> pd.Series:
    """Ids stay text: trimmed, leading zeros kept, missing as NA.

    A column written by a tool that stored ids as floats ("17850.0") has the ".0"
    removed, but only when every id in the column ends that way.
    """
    ids = trim_ids(text)
    if float_written(ids) and ids.notna().any():
        ids = ids.str.slice(0, -2)
    return ids.astype("str")


def trim_ids(text: pd.Series) -> pd.Series:
    """Ids trimmed, missing as NA (`clean_ids` without the float-written check)."""
    ids = text.str.strip()
    return ids.mask(missing_mask(ids, stripped=True))


def float_written(ids: pd.Series) -> bool:
    """Whether every present id ends in ".0" after digits, as tools that store ids as floats write them.

    True for a column without present ids (so that chunks of a file can be combined with all()).
    """
    present = ids.dropna()
    # Checked on a sample first, so ordinary ids stop at once.
    return bool(
        present.iloc[:1000].str.endswith(".0").all() and present.str.fullmatch(r"\d+\.0").all()
    )


def clean_text(text: pd.Series, *, keep: frozenset[str] = frozenset()) -> pd.Series:
    """Free text and categories: trimmed, missing as NA, otherwise untouched.

    `keep`: missing-value tokens (lower case) that are values in this column, such as
    a campaign arm named "None" (no contact).
    """
    values = text.str.strip()
    missing = missing_mask(values, stripped=True)
    if keep and missing.any():
        missing &= ~values.str.lower().isin(keep).fillna(False)
    return values.mask(missing).astype("str")


def formula_like(text: pd.Series, *, stripped: bool = False) -> pd.Series:
    """Cells a spreadsheet would run as a formula (=, +, -, @ followed by something non-numeric).

    `stripped`: the cells are already trimmed text (skips a copy of the column).
    """
    cells = text if stripped else text.astype(str).str.lstrip()
    # A cheap test on every cell (pyarrow's regex engine), the full one only where it matters.
    starts = cells.str.match(r"[=+\-@]").fillna(False).to_numpy(dtype=bool)
    risky = np.zeros(len(text), dtype=bool)
    if starts.any():
        candidates = cells[starts]
        risky[starts] = ~candidates.str.fullmatch(r"[+-]?[\d., ]+").to_numpy(dtype=bool)
    return pd.Series(risky, index=text.index)
