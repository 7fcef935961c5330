"""Uploads stay in memory: a 5 MB file sent through Streamlit's own upload route.

The route (`create_upload_routes` in streamlit/web/server/starlette/starlette_routes.py)
parses the request with Starlette's MultiPartParser, which rolls a part over 1 MB to
an unnamed file on disk unless ui.server.keep_uploads_in_memory() is applied. The
disk file is made by tempfile.TemporaryFile inside SpooledTemporaryFile.rollover; these
tests watch that function, so they fail if an upgrade moves the mechanism.
"""

from __future__ import annotations

import asyncio
import os
import tempfile

import pytest
from starlette.applications import Starlette
from starlette.formparsers import MultiPartParser
from streamlit import net_util
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.testing.v1 import AppTest
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string
from streamlit.web.server.starlette.starlette_routes import create_upload_routes
from streamlit.web.server.starlette.starlette_server_config import XSRF_COOKIE_NAME

from tests.app.apptest import APP
from ui import server
from ui.server import SPOOL_IN_MEMORY, harden_process

SESSION = "session-1"
FILE_ID = "file-1"
BOUNDARY = "----customerlensboundary"
FIVE_MB = 5 * 1024 * 1024


class _OneSessionRuntime:
    """The only thing the upload route asks the runtime: is this session open?"""

    def is_active_session(self, session_id: str) -> bool:
        return session_id == SESSION


def _multipart(data: bytes, filename: str) -> bytes:
    head = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def _put_upload(data: bytes) -> tuple[int, MemoryUploadedFileManager]:
    """PUT `data` as Streamlit's browser client does; the response status and the store."""
    store = MemoryUploadedFileManager("/_stcore/upload_file")
    app = Starlette(routes=create_upload_routes(_OneSessionRuntime(), store, None))
    body = _multipart(data, "orders.csv")
    token = generate_xsrf_token_string()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "PUT",
        "scheme": "http",
        "server": ("127.0.0.1", 8501),
        "client": ("127.0.0.1", 50000),
        "root_path": "",
        "path": f"/_stcore/upload_file/{SESSION}/{FILE_ID}",
        "raw_path": f"/_stcore/upload_file/{SESSION}/{FILE_ID}".encode(),
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1:8501"),
            (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
            (b"content-length", str(len(body)).encode()),
            (b"x-xsrftoken", token.encode()),
            (b"cookie", f"{XSRF_COOKIE_NAME}={token}".encode()),
        ],
    }
    # Sent in 64 KB pieces, as a server hands a body over.
    chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)]
    messages = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent: list[dict] = []

    async def receive() -> dict:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, store


@pytest.fixture
def disk_files(monkeypatch) -> list[object]:
    """Every file SpooledTemporaryFile rolls over to disk, recorded (and still made)."""
    made: list[object] = []
    real = tempfile.TemporaryFile

    def recording(*args, **kwargs):
        handle = real(*args, **kwargs)
        made.append(handle)
        return handle

    monkeypatch.setattr(tempfile, "TemporaryFile", recording)
    # Restored after each test, whatever the test set.
    monkeypatch.setattr(MultiPartParser, "spool_max_size", MultiPartParser.spool_max_size)
    monkeypatch.setattr(net_util, "get_external_ip", net_util.get_external_ip)
    return made


def test_a_5_mb_upload_stays_in_memory_once_the_server_is_hardened(disk_files):
    harden_process()
    data = os.urandom(FIVE_MB)

    status, store = _put_upload(data)

    assert status == 204
    [stored] = store.get_files(SESSION, [FILE_ID])
    assert stored.data == data
    assert disk_files == []


def test_without_it_starlette_writes_the_same_upload_to_disk(disk_files):
    # The mechanism the setting removes, as shipped: 1 MB in memory, then a file.
    MultiPartParser.spool_max_size = 1024 * 1024
    data = os.urandom(FIVE_MB)

    status, store = _put_upload(data)

    assert status == 204
    assert store.get_files(SESSION, [FILE_ID])[0].data == data
    assert len(disk_files) == 1


def test_a_small_upload_never_touched_the_disk_anyway(disk_files):
    MultiPartParser.spool_max_size = 1024 * 1024
    status, _ = _put_upload(b"customer_id,order_date,amount\n1,2024-01-01,10\n")
    assert status == 204
    assert disk_files == []


def test_the_setting_is_starlettes_never_roll_over_value():
    # SpooledTemporaryFile rolls over only when max_size is non-zero.
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        spool.write(b"x" * FIVE_MB)
        assert spool._rolled is False


def test_the_app_applies_it_whenever_it_runs(disk_files):
    MultiPartParser.spool_max_size = 1024 * 1024
    net_util.get_external_ip = lambda: "203.0.113.1"

    at = AppTest.from_file(APP, default_timeout=300).run()

    assert not at.exception
    assert MultiPartParser.spool_max_size == SPOOL_IN_MEMORY
    assert net_util.get_external_ip is server._no_external_ip
