"""Message catalogs (English, Simplified Chinese) and the one lookup every user-facing string goes through."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any, Literal

from core.format import Figure

Lang = Literal["en", "zh"]
LANGUAGES: dict[Lang, str] = {"en": "English", "zh": "简体中文"}

# One layout: every page (and the parts shared by all pages) keeps its messages in a
# module of its own, with an `EN` and a `ZH` dict side by side; they are merged here
# into the two catalogs. A key defined twice is an error at import.
CATALOG_MODULES = (
    "common",
    "upload",
    "quality",
    "overview",
    "segmentation",
    "clv",
    "retention",
    "voc",
    "campaign",
    "crosssell",
    "export",
)


def _merged() -> dict[Lang, dict[str, str]]:
    catalogs: dict[Lang, dict[str, str]] = {"en": {}, "zh": {}}
    for name in CATALOG_MODULES:
        module = importlib.import_module(f"core.i18n.{name}")
        for catalog, extra in ((catalogs["en"], module.EN), (catalogs["zh"], module.ZH)):
            clash = set(catalog) & set(extra)
            if clash:
                raise RuntimeError(f"core.i18n.{name} redefines {sorted(clash)[:5]}")
            catalog.update(extra)
    return catalogs


CATALOGS: dict[Lang, dict[str, str]] = _merged()
EN = CATALOGS["en"]
ZH = CATALOGS["zh"]

_log = logging.getLogger(__name__)


class _Params(dict):
    """Leaves an unknown placeholder visible instead of raising in front of the user."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(key: str, lang: str = "en", **params: Any) -> str:
    """The message `key` in `lang`, with `{placeholders}` filled from `params`.

    A key missing from a catalog falls back to English and is logged (the test
    suite fails on it long before a user could see it).
    """
    catalog = CATALOGS.get(lang, EN)  # type: ignore[arg-type]
    text = catalog.get(key)
    if text is None:
        _log.warning("missing message %s for %s", key, lang)
        text = EN.get(key, key)
    if not params:
        return text
    return text.format_map(_Params({k: _format_param(k, v, lang) for k, v in params.items()}))


def _format_param(name: str, value: Any, lang: str) -> Any:
    if name == "fields" and isinstance(value, list | tuple):
        # Required-field groups: [("amount", "unit_price"), ...] -> "amount or unit price; ..."
        joiner = t("common.or", lang)
        return "; ".join(joiner.join(field_label(f, lang) for f in group) for group in value)
    if name == "order" and value in ("dmy", "mdy"):
        return t(f"upload.order_{value}", lang)
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return value


def field_label(field: str, lang: str = "en") -> str:
    """A canonical column's name for people ("customer_id" -> "Customer ID" / "客户ID")."""
    return t(f"field.{field}", lang) if f"field.{field}" in EN else field


def render(message: Any, lang: str = "en", inert: Callable[[str], str] = str) -> str:
    """The text of a `core.problems.Problem` (or of several, one after the other) in `lang`.

    The one way a message's params are said: a param that is itself a `Problem` is a
    phrase of the app (a segment's or period's name) said in `lang`; a tuple of them is
    said one after the other, each ending in its language's separator ("…, " / "…，"),
    the last one trimmed; a `core.format.Figure` (a number core wrote) is used as it is;
    any other text is the user's own and goes through `inert` (the pages pass
    `ui.common.plain`, which makes it inert for Markdown).
    """
    if not hasattr(message, "key"):
        return "".join(render(m, lang, inert) for m in message)
    params = {name: _said(value, lang, inert) for name, value in message.params.items()}
    return t(message.key, lang, **params)


def _said(value: Any, lang: str, inert: Callable[[str], str]) -> Any:
    if hasattr(value, "key") and hasattr(value, "params"):
        return render(value, lang, inert)
    if isinstance(value, tuple) and value and all(hasattr(v, "key") for v in value):
        return "".join(render(v, lang, inert) for v in value).rstrip(" ,，")
    if isinstance(value, Figure):
        return str(value)
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [v if isinstance(v, Figure) else inert(v) for v in value]
    return value
