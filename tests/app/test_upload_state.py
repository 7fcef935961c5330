"""Upload page: after "Use this file" the sidebar, the demo banner and the captions show the new
table in the same run; a quotation mark never closed is named with its line and can be read as
text; lines in two encodings and a file without line breaks are said so.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.format import fmt_count
from core.i18n import EN, ZH
from core.ingest.workbook import MAX_CELLS
from tests.app.apptest import upload_file
from ui.common import plain

CATALOGS = {"en": EN, "zh": ZH}

ORDERS = (
    b"customer_id,order_date,amount\n"
    b"C1,2024-01-05,10\n"
    b"C2,2024-01-06,20\n"
    b"C3,2024-01-07,30\n"
    b"C4,2024-01-08,12.5\n"
)


@pytest.fixture(autouse=True)
def _widget_language(monkeypatch, request):
    """Format choices in the test's language on the test's side too (see test_upload_policies)."""
    lang = (
        request.node.callspec.params.get("lang", "en")
        if hasattr(request.node, "callspec")
        else "en"
    )
    monkeypatch.setattr("ui.common.lang", lambda: lang)


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _texts(elements) -> list[str]:
    return [e.value for e in elements]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_use_this_file_shows_the_new_state_in_the_same_run(lang):
    t = CATALOGS[lang]
    at = upload_file("transactions", "orders.csv", ORDERS, lang)
    # Before: the demo's tables in the sidebar, the demo banner on the page.
    assert any(t["sidebar.demo"] in m for m in _texts(at.sidebar.markdown))
    assert any(t["demo.title"] in m for m in _texts(at.main.markdown))

    _button(at, t["upload.use_file"]).click().run()
    assert not at.exception, at.exception
    sidebar = _texts(at.sidebar.markdown)
    # The sidebar lists the new table (4 rows, from orders.csv) and no demo table.
    orders = next(m for m in sidebar if t["table.transactions"] in m)
    assert f"{fmt_count(4)} {t['sidebar.rows']}" in orders and plain("orders.csv") in orders
    assert not any(t["sidebar.demo"] in m for m in sidebar)
    assert any(t["table.customers"] in m and t["sidebar.not_loaded"] in m for m in sidebar)
    # The banner is gone, the tab's caption names the file, and the messages are shown once.
    assert not any(t["demo.title"] in m for m in _texts(at.main.markdown))
    assert t["upload.current"].format(source=plain("orders.csv"), rows=fmt_count(4)) in _texts(
        at.caption
    )
    assert _texts(at.info) == [t["upload.demo_removed"]]
    assert _texts(at.success) == [
        t["upload.loaded"].format(kept=fmt_count(4), read=fmt_count(4), aside=fmt_count(0))
    ]
    # The open tab stayed on Transactions (the first); another rerun drops the messages.
    at.run()
    assert _texts(at.success) == [] and _texts(at.info) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_quote_never_closed_is_named_and_can_be_read_as_text(lang):
    t = CATALOGS[lang]
    lines = ["customer_id,order_date,amount"] + [f"C{i},2024-01-05,{i}.50" for i in range(1, 300)]
    lines[5] = "C5,2024-01-05,5.50,extra"  # line 6: a ragged line
    lines[36] = 'C36,"2024-01-05,36.50'  # line 37: a quote never closed
    at = upload_file("transactions", "orders.csv", ("\n".join(lines) + "\n").encode(), lang)
    expected = t["ingest.unterminated_quote"].format(line=37, lines=300 - 36)
    assert _texts(at.error) == [expected]
    assert not any(b.label == t["upload.use_file"] for b in at.button)

    _button(at, t["upload.quotes_as_text"]).click().run()
    assert not at.exception, at.exception
    assert _texts(at.error) == []
    assert t["upload.quotes_as_text_on"] in _texts(at.caption)
    # 298 rows and the ragged line: 299 read.
    assert t["upload.read_summary"].format(rows=fmt_count(299), columns=3) in _texts(at.caption)
    _button(at, t["upload.use_file"]).click().run()
    assert not at.exception, at.exception
    assert at.session_state["tables"]["transactions"].report.rows_read == 299
    # The choice can be undone.
    _button(at, t["upload.quotes_as_quoting"]).click().run()
    assert _texts(at.error) == [expected]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lines_in_two_encodings_are_said_and_read_right(lang):
    t = CATALOGS[lang]
    rows = [f"C{i},2024-01-05,{i}.00,Tea".encode() for i in range(1, 30)]
    rows[4] = "C5,2024-01-05,5.00,Café crème".encode()  # line 6, UTF-8
    rows[9] = "C10,2024-01-05,10.00,Café noir".encode("cp1252")
    data = b"customer_id,order_date,amount,product\n" + b"\n".join(rows) + b"\n"
    at = upload_file("transactions", "orders.csv", data, lang)
    assert _texts(at.warning) == [t["note.mixed_encoding"].format(line=6, count=1)]
    assert "Café crème" in at.dataframe[0].value["product"].tolist()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_file_without_line_breaks_is_not_called_empty(lang):
    t = CATALOGS[lang]
    at = upload_file("transactions", "orders.csv", b"a,b," * 100_000, lang)
    assert _texts(at.error) == [t["ingest.no_line_breaks"].format(size_mb=400_000 / 2**20)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_issues_workbook_bomb_gets_its_message_and_the_app_carries_on(lang):
    # One cell at A1 and one at XFD1048576 (1.6 KB): it aborted the server before.
    from tests.core.test_ingest_workbook_guard import sheet, workbook

    t = CATALOGS[lang]
    rows = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row>'
    )
    at = upload_file("transactions", "bomb.xlsx", workbook(sheet(rows)), lang)
    expected = t["ingest.workbook_dimension"].format(
        rows=1_048_576, columns=16_384, cells=1_048_576 * 16_384, limit=MAX_CELLS
    )
    assert _texts(at.error) == [expected]
    # The same session loads a good file next.
    at.file_uploader(key="upload_transactions").set_value(("orders.csv", ORDERS, "text/csv")).run()
    _button(at, t["upload.use_file"]).click().run()
    assert not at.exception, at.exception
    assert at.session_state["tables"]["transactions"].report.rows_kept == 4
