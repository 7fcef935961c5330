"""Every user-facing string goes through core.i18n.t, and both catalogs are complete."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from core.i18n import CATALOGS, EN, ZH, field_label, t
from core.ingest import ENCODINGS, REASONS
from core.schema import TABLE_KINDS, TABLES

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "app.py",
    *sorted((ROOT / "app_pages").glob("*.py")),
    *sorted((ROOT / "ui").rglob("*.py")),
    *sorted((ROOT / "core").rglob("*.py")),
]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogs_have_the_same_keys():
    assert sorted(set(EN) - set(ZH)) == []
    assert sorted(set(ZH) - set(EN)) == []


@pytest.mark.parametrize("key", sorted(EN), ids=str)
def test_placeholders_match_between_languages(key):
    assert _placeholders(EN[key]) == _placeholders(ZH[key])


def test_no_empty_messages_and_chinese_is_chinese():
    # Keys whose Chinese text may legitimately have no Chinese characters.
    latin_ok = {"encoding.utf-8", "encoding.latin-1", "cluster.name"}
    for key in EN:
        assert EN[key].strip(), key
        assert ZH[key].strip(), key
        if key not in latin_ok:
            assert re.search(r"[\u4e00-\u9fff]", ZH[key]), f"{key} is not translated: {ZH[key]!r}"


def _literal_keys() -> set[str]:
    keys = set()
    pattern = re.compile(r"""\b(?:tr|t)\(\s*"([a-z_]+\.[a-z0-9_.]+)\"""")
    problem = re.compile(
        r"""(?:Problem|ProblemError|Note|problem|reading)\(\s*"([a-z_]+\.[a-z0-9_]+)\""""
    )
    # Message keys that core returns as data ("segmentation.no_orders", ...).
    prefixes = "ingest|note|segmentation|clustering|clv|retention|voc|campaign|crosssell"
    returned = re.compile(rf"""["']((?:{prefixes})\.[a-z0-9_]+)["']""")
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        keys.update(pattern.findall(source))
        keys.update(problem.findall(source))
        if path.is_relative_to(ROOT / "core") and "i18n" not in path.parts:
            keys.update(returned.findall(source))
    return keys


def test_every_literal_key_used_in_code_exists():
    keys = _literal_keys()
    assert len(keys) > 50  # the scan found the code's keys
    assert sorted(k for k in keys if k not in EN) == []


def test_dynamic_key_families_are_complete():
    expected = set()
    for spec in TABLES.values():
        for field in spec.fields:
            expected |= {f"field.{field.name}", f"field_help.{field.name}"}
    expected |= {f"reason.{r}" for r in REASONS} | {f"reason_help.{r}" for r in REASONS}
    expected |= {f"table.{k}" for k in TABLE_KINDS} | {f"upload.about_{k}" for k in TABLE_KINDS}
    expected |= {f"encoding.{e}" for e in ENCODINGS}
    expected |= {f"delimiter.{d}" for d in ("comma", "semicolon", "tab", "pipe")}
    for kpi in (
        "customers",
        "active_customers",
        "revenue",
        "orders",
        "average_order_value",
        "repeat_rate",
    ):
        expected |= {f"kpi.{kpi}", f"kpi_help.{kpi}", f"kpi_line.{kpi}"}
    expected |= {f"upload.date_order_{e}" for e in ("ambiguous", "conflict")}
    # Segmentation: segment and stage names, descriptions and actions; clustering names and messages.
    from core import clustering, segmentation

    for segment in segmentation.SEGMENTS:
        expected |= {f"segment.{segment}", f"segment_help.{segment}", f"action.{segment}"}
    for stage in segmentation.STAGES:
        expected |= {f"stage.{stage}", f"stage_help.{stage}", f"action.stage.{stage}"}
    expected |= set(clustering.descriptor_keys()) | set(clustering.MESSAGE_KEYS)
    expected |= {f"seg.monetary_{m}" for m in ("total", "average")}
    expected |= {f"seg.col_monetary_{m}" for m in ("total", "average")} | {
        f"seg.col_avg_monetary_{m}" for m in ("total", "average")
    }
    expected |= {f"upload.order_{o}" for o in ("dmy", "mdy")} | {
        f"upload.matched_by_{m}" for m in ("name", "content")
    }
    assert sorted(expected - set(EN)) == []


def test_lookup_fills_placeholders_in_both_languages():
    assert (
        t("upload.read_summary", "en", rows="1,234", columns=5) == "1,234 rows and 5 columns read."
    )
    assert t("upload.read_summary", "zh", rows="1,234", columns=5) == "已读取 1,234 行、5 列。"


def test_required_field_groups_are_spelled_out_in_the_users_language():
    groups = [("customer_id",), ("amount", "unit_price")]
    assert t("ingest.missing_required", "en", fields=groups, columns=["a"]).startswith(
        "Still needed: Customer ID; Amount or Unit price."
    )
    assert "客户ID; 金额 或 单价" in t(
        "ingest.missing_required", "zh", fields=groups, columns=["a"]
    )


def test_missing_key_or_placeholder_never_raises():
    assert t("no.such.key", "zh") == "no.such.key"
    assert t("upload.read_summary", "en") == EN["upload.read_summary"]
    assert t("upload.read_summary", "en", rows=3) == "3 rows and {columns} columns read."


def test_field_labels():
    assert field_label("customer_id", "en") == "Customer ID"
    assert field_label("customer_id", "zh") == "客户ID"
    assert set(CATALOGS) == {"en", "zh"}
