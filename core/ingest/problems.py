"""Expected input problems, returned as data with a message key (texts live in core.i18n)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """Something wrong with the user's file that they can fix.

    `key` names a message in the i18n catalogs ("ingest.empty_file", ...);
    `params` fills its placeholders.
    """

    key: str
    params: dict[str, Any] = field(default_factory=dict)


class ProblemError(Exception):
    """Raised inside ingest to stop early; always converted to a `Problem` at the API edge."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.problem = Problem(key, params)
