"""Starting the server: local only by default, and no call to the internet.

Each launch (`make run`, `make serve`, the Dockerfile's settings) is started for real in a
subprocess whose sockets refuse and record any address that is not this machine's
loopback, and whose streamlit.net_util.get_external_ip (Streamlit's lookup of
checkip.amazonaws.com) records being called. The server is stopped once it has printed
its URL, which it does after it is listening.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Run in the server's process before Streamlit: every non-loopback connect or name lookup
# is refused and printed, so nothing leaves the machine even when the test fails.
GUARD = r"""
import ipaddress, socket, sys

def _loopback(host):
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False

_connect = socket.socket.connect
def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
        print(f"OUTBOUND connect {address[0]}", flush=True)
        raise OSError("outbound connection refused by the test")
    return _connect(self, address)
socket.socket.connect = _guarded_connect

_getaddrinfo = socket.getaddrinfo
def _guarded_getaddrinfo(host, *args, **kwargs):
    if not _loopback(host if not isinstance(host, bytes) else host.decode()):
        print(f"OUTBOUND lookup {host}", flush=True)
        raise socket.gaierror("name lookup refused by the test")
    return _getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = _guarded_getaddrinfo

from streamlit import net_util
_external = net_util.get_external_ip
def _recorded_external_ip():
    print("OUTBOUND get_external_ip", flush=True)
    return _external()
net_util.get_external_ip = _recorded_external_ip

from streamlit.web.cli import main
sys.argv = ["streamlit", *sys.argv[1:]]
main()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(arguments: list[str], env: dict[str, str] | None = None) -> str:
    """Run `streamlit <arguments>` guarded; its output up to and just after its URL line."""
    process = subprocess.Popen(
        [sys.executable, "-c", GUARD, *arguments],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "URL:" in line:
                time.sleep(1)  # anything printed right after the banner
                break
    finally:
        process.terminate()
        try:
            rest, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            rest, _ = process.communicate()
    output = "".join(lines) + rest
    assert "URL:" in output, output[-2000:]
    return output


def _make_command(target: str, **variables: str) -> list[str]:
    """The `streamlit run …` line that `make <target>` would execute, without `streamlit`."""
    printed = subprocess.run(
        ["make", "-n", target, *(f"{k}={v}" for k, v in variables.items())],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\\\n", " ")
    [line] = [line for line in printed.splitlines() if "streamlit run" in line]
    words = shlex.split(line)
    return words[words.index("run") :]


def _dockerfile_command() -> tuple[list[str], dict[str, str]]:
    """The Dockerfile's CMD (after `streamlit`) and its STREAMLIT_* ENV settings."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    env: dict[str, str] = {}
    command: list[str] = []
    for line in text.splitlines():
        if line.startswith("ENV "):
            env.update(word.split("=", 1) for word in shlex.split(line[4:]))
        elif line.startswith("CMD "):
            command = json.loads(line[4:])
    settings = {k: v for k, v in env.items() if k.startswith("STREAMLIT_")}
    return command[command.index("run") :], settings


def _outbound(output: str) -> list[str]:
    return re.findall(r"^OUTBOUND .*$", output, flags=re.MULTILINE)


@pytest.mark.parametrize("target", ["run", "serve"])
def test_make_targets_start_without_calling_out(target):
    port = str(_free_port())
    command = _make_command(target, PORT=port, PUBLIC_HOST="lens.example.test")

    output = _start(command)

    assert _outbound(output) == []
    if target == "run":
        assert f"URL: http://127.0.0.1:{port}" in output
    else:
        assert f"URL: http://lens.example.test:{port}" in output


def test_make_run_listens_on_loopback_only():
    port = _free_port()
    command = _make_command("run", PORT=str(port))
    assert "--server.address" not in command  # from .streamlit/config.toml
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert set(config["server"]["allowedHosts"]) == {"localhost", "127.0.0.1"}


def test_dockerfile_settings_start_without_calling_out():
    command, env = _dockerfile_command()
    port = str(_free_port())
    env["STREAMLIT_SERVER_PORT"] = port

    output = _start(command, env)

    assert _outbound(output) == []
    assert env["STREAMLIT_SERVER_ADDRESS"] == "0.0.0.0"
    assert f"URL: http://{env['STREAMLIT_BROWSER_SERVER_ADDRESS']}:{port}" in output


def test_the_guard_sees_the_lookup_a_bare_wildcard_address_makes():
    # Streamlit's own default for a server on every interface: it asks the internet.
    output = _start(
        ["run", "app.py", "--server.port", str(_free_port()), "--server.address", "0.0.0.0"]
    )
    assert "OUTBOUND get_external_ip" in _outbound(output)


def test_a_websocket_from_a_foreign_origin_makes_no_lookup_once_hardened(monkeypatch):
    # Streamlit's origin allow-list asks checkip.amazonaws.com as a last resort, so any
    # visitor could make the server call out; ui.server takes that step away.
    from starlette.formparsers import MultiPartParser
    from streamlit import net_util
    from streamlit.web.server import server_util

    from ui.server import SHIPPED_GET_EXTERNAL_IP, harden_process

    calls: list[str] = []
    monkeypatch.setattr(MultiPartParser, "spool_max_size", MultiPartParser.spool_max_size)
    # As shipped, whether or not another test in this process already ran app.py.
    monkeypatch.setattr(net_util, "get_external_ip", SHIPPED_GET_EXTERNAL_IP)
    monkeypatch.setattr(net_util, "get_internal_ip", lambda: "10.0.0.5")
    monkeypatch.setattr(net_util, "_external_ip", None)
    monkeypatch.setattr(
        net_util, "_make_blocking_http_get", lambda url, timeout=5: calls.append(url)
    )

    assert not server_util.is_url_from_allowed_origins("https://evil.example.test")
    assert calls  # as shipped, a foreign origin makes the server call out

    calls.clear()
    harden_process()
    assert not server_util.is_url_from_allowed_origins("https://evil.example.test")
    assert server_util.is_url_from_allowed_origins("http://localhost:8501")
    assert calls == []
