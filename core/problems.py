"""The one shape of an expected problem or note in core: a message key, its values, a severity.

Core never writes texts: it returns `Problem`s whose `key` names a message in
`core.i18n` and whose `params` fill its placeholders; the page shows it in the
user's language. Thresholds in a text come from the constant core uses, passed as a
parameter (`Problem("voc.too_few_rated", {"minimum": MIN_RATED})`), never written
into the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Problem:
    """Something the user should know, and can often fix.

    `severity`: "error" — the analysis cannot be shown; "warning" — it is shown but
    should be read with care; "info" — a fact about the data or the method.
    """

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity = "error"


def problem(key: str, severity: Severity = "error", **params: Any) -> Problem:
    """`Problem(key, params, severity)` with the values as keywords."""
    return Problem(key, dict(params), severity)
