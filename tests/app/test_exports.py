"""Every download button of every page produces a file on the demo data.

AppTest runs each page against a mock runtime whose media file manager is created
per run; the recording manager below keeps the last one, so that the test can do
what a click does: run the button's deferred callable (``execute_deferred``) and
read the stored file back. A download whose table cannot be written (the campaign
result with two columns named "Variant" once failed in ``neutralise_formulas``)
fails here.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import app_test

from tests.app.apptest import open_page

PAGES = {
    "overview": 0,
    "segmentation": 1,
    "clv": 1,
    "retention": 1,
    "voc": 1,
    "campaign": 10,
    "crosssell": 1,
    "quality": 1,
}


class _RecordingManager(MediaFileManager):
    last: MediaFileManager | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _RecordingManager.last = self


def downloads(at) -> dict[str, bytes]:
    """Each download button's label and file name -> the bytes a click would send."""
    manager = _RecordingManager.last
    assert manager is not None
    files = {}
    for button in at.get("download_button"):
        proto = button.proto
        if proto.deferred_file_id:
            url = manager.execute_deferred(proto.deferred_file_id)
        else:
            url = proto.url
        file_id = url.rsplit("/", 1)[-1].split(".", 1)[0]
        stored = manager.read_file(file_id)
        assert stored is not None, f"{proto.label}: no file behind {url}"
        files[f"{proto.id.rsplit('-', 1)[-1]} ({proto.label})"] = bytes(stored.content)
    return files


@pytest.mark.parametrize("page,at_least", PAGES.items(), ids=list(PAGES))
def test_every_download_of_the_page_produces_a_file(page, at_least, monkeypatch):
    monkeypatch.setattr(app_test, "MediaFileManager", _RecordingManager)
    at = open_page(f"app_pages/{page}.py")
    if page == "campaign":  # the no-control estimate (and its download) waits for a start date
        at.date_input(key="campaign_impact_start").set_value(date(2026, 3, 2)).run()
    files = downloads(at)
    assert len(files) >= at_least, sorted(files)
    empty = [name for name, data in files.items() if len(data) < 10]
    assert not empty, empty
    # A table with two columns of the same name cannot be read back by name.
    for name, data in files.items():
        if data.startswith(b"\xef\xbb\xbf"):  # the CSV downloads (UTF-8 with BOM)
            header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            assert len(header) == len(set(header)), (name, header)


def test_excel_check_runs_once_per_frame_shown(monkeypatch):
    # A rerun that shows the same (cached) frame does not scan its cells again; another
    # frame is scanned, and a frame's entry goes when the frame does.
    import gc

    from ui import common

    scans = []
    real = common.excel_fit
    monkeypatch.setattr(common, "excel_fit", lambda frame: scans.append(1) or real(frame))
    frame = pd.DataFrame({"text": ["x" * 40_000, "short"]})
    first = common._excel_fit_of(frame)
    again = common._excel_fit_of(frame)
    assert first is again and first.cut == 1 and len(scans) == 1
    other = pd.DataFrame({"text": ["short"]})
    assert common._excel_fit_of(other).cut == 0 and len(scans) == 2
    held = len(common._EXCEL_FITS)
    del frame
    gc.collect()
    assert len(common._EXCEL_FITS) == held - 1
