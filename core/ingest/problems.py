"""Ingest's expected problems: the one `core.problems.Problem`, and the exception that carries one."""

from __future__ import annotations

from typing import Any

from core.problems import Problem

__all__ = ["Problem", "ProblemError"]


class ProblemError(Exception):
    """Raised inside ingest to stop early; always converted to a `Problem` at the API edge."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.problem = Problem(key, params)
