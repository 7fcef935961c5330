"""Links and downloads on the script side: user text reaches Markdown only made inert, and
the Excel download says what Excel could not hold.

AppTest sees the Markdown a page sends, not what the browser makes of it: each text is
checked with the autolink expressions of the installed frontend (tests/core/test_plain_text.py).
tests/browser/test_no_links_browser.py checks the rendered pages.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import t
from core.ingest import IngestResult, build_table, guess_mapping, read_raw
from tests.app.apptest import open_page
from tests.core.test_plain_text import autolinks, shown_text
from ui.state import LoadedTable

PRODUCTS = ["https://evil.example/tea", "www.shop.example/cups", "buy@evil.example", "Green tea"]
REGIONS = ["https://region.example", "north@corp.example", "www.south.example"]
SOURCE = "www.evil-shop.example.csv"


def _url_shop() -> dict:
    lines = ["customer_id,order_id,order_date,product,amount,region"]
    order = 0
    for customer in range(120):
        for visit in range(1 + customer % 4):
            order += 1
            day = (
                f"2024-{1 + (customer + visit * 5) % 12:02d}-{1 + (customer * 7 + visit) % 28:02d}"
            )
            basket = (
                PRODUCTS[:2] if (customer + visit) % 3 else PRODUCTS[(customer + visit) % 4 :][:2]
            )
            for product in basket:
                lines.append(
                    f"C{customer:04d},O{order},{day},{product},12.50,{REGIONS[customer % 3]}"
                )
    raw = read_raw(("\n".join(lines) + "\n").encode(), SOURCE)
    result: IngestResult = build_table(
        raw, "transactions", guess_mapping(raw.frame, "transactions").columns
    )
    table = LoadedTable("transactions", result.table, result.report, result.fingerprint, SOURCE)
    return {"transactions": table}


def _loaded(kind: str, csv: str, name: str) -> LoadedTable:
    raw = read_raw(csv.encode(), name)
    result: IngestResult = build_table(raw, kind, guess_mapping(raw.frame, kind).columns)
    return LoadedTable(kind, result.table, result.report, result.fingerprint, name)


COMMENTS = [
    "Great tea, see https://evil.example/review",
    "Mail me at angry@evil.example about the kettle",
    "Visit www.evil.example for more cups",
    "Slow delivery, http://evil.example/slow",
]


def _url_feedback() -> dict:
    rows = [
        f"C{i % 120:04d},2024-{1 + i % 12:02d}-15,{1 + i % 5},{COMMENTS[i % 4]} {i % 7}"
        for i in range(240)
    ]
    csv = "customer_id,date,rating,comment\n" + "\n".join(rows) + "\n"
    return {"feedback": _loaded("feedback", csv, "mail@evil.example.csv")}


def _url_campaign() -> dict:
    groups = ["control", "https://variant.example/a", "www.variant.example"]
    rows = [f"{groups[i % 3]},{int(i % 7 == 0)},{(i % 7 == 0) * 30}" for i in range(900)]
    csv = "group,converted,revenue\n" + "\n".join(rows) + "\n"
    return {"campaign": _loaded("campaign", csv, "campaign.csv")}


def _markdown_texts(at: AppTest) -> list[str]:
    """Every text the page sends to be rendered as Markdown (bodies, captions, alerts, labels)."""
    texts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning",
                 "error", "success"):  # fmt: skip
        texts += [element.value for element in getattr(at, kind)]
    texts += [metric.label for metric in at.metric]
    texts += [tab.label for tab in at.tabs]
    texts += [expander.label for expander in at.expander]
    for radio in at.radio:
        texts += [radio.label, *radio.options]
    return texts


@pytest.mark.parametrize("page", ["crosssell", "segmentation", "quality", "voc", "campaign"])
def test_url_and_email_text_is_sent_to_markdown_inert(page):
    tables = {"voc": _url_feedback, "campaign": _url_campaign}.get(page, _url_shop)()
    at = open_page(f"app_pages/{page}.py", tables=tables)
    texts = _markdown_texts(at)
    links = {text: autolinks(text) for text in texts if autolinks(text)}
    assert links == {}
    shown = shown_text("\n".join(texts)).replace("\u2060", "")
    expected = {
        "crosssell": "https://evil.example/tea",
        "quality": SOURCE,
        "campaign": "https://variant.example/a",
    }.get(page)
    if expected:  # not vacuous: the user's text is on the page
        assert expected in shown


def _excel_button_page(lang: str, comment_length: int) -> AppTest:
    def script(lang: str, comment_length: int) -> None:
        import pandas as pd
        import streamlit as st

        from ui.common import download_excel

        st.session_state["lang"] = lang
        frame = pd.DataFrame({"comment": ["x" * comment_length, "ok"], "note": ["a\x0bb", "c"]})
        download_excel(frame, "verbatims.xlsx", "Excel", key="xlsx")

    return AppTest.from_function(script, args=(lang, comment_length)).run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_excel_button_says_how_many_cells_were_cut_or_cleaned(lang):
    at = _excel_button_page(lang, 40_000)
    assert not at.exception
    assert [c.value for c in at.caption] == [
        t("export.excel_cut", lang, n="1"),
        t("export.excel_cleaned", lang, n="1"),
    ]
    at = _excel_button_page(lang, 32_000)  # within Excel's 32,767 characters
    assert [c.value for c in at.caption] == [t("export.excel_cleaned", lang, n="1")]


class _Runtime:
    def __init__(self, manager) -> None:
        self.media_file_mgr = manager


def test_a_fetched_download_is_forgotten_after_two_sweeps_and_the_button_still_works(
    monkeypatch,
):
    # What Streamlit does on a click (MediaFileManager.execute_deferred): the file is
    # stored at /media/<hash>, where any client can fetch it until a clean-up deletes it.
    from streamlit import runtime
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from ui import common

    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    monkeypatch.setattr(runtime, "exists", lambda: True)
    monkeypatch.setattr(runtime, "get_instance", lambda: _Runtime(manager))

    def file_behind(url: str):
        return manager.read_file(url.rsplit("/", 1)[-1].split(".", 1)[0])

    button = manager.add_deferred(lambda: b"customer_id\nC1\n", "text/csv", "1.(0)", "x.csv")
    url = manager.execute_deferred(button)
    assert file_behind(url).content == b"customer_id\nC1\n"
    common.sweep_downloads()
    assert file_behind(url) is not None  # a first sweep only marks it: the browser is fetching
    common.sweep_downloads()
    assert file_behind(url) is None
    # The button the page still shows builds the file again on the next click.
    assert file_behind(manager.execute_deferred(button)) is not None


def test_one_sweeper_thread_runs_once_a_download_is_shown():
    import threading

    at = _excel_button_page("en", 10)
    _excel_button_page("zh", 10)
    assert not at.exception
    sweepers = [t for t in threading.enumerate() if t.name == "download-sweeper"]
    assert len(sweepers) == 1 and sweepers[0].daemon
