"""How the Campaign page's readings carry numbers: figures written by core, names left as data.

A reading is a `Problem` with severity "info" whose params fill a message of
`core.i18n.campaign`. Numbers are written here, once, with `core.format`
(`fmt_p` for every p-value) and handed over as `Figure`s: text that is a number
written for people, never user text, so the page shows it as it is. Every other
text param (a variant's or a segment's name from the user's file) is the user's
and is made inert by the page. A param that is itself a `Problem` (a segment's
name in the user's language) is a message to translate.
"""

from __future__ import annotations

import math
from typing import Any

from core.format import Figure, fmt_count, fmt_money, fmt_p, fmt_share
from core.problems import Problem, Severity


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def points(value: float | None) -> Figure:
    """A difference of rates in percentage points (0.0066 -> "0.66")."""
    return Figure("–" if _missing(value) else f"{value * 100:.2f}")


def signed_points(value: float | None) -> Figure:
    """A difference of rates in percentage points with its sign (0.0066 -> "+0.66")."""
    return Figure("–" if _missing(value) else f"{value * 100:+.2f}")


def p_phrase(p: float | None) -> Figure:
    """A p-value after "p": "= 0.031" or "< 0.001" (`core.format.fmt_p`, never "0.0000")."""
    text = fmt_p(p)
    return Figure(text if text.startswith("<") or text == "–" else f"= {text}")


def money(value: float | None) -> Figure:
    return Figure(fmt_money(value))


def count(value: float | None) -> Figure:
    return Figure(fmt_count(value))


def share(value: float | None, digits: int = 1) -> Figure:
    return Figure(fmt_share(value, digits))


def fixed(value: float | None, digits: int = 2, signed: bool = False) -> Figure:
    """A plain number with a fixed number of decimals ("+1.25" when `signed`)."""
    if _missing(value):
        return Figure("–")
    return Figure(f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}")


def reading(key: str, severity: Severity = "info", **params: Any) -> Problem:
    """A message with its figures: `Problem(key, params, severity)`."""
    return Problem(key, dict(params), severity)
