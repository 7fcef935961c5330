"""Number formatting for people: one place, so every page writes numbers the same way."""

from __future__ import annotations

import math


class Figure(str):
    """A number written for people by core (never text from the user's data).

    Every formatter here returns one, so that a message showing it knows it needs no
    escaping (`ui.common.message_text` makes every other text value inert).
    """

    __slots__ = ()


def fmt_count(value: float | None) -> Figure:
    return Figure("–" if value is None or _nan(value) else f"{value:,.0f}")


def fmt_money(value: float | None) -> Figure:
    """Amounts without a currency symbol (the data's currency is not known): 1,234.50 / 12,345."""
    if value is None or _nan(value):
        return Figure("–")
    return Figure(f"{value:,.2f}" if abs(value) < 10_000 else f"{value:,.0f}")


def fmt_share(value: float | None, digits: int = 1) -> Figure:
    """A share as a percentage; small non-zero shares keep two significant digits (0.021%)."""
    if value is None or _nan(value):
        return Figure("–")
    if 0 < abs(value) < 0.01:
        return Figure(f"{value * 100:.2g}%")
    return Figure(f"{value * 100:.{digits}f}%")


def fmt_change(value: float | None, unit: str) -> Figure | None:
    """A KPI's change: relative in percent for counts and money, in points for shares."""
    if value is None or _nan(value):
        return None
    if unit == "share":
        return Figure(f"{value * 100:+.1f} pp")
    return Figure(f"{value * 100:+.1f}%")


def _nan(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)


def fmt_p(value: float | None) -> Figure:
    """A p-value as people read it: "0.031", "0.500"; below 0.001 "< 0.001" (never "0.0000")."""
    if value is None or _nan(value):
        return Figure("–")
    return Figure("< 0.001" if value < 0.001 else f"{value:.3f}")


def fmt_number(value: float | None, digits: int = 2) -> Figure:
    """A plain number with a fixed number of decimals ("0.83", "1.5"): scores, ratios, AUCs."""
    if value is None or _nan(value):
        return Figure("–")
    return Figure(f"{value:.{digits}f}")
