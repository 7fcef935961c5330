"""Many users at once: sessions driven over Streamlit's websocket, figures per page.

Two modes (see bench/README.md, "Many users"):

- `tour` (default): N sessions (default 20) connect at once to the app on the demo and
  each opens Overview, Segmentation and Retention in turn. Page-ready time = from the
  rerun request a browser sends (BackMsg.rerun_script with the page's URL path) to the
  server's `script_finished` message for that run. Prints p50 / p95 / max per page,
  errors (exception elements, failed runs, timeouts, lost connections) and the
  server's peak RSS.
- `upload`: K sessions (default 5) upload the same ~50 MB CSV at once the way the
  browser does (file URL request over the websocket, multipart PUT to
  /_stcore/upload_file/<session>/<file>, rerun with the uploader's state, then
  "Use this file"), then disconnect. Prints the server's RSS peak, RSS right after the
  sessions end and after their disconnected-session TTL has passed.

The client is one asyncio process speaking the protocol directly (protobuf BackMsg /
ForwardMsg from the streamlit package): no browser, a few ms of CPU per page. The
server is started on 127.0.0.1 and a free port unless --url is given (then --pid, for
RSS, must name the server's process). Everything is bounded: a timeout per page and
per run, and the server this script started is stopped at the end.

    python -m bench.bench_load                      # 20 sessions, shared demo results
    python -m bench.bench_load --compare            # also without sharing, same run: ratios
    python -m bench.bench_load --mode upload        # 5 x 50 MB uploads
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Common_pb2 import FileUploaderState, FileURLsRequest, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

ROOT = Path(__file__).resolve().parent.parent
STREAMLIT = Path(sys.executable).with_name("streamlit")
TOUR = ("overview", "segmentation", "retention")
SHARE_ENV = "CUSTOMER_LENS_SHARE_DEMO"  # ui.state.SHARE_DEMO_ENV
LOOPBACK = ("127.0.0.1", "localhost", "::1")


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, share: bool, ttl: int | None = None) -> subprocess.Popen:
    env = dict(os.environ, **{SHARE_ENV: "1" if share else "0"})
    command = [
        str(STREAMLIT),
        "run",
        "app.py",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.headless=true",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        "--browser.serverAddress=127.0.0.1",
    ]
    if ttl is not None:
        command.append(f"--server.disconnectedSessionTTL={ttl}")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    stop_server(process)
    raise SystemExit("the server did not answer /_stcore/health within 120 s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def rss_mb(pid: int) -> tuple[float, float]:
    """(current RSS, kernel's high-water mark) of a process, in MB."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                values[line.split(":")[0]] = int(line.split()[1]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


class RssSampler:
    """Samples a process's RSS every 0.2 s in a thread; `peak` is the largest sample."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(0.2)

    def sample(self) -> float:
        if self.pid is None:
            return 0.0
        try:
            now, _ = rss_mb(self.pid)
        except OSError:
            return 0.0
        self.peak = max(self.peak, now)
        return now

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


# --------------------------------------------------------------------------- client


@dataclass
class Run:
    seconds: float
    status: str  # "ok", "exception", "timeout", "closed", "not-finished"
    exceptions: list[str] = field(default_factory=list)
    elements: list[ForwardMsg] = field(default_factory=list)


class Session:
    """One browser tab's worth of protocol: connect, rerun a page, wait for the run's end."""

    def __init__(self, base: str, timeout: float) -> None:
        self.base = base
        self.timeout = timeout
        self.session_id = ""
        self.ws = None
        self.xsrf = _xsrf_token()

    async def connect(self) -> None:
        url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        self.ws = await websockets.connect(
            url,
            subprotocols=["streamlit", self.xsrf],
            additional_headers={"Cookie": f"_streamlit_xsrf={self.xsrf}"},
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def send(self, message: BackMsg) -> None:
        await self.ws.send(message.SerializeToString())

    async def rerun(self, page: str, widgets: list[WidgetState] | None = None) -> Run:
        state = ClientState(query_string="", page_name=page)
        if widgets:
            state.widget_states.CopyFrom(WidgetStates(widgets=widgets))
        start = time.perf_counter()
        await self.send(BackMsg(rerun_script=state))
        return await self.wait_finished(start)

    async def wait_finished(self, start: float) -> Run:
        exceptions: list[str] = []
        elements: list[ForwardMsg] = []
        deadline = start + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return Run(time.perf_counter() - start, "timeout", exceptions, elements)
            try:
                raw = await asyncio.wait_for(self.ws.recv(), left)
            except TimeoutError:
                return Run(time.perf_counter() - start, "timeout", exceptions, elements)
            except websockets.ConnectionClosed:
                return Run(time.perf_counter() - start, "closed", exceptions, elements)
            message = ForwardMsg()
            message.ParseFromString(raw)
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.session_id = message.new_session.initialize.session_id or self.session_id
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                if element.WhichOneof("type") == "exception":
                    exceptions.append(element.exception.type or "exception")
                elements.append(message)
            elif kind == "script_finished":
                seconds = time.perf_counter() - start
                status = message.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # a rerun of ours follows (the page switch); wait for its end
                ok = status == ForwardMsg.FINISHED_SUCCESSFULLY and not exceptions
                return Run(seconds, "ok" if ok else "exception", exceptions, elements)

    async def file_urls(self, name: str) -> tuple[str, str]:
        """The file id and upload URL the server gives an uploader (as the browser asks)."""
        request_id = uuid.uuid4().hex
        request = FileURLsRequest(
            request_id=request_id, file_names=[name], session_id=self.session_id
        )
        await self.send(BackMsg(file_urls_request=request))
        deadline = time.perf_counter() + self.timeout
        while time.perf_counter() < deadline:
            raw = await asyncio.wait_for(self.ws.recv(), deadline - time.perf_counter())
            message = ForwardMsg()
            message.ParseFromString(raw)
            if message.WhichOneof("type") == "file_urls_response":
                response = message.file_urls_response
                if response.response_id == request_id and response.file_urls:
                    urls = response.file_urls[0]
                    return urls.file_id, urls.upload_url
        raise TimeoutError("no file URLs from the server")


def _xsrf_token() -> str:
    """A token in Streamlit's v2 format; the same value as cookie and header passes its check."""
    mask = secrets.token_bytes(4)
    token = secrets.token_bytes(16)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(token))
    return f"2|{mask.hex()}|{masked.hex()}|{int(time.time())}"


# --------------------------------------------------------------------------- tour mode


async def tour_one(
    base: str, pages: tuple[str, ...], timeout: float, delay: float, think: float = 0.0
) -> dict:
    await asyncio.sleep(delay)
    session = Session(base, timeout)
    runs: dict[str, Run] = {}
    try:
        await session.connect()
        for i, page in enumerate(pages):
            if i:
                await asyncio.sleep(think)  # a reader's pause before the next page
            runs[page] = run = await session.rerun(page)
            if run.status in ("timeout", "closed"):
                break
    except (OSError, websockets.WebSocketException) as error:
        runs.setdefault("connect", Run(0.0, f"closed: {error}"))
    finally:
        await session.close()
    return runs


async def tour(
    base: str,
    sessions: int,
    pages: tuple[str, ...],
    timeout: float,
    ramp: float,
    think: float = 0.0,
):
    delays = [ramp * i / max(sessions - 1, 1) for i in range(sessions)]
    return await asyncio.gather(*(tour_one(base, pages, timeout, d, think) for d in delays))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def report_tour(label: str, results: list[dict], pages: tuple[str, ...], peak: float) -> dict:
    print(f"\n{label}")
    print(f"  {'page':<14}{'runs':>5}{'p50 s':>9}{'p95 s':>9}{'max s':>9}{'errors':>8}")
    figures = {}
    all_errors = 0
    for page in (*pages, "connect"):
        runs = [r[page] for r in results if page in r]
        if not runs:
            continue
        times = [r.seconds for r in runs if r.status == "ok"]
        errors = [r for r in runs if r.status != "ok"]
        all_errors += len(errors)
        p50 = statistics.median(times) if times else float("nan")
        p95 = percentile(times, 95) if times else float("nan")
        worst = max(times) if times else float("nan")
        figures[page] = {"p50": p50, "p95": p95, "max": worst, "errors": len(errors)}
        print(f"  {page:<14}{len(runs):>5}{p50:>9.2f}{p95:>9.2f}{worst:>9.2f}{len(errors):>8}")
        for error in errors[:3]:
            print(f"    error: {error.status} {error.exceptions[:2]}")
    totals = [sum(r[p].seconds for p in pages) for r in results if all(p in r for p in pages)]
    if totals:
        print(
            f"  {'whole tour':<14}{len(totals):>5}{statistics.median(totals):>9.2f}"
            f"{percentile(totals, 95):>9.2f}{max(totals):>9.2f}   (sum of the page times)"
        )
        figures["tour"] = {"p95": percentile(totals, 95)}
    missing = sum(len(pages) - len([p for p in pages if p in r]) for r in results)
    print(f"  errors: {all_errors}, pages not reached: {missing}, server peak RSS: {peak:.0f} MB")
    print(f"  this client's CPU time so far: {time.process_time():.1f} s (the light client's cost)")
    return figures


# --------------------------------------------------------------------------- upload mode


def _element_id(run: Run, widget: str, suffix: str) -> tuple[str, bool] | None:
    """The id (and disabled flag) of a keyed widget of the given proto type in a run."""
    for message in run.elements:
        element = message.delta.new_element
        if element.WhichOneof("type") != widget:
            continue
        proto = getattr(element, widget)
        if proto.id.endswith(suffix) or suffix in proto.id:
            return proto.id, bool(getattr(proto, "disabled", False))
    return None


def _put(base: str, url: str, xsrf: str, name: str, data: bytes) -> int:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        url if url.startswith("http") else base + url,
        data=body,
        method="PUT",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": xsrf,
            "Cookie": f"_streamlit_xsrf={xsrf}",
        },
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        return response.status


async def upload_one(base: str, name: str, data: bytes, timeout: float) -> dict:
    session = Session(base, timeout)
    steps: dict[str, object] = {}
    start = time.perf_counter()
    try:
        await session.connect()
        page = await session.rerun("upload")
        found = _element_id(page, "file_uploader", "upload_transactions")
        if page.status != "ok" or found is None:
            return {"error": f"upload page: {page.status} {page.exceptions}"}
        uploader_id = found[0]
        file_id, upload_url = await session.file_urls(name)
        status = await asyncio.to_thread(_put, base, upload_url, session.xsrf, name, data)
        steps["put_s"] = time.perf_counter() - start
        info = UploadedFileInfo(file_id=file_id, name=name, size=len(data))
        uploader = WidgetState(
            id=uploader_id,
            file_uploader_state_value=FileUploaderState(uploaded_file_info=[info]),
        )
        read = await session.rerun("upload", [uploader])
        steps["read_s"] = time.perf_counter() - start
        if read.status != "ok":
            return {**steps, "error": f"after upload {status}: {read.status} {read.exceptions}"}
        button = _element_id(read, "button", "use_transactions_")
        if button is None or button[1]:
            return {**steps, "error": "the 'Use this file' button is missing or disabled"}
        click = WidgetState(id=button[0], trigger_value=True)
        used = await session.rerun("upload", [uploader, click])
        steps["loaded_s"] = time.perf_counter() - start
        loaded = any(
            m.delta.new_element.WhichOneof("type") == "alert"
            and m.delta.new_element.alert.format == m.delta.new_element.alert.SUCCESS
            for m in used.elements
        )
        if used.status != "ok" or not loaded:
            steps["error"] = f"use this file: {used.status} {used.exceptions} loaded={loaded}"
    except (OSError, TimeoutError, websockets.WebSocketException) as error:
        steps["error"] = f"{type(error).__name__}: {error}"
    finally:
        await session.close()
    return steps


def upload_file(path: str | None, megabytes: int) -> Path:
    if path:
        return Path(path)
    from bench.generate import ensure_csv

    rows = int(megabytes * 1_000_000 / 68)  # the generator writes about 68 bytes a line
    csv, _ = ensure_csv(ROOT / "bench" / "out", rows)
    return csv


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["tour", "upload"], default="tour")
    parser.add_argument("--sessions", type=int, default=None, help="tour 20, upload 5")
    parser.add_argument("--pages", default=",".join(TOUR), help="URL paths, in tour order")
    parser.add_argument("--ramp", type=float, default=0.0, help="spread session starts (s)")
    parser.add_argument("--think", type=float, default=0.0, help="pause between pages (s)")
    parser.add_argument(
        "--warm", action="store_true", help="one session tours first (a trainer opening the app)"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="per page run (s)")
    parser.add_argument("--compare", action="store_true", help="also run without sharing")
    parser.add_argument("--url", help="an app already running (loopback only)")
    parser.add_argument("--pid", type=int, help="with --url: the server's process, for RSS")
    parser.add_argument("--csv", help="upload mode: the file (default: a generated one)")
    parser.add_argument("--megabytes", type=int, default=50, help="generated file size")
    parser.add_argument("--ttl", type=int, default=30, help="disconnectedSessionTTL (s)")
    args = parser.parse_args(argv)
    args.ramp = min(max(args.ramp, 0.0), 600.0)
    args.think = min(max(args.think, 0.0), 120.0)

    if args.url:
        host = args.url.split("//", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
        if host not in LOOPBACK:
            raise SystemExit("loopback only: --url must point at 127.0.0.1 or localhost")
    sessions = args.sessions or (20 if args.mode == "tour" else 5)
    sessions = max(1, min(sessions, 100))
    pages = tuple(p for p in args.pages.split(",") if p)
    print(f"load average (1, 5, 15 min): {os.getloadavg()}; cores: {os.cpu_count()}")

    if args.mode == "tour":
        modes = [True, False] if args.compare else [True]
        summary = {}
        for share in modes:
            label = (
                f"{sessions} sessions (starts spread over {args.ramp:g} s, {args.think:g} s "
                f"between pages), tour {' > '.join(pages)}, demo results "
            ) + ("shared across sessions" if share else "computed per session (before)")
            summary[share] = _with_server(
                args,
                share,
                lambda base, sampler, label=label: report_tour(
                    label + (", after one warm-up tour" if args.warm else ", cold server"),
                    asyncio.run(_warm_then_tour(base, sessions, pages, args)),
                    pages,
                    sampler.peak,
                ),
            )
            print(f"  load average after: {os.getloadavg()[0]:.2f}")
        if args.compare:
            print("\nratio per page (per session / shared), p95:")
            for page in (*pages, "tour"):
                shared, alone = summary[True].get(page), summary[False].get(page)
                if shared and alone and shared["p95"] > 0:
                    print(f"  {page:<14}{alone['p95'] / shared['p95']:>8.1f}x")
        return

    csv = upload_file(args.csv, args.megabytes)
    data = csv.read_bytes()
    print(f"file: {csv} ({len(data) / 1e6:.1f} MB), {sessions} concurrent uploads")

    def upload_run(base: str, sampler: RssSampler) -> None:
        asyncio.run(tour(base, 1, ("overview",), args.timeout, 0.0))  # the app warm, demo read
        time.sleep(2)
        before = sampler.sample()
        results = asyncio.run(_uploads(base, csv.name, data, sessions, args.timeout))
        after_close = sampler.sample()
        for i, result in enumerate(results):
            timing = ", ".join(f"{k} {v:.1f}" for k, v in result.items() if k.endswith("_s"))
            print(f"  session {i + 1}: {timing} {result.get('error', 'loaded')}")
        time.sleep(5)
        after_5s = sampler.sample()
        wait = args.ttl + 10 if not args.url else 0
        time.sleep(wait)
        # Expired sessions are dropped when the session store is next touched: a new visit.
        asyncio.run(tour(base, 1, ("overview",), args.timeout, 0.0))
        time.sleep(3)
        after_ttl = sampler.sample()
        print(
            f"  server RSS: before (one demo visit done) {before:.0f} MB, peak {sampler.peak:.0f} MB, right after the "
            f"sessions ended {after_close:.0f} MB, +5 s {after_5s:.0f} MB, after the "
            f"disconnected-session TTL ({args.ttl} s) and one new visit {after_ttl:.0f} MB"
        )
        print(f"  errors: {sum('error' in r for r in results)}")

    _with_server(args, True, upload_run, ttl=args.ttl)


async def _warm_then_tour(base: str, sessions: int, pages: tuple[str, ...], args) -> list:
    if args.warm:
        await tour(base, 1, pages, args.timeout, 0.0)
    return await tour(base, sessions, pages, args.timeout, args.ramp, args.think)


async def _uploads(base: str, name: str, data: bytes, sessions: int, timeout: float):
    return await asyncio.gather(*(upload_one(base, name, data, timeout) for _ in range(sessions)))


def _with_server(args, share: bool, work, ttl: int | None = None):
    if args.url:
        with RssSampler(args.pid) as sampler:
            return work(args.url.rstrip("/"), sampler)
    port = free_port()
    started = time.perf_counter()
    server = start_server(port, share, ttl)
    print(
        f"\nserver on 127.0.0.1:{port} (pid {server.pid}), up in {time.perf_counter() - started:.1f} s"
    )
    try:
        with RssSampler(server.pid) as sampler:
            print(f"  server RSS at start: {sampler.sample():.0f} MB")
            return work(f"http://127.0.0.1:{port}", sampler)
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
