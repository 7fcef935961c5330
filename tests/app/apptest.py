"""Opening one page of the app through AppTest, the way every page test starts."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_page(page: str, lang: str = "en", tables: dict | None = None) -> AppTest:
    """The app in `lang`, with the session's `tables` (default: the demo), switched to `page`.

    Fails the test if the page raises. Generous timeout: model fits run in the script.
    """
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["lang"] = lang
    if tables is not None:
        at.session_state["tables"] = tables
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def upload_file(
    kind: str, name: str, data: bytes, lang: str = "en", mime: str = "text/csv"
) -> AppTest:
    """The Upload page in `lang` with a file set on the uploader of table `kind` (not loaded yet)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("app_pages/upload.py").run()
    at.file_uploader(key=f"upload_{kind}").set_value((name, data, mime)).run()
    assert not at.exception, at.exception
    return at
