"""Upload page: the row rules (identical rows, zero amounts) shown with their counts and changeable.

A per-recipient campaign export without an ID has many identical rows (recipients with
the same answers): every recipient must be kept. A transactions file's zero-amount
lines are kept by default and set aside when the user says so.
"""

from __future__ import annotations

from pathlib import Path

import lifetimes
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.format import fmt_count
from core.i18n import EN, ZH
from tests.app.apptest import upload_file

CATALOGS = {"en": EN, "zh": ZH}

# 60 recipients, 3 arms, no ID: rows repeat (same arm, same outcome) as in any such export.
ARMS = [("No E-Mail", 0, 0.0)] * 18 + [("No E-Mail", 1, 25.5)] * 2
ARMS += [("Mens E-Mail", 0, 0.0)] * 16 + [("Mens E-Mail", 1, 30.0)] * 4
ARMS += [("Womens E-Mail", 0, 0.0)] * 15 + [("Womens E-Mail", 1, 30.0)] * 5
CAMPAIGN = ("segment,conversion,spend\n" + "".join(f"{a},{c},{s}\n" for a, c, s in ARMS)).encode()
# 60 rows, 3 + 3 + 3 distinct: 57 rows repeat an earlier one.
IDENTICAL = 60 - 6

ORDERS = (
    b"customer_id,order_date,amount\n"
    b"C1,2024-01-05,10\n"
    b"C1,2024-01-05,10\n"  # the same purchase twice on a day: kept (no order ID)
    b"C2,2024-01-06,0\n"
    b"C3,2024-01-07,0.00\n"
    b"C4,2024-01-08,12.5\n"
)


@pytest.fixture(autouse=True)
def _widget_language(monkeypatch, request):
    """Format choices in the test's language on the test's side too.

    AppTest formats a widget's value with the page's `format_func` outside the script
    run, where the session's language is not known (it would format in English).
    """
    lang = (
        request.node.callspec.params.get("lang", "en")
        if hasattr(request.node, "callspec")
        else "en"
    )
    monkeypatch.setattr("ui.common.lang", lambda: lang)


def _box(at: AppTest, field: str):
    return next(s for s in at.selectbox if s.key and s.key.startswith(f"map_campaign_{field}_"))


def _rule(at: AppTest, kind: str, rule: str):
    return next(r for r in at.radio if r.key and r.key.startswith(f"rule_{kind}_{rule}_"))


def _use(at: AppTest, lang: str) -> None:
    next(b for b in at.button if b.label == CATALOGS[lang]["upload.use_file"]).click().run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_campaign_without_id_keeps_every_recipient(lang):
    catalog = CATALOGS[lang]
    at = upload_file("campaign", "hillstrom_like.csv", CAMPAIGN, lang)
    # Loadable without a customer ID: nothing is still needed.
    assert not at.error, [e.value for e in at.error]
    assert _box(at, "group").value == "segment"  # found by its control arm, "No E-Mail"
    assert _box(at, "revenue").value == "spend"
    assert _box(at, "cost").value is None
    radio = _rule(at, "campaign", "identical_rows")
    assert radio.label == catalog["rule.identical_rows"].format(count=fmt_count(IDENTICAL))
    assert radio.value == "keep"
    _use(at, lang)
    loaded = at.session_state["tables"]["campaign"]
    assert len(loaded.table) == 60
    assert loaded.report.set_aside == {}
    assert loaded.table.groupby("group", observed=True).size().to_dict() == {
        "Mens E-Mail": 20,
        "No E-Mail": 20,
        "Womens E-Mail": 20,
    }
    at.switch_page("app_pages/quality.py").run()
    assert not at.exception
    used = catalog["quality.rule_used"].format(
        rule=catalog["rule.identical_rows"].format(count=fmt_count(IDENTICAL)),
        choice=catalog["rule.identical_rows.keep"],
    )
    assert any(used in c.value for c in at.caption), [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_zero_amount_rule_can_be_changed_before_loading(lang):
    catalog = CATALOGS[lang]
    at = upload_file("transactions", "orders.csv", ORDERS, lang)
    identical = _rule(at, "transactions", "identical_rows")
    assert identical.label == catalog["rule.identical_lines"].format(count="1")
    assert identical.value == "keep"  # no order ID: two identical lines are two purchases
    zero = _rule(at, "transactions", "zero_amounts")
    assert zero.label == catalog["rule.zero_amounts"].format(count="2")
    assert zero.value == "keep"
    zero.set_value("set_aside").run()
    _use(at, lang)
    report = at.session_state["tables"]["transactions"].report
    assert (report.rows_read, report.rows_kept, report.set_aside) == (5, 3, {"zero_amount": 2})
    loaded = catalog["upload.loaded"].format(kept="3", read="5", aside="2")
    assert any(s.value == loaded for s in at.success), [s.value for s in at.success]
    at.switch_page("app_pages/quality.py").run()
    assert not at.exception
    used = catalog["quality.rule_used"].format(
        rule=catalog["rule.zero_amounts"].format(count="2"),
        choice=catalog["rule.zero_amounts.set_aside"],
    )
    assert any(used in c.value for c in at.caption)


def test_transactions_with_order_ids_set_identical_lines_aside_by_default():
    data = (
        b"order_id,customer_id,order_date,amount\n"
        b"A1,C1,2024-01-05,10\nA1,C1,2024-01-05,10\nA2,C2,2024-01-06,0\n"
    )
    at = upload_file("transactions", "orders.csv", data, "en")
    assert _rule(at, "transactions", "identical_rows").value == "set_aside"
    _use(at, "en")
    report = at.session_state["tables"]["transactions"].report
    assert report.set_aside == {"duplicate": 1}
    assert report.rows_kept == 2  # the zero-amount order is kept
    assert any("Loaded: 2 of 3 rows kept, 1 set aside" in s.value for s in at.success)


def test_cdnow_through_the_upload_page_keeps_every_line():
    # lifetimes' CDNOW_master.txt converted to a CSV as a user would (whitespace-separated
    # text, header customer_id date number_of_cds dollar_value): 69,659 lines, 23,570
    # customers (the CDNOW master cohort of Fader, Hardie & Lee 2005).
    path = Path(lifetimes.__file__).parent / "datasets" / "CDNOW_master.txt"
    data = pd.read_csv(path, sep=r"\s+", dtype=str).to_csv(index=False).encode()
    at = upload_file("transactions", "cdnow.csv", data, "en")
    assert _rule(at, "transactions", "identical_rows").label == EN["rule.identical_lines"].format(
        count="255"
    )
    assert _rule(at, "transactions", "zero_amounts").label == EN["rule.zero_amounts"].format(
        count="80"
    )
    _use(at, "en")
    loaded = at.session_state["tables"]["transactions"]
    assert (loaded.report.rows_read, loaded.report.rows_kept) == (69_659, 69_659)
    assert loaded.table["customer_id"].nunique() == 23_570
