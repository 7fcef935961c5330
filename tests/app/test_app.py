"""The app as a user meets it, through Streamlit's AppTest: pages, languages, uploads.

Numbers themselves are checked in tests/core; here we check that the pages show them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.format import fmt_count
from core.i18n import EN, ZH
from core.ingest import ingest_file

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = (
    "app_pages/overview.py",
    "app_pages/upload.py",
    "app_pages/quality.py",
    "app_pages/segmentation.py",
    "app_pages/clv.py",
    "app_pages/retention.py",
    "app_pages/voc.py",
    "app_pages/campaign.py",
    "app_pages/crosssell.py",
)
TITLES = {
    "app_pages/overview.py": "overview.title",
    "app_pages/upload.py": "upload.title",
    "app_pages/quality.py": "quality.title",
    "app_pages/segmentation.py": "seg.title",
    "app_pages/clv.py": "clv.title",
    "app_pages/retention.py": "retention.title",
    "app_pages/voc.py": "voc.title",
    "app_pages/campaign.py": "campaign.title",
    "app_pages/crosssell.py": "crosssell.title",
}


def _app(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    return at.run()


def test_app_starts_on_the_demo_data_with_a_banner():
    at = _app()
    assert not at.exception
    assert at.title[0].value == EN["overview.title"]
    assert any(EN["demo.title"] in m.value for m in at.markdown)
    demo = ingest_file(
        (ROOT / "sample_data" / "transactions.csv").read_bytes(), "transactions.csv", "transactions"
    )
    customers = demo.table["customer_id"].nunique()
    metric = next(m for m in at.metric if m.label == EN["kpi.customers"])
    assert metric.value == fmt_count(customers)
    assert len(at.metric) == 6


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(page, lang):
    at = _app(lang)
    at.switch_page(page).run()
    assert not at.exception
    catalog = EN if lang == "en" else ZH
    assert at.title[0].value == catalog[TITLES[page]]
    assert not at.error  # the demo data raises no problem anywhere


def test_switching_language_changes_the_page_text():
    at = _app("en")
    assert at.title[0].value == "Overview"
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "总览"
    assert any(m.label == "客户数" for m in at.metric)


CSV = (
    "客户ID,订单日期,金额,订单号\n"
    '007,2024-03-05,"¥1,234.50",A1\n'
    "007,2024-04-01,88,A2\n"
    "008,2024-04-02,12.5,A3\n"
    ",2024-04-03,9,A4\n"
    "009,2024-02-30,10,A5\n"
    "009,2024-04-04,-10,A6\n"
).encode()


def _upload_page(lang: str = "en") -> AppTest:
    at = _app(lang)
    at.switch_page("app_pages/upload.py").run()
    return at


def test_uploading_a_file_maps_columns_and_loads_it():
    at = _upload_page()
    at.file_uploader(key="upload_transactions").set_value(("orders.csv", CSV, "text/csv")).run()
    assert not at.exception
    # Chinese headers were recognised: the mapping boxes show them.
    boxes = {
        s.label: s.value for s in at.selectbox if s.key and s.key.startswith("map_transactions_")
    }
    assert boxes["Customer ID *"] == "客户ID"
    assert boxes["Order date *"] == "订单日期"
    assert boxes["Amount *"] == "金额"
    assert boxes["Order ID"] == "订单号"
    use = next(b for b in at.button if b.label == EN["upload.use_file"])
    use.click().run()
    assert not at.exception
    assert any("Loaded: 3 of 6 rows kept, 3 set aside" in s.value for s in at.success)
    tables = at.session_state["tables"]
    # One's own data never mixes with the demo's: the demo tables are gone.
    assert set(tables) == {"transactions"}
    assert any(EN["upload.demo_removed"] in i.value for i in at.info)
    assert tables["transactions"].source == "orders.csv"
    assert tables["transactions"].table["customer_id"].astype(str).tolist() == ["007", "007", "008"]

    at.switch_page("app_pages/quality.py").run()
    assert not at.exception
    rows_read = next(m for m in at.metric if m.label == EN["quality.rows_read"])
    assert rows_read.value == "6"


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"", "ingest.empty_file"),
        (b"customer,date,amount\n", "ingest.header_only"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "ingest.binary_file"),
    ],
    ids=["empty", "header-only", "binary"],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_files_get_a_specific_message_in_the_users_language(content, key, lang):
    at = _upload_page(lang)
    at.file_uploader(key="upload_transactions").set_value(("bad.csv", content, "text/csv")).run()
    assert not at.exception
    catalog = EN if lang == "en" else ZH
    expected = catalog[key].split("{")[0]
    assert any(e.value.startswith(expected) for e in at.error), [e.value for e in at.error]


def test_missing_required_column_blocks_loading_with_a_message():
    at = _upload_page()
    at.file_uploader(key="upload_transactions").set_value(
        ("x.csv", b"who,what\nann,tea\n", "text/csv")
    ).run()
    assert not at.exception
    assert any(e.value.startswith("Still needed:") for e in at.error)
    use = next(b for b in at.button if b.label == EN["upload.use_file"])
    assert use.disabled


def test_ambiguous_dates_are_asked_not_guessed():
    csv = b"customer_id,order_date,amount\nA,01/02/2024,10\nB,03/04/2024,12\n"
    at = _upload_page()
    at.file_uploader(key="upload_transactions").set_value(("d.csv", csv, "text/csv")).run()
    radio = next(r for r in at.radio if r.key and r.key.startswith("order_transactions_"))
    assert radio.value is None
    use = next(b for b in at.button if b.label == EN["upload.use_file"])
    assert use.disabled
    radio.set_value("mdy").run()
    next(b for b in at.button if b.label == EN["upload.use_file"]).click().run()
    assert not at.exception
    dates = (
        at.session_state["tables"]["transactions"]
        .table["order_date"]
        .dt.strftime("%Y-%m-%d")
        .tolist()
    )
    assert dates == ["2024-01-02", "2024-03-04"]


def test_workbook_with_several_sheets_asks_which_one(make_xlsx):
    from datetime import datetime

    data = make_xlsx(
        {
            "Notes": [["read me"], ["exported from the shop"]],
            "Orders": [
                ["客户ID", "下单时间", "实付金额"],
                ["00042", datetime(2024, 3, 5, 14, 30), 12.5],
                ["00043", datetime(2024, 3, 6), 8],
            ],
        }
    )
    at = _upload_page()
    at.file_uploader(key="upload_transactions").set_value(
        ("shop.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ).run()
    assert not at.exception
    assert any("This workbook has 2 sheets" in w.value for w in at.warning)
    sheet = next(s for s in at.selectbox if s.key and s.key.startswith("sheet_transactions_"))
    assert sheet.value is None
    assert not [
        b for b in at.button if b.label == EN["upload.use_file"]
    ]  # nothing to load before a sheet is chosen
    sheet.set_value("Orders").run()
    next(b for b in at.button if b.label == EN["upload.use_file"]).click().run()
    assert not at.exception
    table = at.session_state["tables"]["transactions"].table
    assert table["customer_id"].astype(str).tolist() == ["00042", "00043"]
    assert table["order_date"].tolist() == [
        pd.Timestamp("2024-03-05 14:30"),
        pd.Timestamp("2024-03-06"),
    ]
    assert table["amount"].tolist() == [12.5, 8.0]
