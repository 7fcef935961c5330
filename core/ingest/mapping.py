"""Guess which uploaded column holds which canonical field: by name first, then by content."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from core.ingest.coerce import MISSING_TOKENS, parse_dates, parse_flags, parse_numbers
from core.schema import (
    TABLES,
    Field,
    TableKind,
    is_control_name,
    names_earlier_period,
    names_something_else,
    normalize_header,
)

MatchedBy = Literal["name", "content"]

_SAMPLE_ROWS = 2000
# Fields that hold this period's purchase or outcome: a header naming an earlier period or
# a cost (history, prev_*, last_year_*, cost, 去年...) is never guessed as one of them.
OUTCOME_FIELDS = frozenset({"amount", "unit_price", "revenue", "converted", "conversions"})
# Values of a sentiment label column found by content: 0/1 or words that say positive or
# negative. Yes/no, true/false and 是/否 say that something happened (a verified purchase,
# a reply), not how the customer felt: such a column is not guessed as the label.
_SENTIMENT_WORDS = frozenset(
    {"positive", "negative", "pos", "neg", "正面", "负面", "积极", "消极", "好评", "差评"}
)
_SENTIMENT_VALUES = _SENTIMENT_WORDS | {"0", "1", "0.0", "1.0"}
# Headers that say nothing about a column: the reader's names for a file without a header
# line (Column 1) or a blank header (column_1), and a model's target. Only under such a
# header is a 0/1 column taken for the sentiment label; words (positive/负面…) say it
# under any header that does not name another field.
_GENERIC_HEADER = re.compile(r"(?:col(?:umn)?|field|var|v|x)[ _]?\d+|y|target|class|unnamed.*")


@dataclass(frozen=True)
class MappingGuess:
    """Canonical field -> source column (None when not found), and how each was found."""

    columns: dict[str, str | None]
    matched_by: dict[str, MatchedBy]

    def missing_required(self, kind: TableKind) -> list[tuple[str, ...]]:
        return missing_required(kind, self.columns)


def missing_required(kind: TableKind, columns: dict[str, str | None]) -> list[tuple[str, ...]]:
    """The required groups of `kind` with no column mapped to any of their fields."""
    return [
        group for group in TABLES[kind].required if not any(columns.get(name) for name in group)
    ]


def _name_score(header: str, field: Field) -> tuple[int, int]:
    """How well a header names `field`: 3 exact, 2 a synonym inside it, 0 not at all.

    The second number ranks the synonym that matched (earlier in the field's list is
    better, negated so that larger is better); it settles ties such as "StockCode"
    and "Description" both naming the product.
    """
    if field.name in OUTCOME_FIELDS and names_something_else(header):
        return 0, 0
    normalized = normalize_header(header)
    squeezed = normalized.replace(" ", "")
    names = list(dict.fromkeys(map(normalize_header, (field.name, *field.synonyms))))
    for rank, name in enumerate(names):
        if normalized == name or squeezed == name.replace(" ", ""):
            return 3, -rank
    words = f" {normalized} "
    for rank, name in enumerate(names):
        if len(name) >= 4 and f" {name} " in words:
            return 2, -rank
        # Chinese headers have no spaces: a synonym of two or more characters inside counts.
        if not name.isascii() and len(name) >= 2 and name in squeezed:
            return 2, -rank
    return 0, 0


def guess_mapping(frame: pd.DataFrame, kind: TableKind) -> MappingGuess:
    """Map source columns onto the canonical fields of `kind`.

    Names are matched against English and Chinese synonyms (exact match beats a
    synonym found inside a longer header; between equal matches the field listed
    first in the contract, then the synonym listed first, wins). Required fields still unmatched are then
    looked for by content: a column whose values read as dates, as amounts, or that
    looks like an id repeated across rows.

    Name evidence beats content evidence, and a header that names something else
    (history, prev_*, last_year_*, cost, 去年...) is never an amount, revenue or outcome.
    In a campaign table, an arm column whose header does not say so ("segment" holding
    "Mens E-Mail", "No E-Mail") is found by its control arm's name, and a numeric
    column of an earlier period ("history", "pre_spend") is the pre-period spend.
    In a feedback table with its text column found, a column of nothing but 0/1 (or
    positive/negative, 正面/负面, 好评/差评) that no header names is the sentiment label
    (a file without a header line: "Column 1" the sentence, "Column 2" its 0/1).
    """
    spec = TABLES[kind]
    columns: dict[str, str | None] = {f.name: None for f in spec.fields}
    matched_by: dict[str, MatchedBy] = {}
    sample = frame.head(_SAMPLE_ROWS)
    used: set[str] = set()
    if kind == "campaign" and not any(_name_score(c, spec.field("group"))[0] for c in frame):
        arm = _arm_by_content(sample, list(frame.columns))
        if arm is not None:
            columns["group"] = arm
            matched_by["group"] = "content"
            used.add(arm)
    candidates = sorted(
        (
            (*_name_score(col, f), -spec.fields.index(f), -i, f.name, col)
            for f in spec.fields
            for i, col in enumerate(frame.columns)
        ),
        key=lambda c: (c[0], c[2], c[1], c[3]),
        reverse=True,
    )
    for score, _, _, _, name, col in candidates:
        if score == 0:
            break
        if columns[name] is None and col not in used:
            columns[name] = col
            matched_by[name] = "name"
            used.add(col)

    if kind == "campaign" and columns["pre_period_spend"] is None:
        for col in frame.columns:
            if col not in used and names_earlier_period(col) and _numeric(sample[col]):
                columns["pre_period_spend"] = col
                matched_by["pre_period_spend"] = "name"
                used.add(col)
                break

    for f in spec.fields:
        if columns[f.name] is not None or f.name not in spec.required_names:
            continue
        free = [c for c in frame.columns if c not in used]
        found = _by_content(sample, free, f)
        if found is not None:
            columns[f.name] = found
            matched_by[f.name] = "content"
            used.add(found)

    if kind == "feedback" and columns["text"] is not None and columns["sentiment_label"] is None:
        free = [c for c in frame.columns if c not in used]
        label = _label_by_content(sample, free, list(frame.columns).index(columns["text"]))
        if label is not None:
            columns["sentiment_label"] = label
            matched_by["sentiment_label"] = "content"
            used.add(label)
    return MappingGuess(columns, matched_by)


def _label_by_content(sample: pd.DataFrame, free: list[str], text_at: int) -> str | None:
    """A column whose present values are all sentiment labels, both kinds seen; nearest the text.

    Its header must not name another field, and a column of 0/1 must have a header
    that says nothing (a 0/1 "verified" or "refund" column is not a sentiment label).
    """
    spec = TABLES["feedback"]
    found: list[tuple[int, str]] = []
    for col in free:
        if any(_name_score(col, f)[0] for f in spec.fields) or names_something_else(col):
            continue
        values = _present(sample[col].str.strip())
        if len(values) == 0 or parse_flags(values).failed.any():
            continue
        lowered = values.str.lower()
        if not lowered.isin(_SENTIMENT_VALUES).all():
            continue
        generic = _GENERIC_HEADER.fullmatch(normalize_header(col).replace(" ", ""))
        if not generic and not lowered.isin(_SENTIMENT_WORDS).any():
            continue
        if parse_flags(values).values.nunique() == 2:
            found.append((abs(list(sample.columns).index(col) - text_at), col))
    return min(found)[1] if found else None


def _present(values: pd.Series) -> pd.Series:
    return values[~values.str.strip().str.lower().isin(MISSING_TOKENS)]


def _numeric(values: pd.Series) -> bool:
    """Whether most present values of a column read as numbers."""
    present = _present(values)
    return len(present) > 0 and parse_numbers(present).failed.mean() < 0.2


# Control names that also name ordinary categories ("None" of a coupon column): a column
# with one of these is taken for the arm only when no column has an unmistakable one.
_WEAK_CONTROL_NAMES = frozenset({"none", "baseline", "original"})


def _arm_by_content(sample: pd.DataFrame, columns: list[str]) -> str | None:
    """A text column with 2-8 distinct values, one of them a control arm's name.

    The first column with an unmistakable name (control, holdout, no e-mail, 对照组...)
    wins; failing that, the first with "none", "baseline" or "original".
    """
    weak = None
    for col in columns:
        values = sample[col].str.strip()
        named_none = values.str.lower() == "none"  # an arm called "None" is not a blank
        distinct = pd.concat([_present(values), values[named_none]]).unique()
        if not 2 <= len(distinct) <= 8:
            continue
        controls = {normalize_header(v) for v in distinct if is_control_name(v)}
        if controls - _WEAK_CONTROL_NAMES:
            return col
        if controls and weak is None:
            weak = col
    return weak


def _by_content(sample: pd.DataFrame, free: list[str], field: Field) -> str | None:
    best, best_score = None, 0.0
    for col in free:
        if field.name in OUTCOME_FIELDS and names_something_else(col):
            continue
        values = _present(sample[col])
        if len(values) == 0:
            continue
        if field.type == "date":
            score = 1 - parse_dates(values).failed.mean()
            # Plain integers could be serial dates or amounts; demand a date shape.
            if values.str.fullmatch(r"\d{1,6}(\.\d+)?").mean() > 0.5:
                score = 0.0
        elif field.type == "money":
            reading = parse_numbers(values)
            score = 1 - reading.failed.mean()
            has_decimals = values.str.contains(r"[.,]\d{1,2}\b|[$€£¥￥元]", regex=True).mean()
            score = score * (0.5 + 0.5 * has_decimals)
        elif field.type == "id":
            distinct = values.nunique() / len(values)
            looks_like_code = values.str.fullmatch(r"[A-Za-z]{0,4}[-_]?\d{2,}").mean()
            score = looks_like_code * (0.6 if distinct == 1 else 1.0) if distinct > 0.001 else 0.0
        elif field.type == "text":
            score = float(
                values.str.len().mean() > 15
                and values.str.contains(" |[\u4e00-\u9fff]", regex=True).mean() > 0.5
            )
        else:
            score = 0.0
        if score > best_score:
            best, best_score = col, score
    return best if best_score >= 0.8 else None
