"""The Upload page's tab and the Data quality page's table section, each called alone with its
inputs (AppTest.from_function), and how often the Upload page reads a file.

The figures are the ones the pages showed before they were split into functions: 5 rows,
one identical line, two zero amounts (test_upload_policies); 6 rows read, 3 kept, one row
per reason set aside (tests/core/test_ingest_load.py checks the shares at the source).
"""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

import core.ingest.load as load
from core.format import fmt_count, fmt_share
from core.i18n import EN, ZH
from core.ingest import RowPolicy, ingest_file
from tests.app.apptest import upload_file

CATALOGS = {"en": EN, "zh": ZH}

ORDERS = (
    b"customer_id,order_date,amount,product\n"
    b"C1,2024-01-05,10,Tea\n"
    b"C1,2024-01-05,10,Tea\n"  # the same purchase twice: kept (no order ID)
    b"C2,2024-01-06,0,Tea\n"
    b",2024-01-07,0.00,Tea\n"
    b"C4,2024-01-08,12.5,Tea\n"
)


def upload_script(kind: str, lang: str) -> None:
    import streamlit as st

    from app_pages.upload import upload_tab
    from ui.state import get_table

    st.session_state.setdefault("lang", lang)
    st.session_state.setdefault("tables", {})  # no demo: only what this tab loads
    upload_tab(kind, get_table(kind), 200)


def quality_script(lang: str, policy: str) -> None:
    import streamlit as st

    from app_pages.quality import table_section
    from core.ingest import RowPolicy, ingest_file
    from tests.app.test_upload_parts import QUALITY_FILE, TODAY
    from ui.state import LoadedTable

    st.session_state.setdefault("lang", lang)
    result = ingest_file(
        QUALITY_FILE, "orders.csv", "transactions", today=TODAY, policy=RowPolicy(policy)
    )
    table = LoadedTable("transactions", result.table, result.report, result.fingerprint, "o.csv")
    table_section("transactions", table)


TODAY = date(2024, 6, 30)
QUALITY_FILE = (
    b"customer_id,order_date,amount,order_id\n"
    b"C1,2024-01-05,10,A1\nC1,2024-01-05,10,A1\n,2024-01-05,3,A2\n"
    b"C2,2024-01-06,-4,A3\nC3,2024-01-07,5,A4\nC4,2024-01-08,6,A5\n"
)


@pytest.fixture(autouse=True)
def _widget_language(monkeypatch, request):
    """Format choices in the test's language on the test's side too (see test_upload_policies)."""
    params = getattr(request.node, "callspec", None)
    lang = params.params.get("lang", "en") if params else "en"
    monkeypatch.setattr("ui.common.lang", lambda: lang)


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The files core.ingest.load opens (each is one pass over every row)."""
    opened: list[str] = []
    real = load.open_stream

    def counted(data, filename, **options):
        opened.append(filename)
        return real(data, filename, **options)

    monkeypatch.setattr(load, "open_stream", counted)
    return opened


def _upload(kind: str, name: str, data: bytes, lang: str = "en") -> AppTest:
    at = AppTest.from_function(upload_script, args=(kind, lang), default_timeout=120)
    at.run()
    at.file_uploader(key=f"upload_{kind}").set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def _box(at: AppTest, kind: str, field: str):
    return next(s for s in at.selectbox if s.key and s.key.startswith(f"map_{kind}_{field}_"))


def _rule(at: AppTest, kind: str, rule: str):
    return next(r for r in at.radio if r.key and r.key.startswith(f"rule_{kind}_{rule}_"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_upload_tab_reads_maps_and_loads_a_file(lang, reads):
    t = CATALOGS[lang]
    at = _upload("transactions", "orders.csv", ORDERS, lang)
    captions = [c.value for c in at.caption]
    assert t["upload.read_summary"].format(rows=fmt_count(5), columns=4) in captions
    assert _box(at, "transactions", "customer_id").value == "customer_id"
    assert _box(at, "transactions", "product").value == "product"
    # The row that has no customer ID counts for neither rule (it is set aside for that).
    assert _rule(at, "transactions", "identical_rows").label == t["rule.identical_lines"].format(
        count="1"
    )
    assert _rule(at, "transactions", "zero_amounts").label == t["rule.zero_amounts"].format(
        count="1"
    )
    assert at.dataframe[0].value["product"].tolist() == ["Tea"] * 5  # the file's first rows
    assert reads == ["orders.csv"]  # one pass: preview, guess and counts
    use = next(b for b in at.button if b.label == t["upload.use_file"])
    assert not use.disabled


def test_loading_reads_the_file_once_more_and_not_again_to_show_it(reads):
    # Through the whole app: "Use this file" links to the Data quality page.
    at = upload_file("transactions", "orders.csv", ORDERS)
    assert reads.count("orders.csv") == 1  # (the demo's files are read once per process)
    next(b for b in at.button if b.label == EN["upload.use_file"]).click().run()
    assert not at.exception, at.exception
    report = at.session_state["tables"]["transactions"].report
    assert (report.rows_read, report.rows_kept, report.set_aside) == (
        5,
        4,
        {"missing_customer_id": 1},
    )
    loaded = EN["upload.loaded"].format(kept="4", read="5", aside="1")
    assert [s.value for s in at.success] == [loaded]
    # Loading clears the session's results; the file's preview and counts are kept, so
    # the mapping shown again after the load did not read the file a third time.
    assert reads.count("orders.csv") == 2
    assert _rule(at, "transactions", "zero_amounts").label == EN["rule.zero_amounts"].format(
        count="1"
    )


def test_remapping_reads_the_file_again_only_for_the_counts_columns(reads):
    at = _upload("transactions", "orders.csv", ORDERS)
    assert reads == ["orders.csv"]
    _box(at, "transactions", "product").select_index(0).run()  # not in the file
    assert reads == ["orders.csv"]  # the counts do not depend on the product
    _box(at, "transactions", "amount").select_index(0).run()
    assert [e.value for e in at.error]  # the amount is required: nothing to count
    assert reads == ["orders.csv"]
    _box(at, "transactions", "amount").set_value("amount").run()
    assert reads == ["orders.csv"]  # the guessed mapping again: the preview's counts
    _box(at, "transactions", "customer_id").set_value("product").run()
    assert reads == ["orders.csv", "orders.csv"]
    # "Tea" in every row: the row without a customer ID now counts, and repeats no line.
    assert _rule(at, "transactions", "zero_amounts").label == EN["rule.zero_amounts"].format(
        count="2"
    )


def test_ambiguous_dates_are_asked_with_the_columns_first_cells():
    data = (
        b"customer_id,order_date,amount\nC1,03/04/2024,5\nC2,04/05/2024,6\nC3,,7\nC4,01/02/2024,8\n"
    )
    at = _upload("transactions", "d.csv", data)
    question = next(r for r in at.radio if r.key and r.key.startswith("order_transactions_"))
    examples = "03/04/2024, 04/05/2024, "  # the first three cells, a blank one included
    assert question.label.replace("\\", "") == EN["upload.date_order_ambiguous"].format(
        column="order_date", examples=examples
    )
    use = next(b for b in at.button if b.label == EN["upload.use_file"])
    assert use.disabled
    question.set_value("dmy").run()
    next(b for b in at.button if b.label == EN["upload.use_file"]).click().run()
    table = at.session_state["tables"]["transactions"].table
    assert table["order_date"].dt.month.tolist() == [4, 5, 2]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_quality_section_of_a_table(lang):
    t = CATALOGS[lang]
    at = AppTest.from_function(quality_script, args=(lang, "set_aside"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        t["quality.rows_read"]: "6",
        t["quality.rows_kept"]: "3",
        t["quality.rows_set_aside"]: "3",
    }
    reasons = at.dataframe[0].value
    assert reasons["reason"].tolist() == [
        t["reason.missing_customer_id"],
        t["reason.duplicate"],
        t["reason.return_refund"],
    ]
    assert reasons["rows"].tolist() == [1, 1, 1]
    assert reasons["share"].tolist() == [fmt_share(1 / 6)] * 3
    assert len(at.get("vega_lite_chart")) == 1
    assert [b.label for b in at.get("download_button")] == [
        t["quality.download_sample"].format(n="1")
    ] * 3
    captions = [c.value for c in at.caption]
    assert any(t["quality.balanced"].format(read="6", kept="3", aside="3") in c for c in captions)


def test_quality_section_when_every_row_is_kept_says_so_and_lists_the_notes():
    at = AppTest.from_function(quality_script, args=("en", "keep"), default_timeout=120)
    at.run()
    # Kept: the identical line (no rule sets it aside) and the return; the row without an
    # ID is set aside whatever the rules say.
    report = ingest_file(QUALITY_FILE, "o.csv", "transactions", today=TODAY, policy=RowPolicy())
    assert report.report.set_aside == {"missing_customer_id": 1, "return_refund": 1}
    assert len(at.dataframe) == 1 + 2  # the reasons and two samples
    notes = [c.value for c in at.caption if c.value.startswith(":material/info:")]
    assert notes == [
        ":material/info: " + EN["note.identical_lines_kept"].format(count=fmt_count(1))
    ]
