"""Server-process settings that `.streamlit/config.toml` cannot express, and the login switch.

`harden_process()` is called by app.py at the top of every run, so it holds however the
app is started (`make run`, `make serve`, the Docker image, `streamlit run app.py`, AppTest);
it only sets values, so calling it again costs nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import importlib.util
from collections.abc import Mapping
from pathlib import Path

from starlette.formparsers import MultiPartParser
from streamlit import config, net_util
from streamlit.runtime.secrets import Secrets

# SpooledTemporaryFile's "never roll over": the upload stays in a BytesIO.
SPOOL_IN_MEMORY = 0


def keep_uploads_in_memory() -> None:
    """Stop the upload route from writing any part of an upload to disk.

    Streamlit's server (Starlette since 1.5x) parses each file sent to
    /_stcore/upload_file with Starlette's MultiPartParser, which holds the file part in a
    SpooledTemporaryFile of `MultiPartParser.spool_max_size` bytes (1 MB): past that the
    part rolls over to an unnamed file in the system's temporary directory (O_TMPFILE,
    on a real disk) before Streamlit reads it back into memory. A class attribute is the
    only handle; Streamlit passes no size of its own. Size stays bounded without the
    spool: Streamlit stops reading a request body past server.maxUploadSize + 1 MB
    (`_upload_put` in streamlit/web/server/starlette/starlette_routes.py).

    A RAM-backed TMPDIR (/dev/shm) set by the launcher was the alternative: it covers only
    the launches that set it, is capped at 64 MB in a default Docker container (uploads
    would fail with "no space left"), and is still a file other processes of the same user
    can reach. tests/test_server_uploads.py posts a 5 MB upload through Streamlit's own
    route and fails if a Streamlit or Starlette upgrade moves this mechanism.
    """
    if not hasattr(MultiPartParser, "spool_max_size"):
        raise RuntimeError(
            "starlette.formparsers.MultiPartParser.spool_max_size is gone: uploads over 1 MB "
            "may reach the disk again; see ui/server.py"
        )
    MultiPartParser.spool_max_size = SPOOL_IN_MEMORY


def _no_external_ip() -> None:
    return None


# Streamlit's own lookup, as imported (before `never_look_up_external_ip` replaces it):
# tests use it to show the call out that the replacement takes away.
SHIPPED_GET_EXTERNAL_IP = net_util.get_external_ip


def never_look_up_external_ip() -> None:
    """Never ask checkip.amazonaws.com for this machine's address.

    Streamlit asks it when printing its start-up URLs with a wildcard server.address and
    no browser.serverAddress (prevented by the settings of `make run` / `make serve` and
    the Dockerfile, since this runs only once a session starts), and when a WebSocket
    arrives from another origin than the page's (a last resort in its origin allow-list:
    any visitor could make the server call out). Without it such an origin is refused
    unless it is localhost, the internal IP, browser.serverAddress or
    server.corsAllowedOrigins.
    """
    net_util.get_external_ip = _no_external_ip


def release_memory() -> None:
    """Give memory freed by ended sessions back to the operating system.

    A session's tables are freed when Streamlit drops the session (its tab closed and
    `server.disconnectedSessionTTL` passed), but neither glibc's malloc nor Arrow's
    memory pool returns freed pages to the system on their own: five 50 MB uploads
    left 0.5–1.1 GB held by the process after their sessions had gone (bench/bench_load.py
    --uploads). A garbage collection breaks leftover reference cycles, then glibc's
    `malloc_trim(0)` and Arrow's `release_unused()` return what is free. Safe to call
    at any time from any thread; a no-op where glibc is not the C library.
    """
    gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except Exception:  # noqa: BLE001 - memory housekeeping must never fail a caller
        pass
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _glibc()


def harden_process() -> None:
    """Apply every process-wide setting above (idempotent)."""
    keep_uploads_in_memory()
    never_look_up_external_ip()


class LoginSettingsUnreadable(Exception):
    """A secrets file is there but cannot be read: the app stays closed rather than open."""


def login_providers(secrets: Secrets) -> list[str | None] | None:
    """The OIDC providers the login screen offers, or None when login is off.

    Login is on when the secrets (`.streamlit/secrets.toml`, see
    `.streamlit/secrets.toml.example`) have an `[auth]` section. One provider configured in
    `[auth]` itself gives `[None]` (`st.login()`); named providers are the sub-tables
    `[auth.<name>]` holding a client_id (`st.login("<name>")`). Streamlit treats a secrets
    file it cannot parse like no file at all, which would open a team's server to anyone
    after a typo: that raises LoginSettingsUnreadable instead.
    """
    if not secrets.load_if_toml_exists():
        if any(Path(path).exists() for path in config.get_option("secrets.files")):
            raise LoginSettingsUnreadable
        return None
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping):
        return None
    named = [
        name
        for name, section in auth.items()
        if isinstance(section, Mapping) and "client_id" in section
    ]
    return named or [None]


def login_available() -> bool:
    """Whether st.login can run here: it needs the Authlib package (streamlit[auth])."""
    return importlib.util.find_spec("authlib") is not None
