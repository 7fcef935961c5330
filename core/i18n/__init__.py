"""Message catalogs (English, Simplified Chinese) and the one lookup every user-facing string goes through."""

from __future__ import annotations

import importlib
import logging
from typing import Any, Literal

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


def render(message: Any, lang: str = "en") -> str:
    """Text of a `Problem` from core (anything with .key and .params)."""
    return t(message.key, lang, **message.params)
