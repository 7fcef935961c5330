"""Run a reader in a child process with a memory limit, so that a file that blows up kills only the child.

Excel readers expand a whole sheet at once, in native code: when an allocation fails
they abort the process, which for a server means every session. `run_isolated` calls a
function in a child process (a `forkserver` child: forked from a small server process
that has the readers imported, not from the app, so it starts in tens of milliseconds
and shares nothing with the sessions), whose address space is capped with
`resource.setrlimit(RLIMIT_AS)`. The bytes go in, the result comes back pickled (a
frame of text cells backed by Arrow pickles as a few buffers). A child that dies, runs
out of memory or passes the time limit becomes a `ProblemError` with a message for the
user; the server carries on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from core.ingest.problems import Problem, ProblemError

# Memory one file's reader may use on top of what the child starts with.
MEMORY_BYTES = 4 * 1024**3
# Seconds one read may take.
TIMEOUT_SECONDS = 300.0

T = TypeVar("T")

_context: Any = None


def _get_context() -> Any:
    global _context
    if _context is None:
        if sys.platform.startswith("linux"):
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(["core.ingest.read"])
        else:  # pragma: no cover - macOS / Windows: a fresh interpreter per read
            _context = multiprocessing.get_context("spawn")
    return _context


def _address_space() -> int:
    """Bytes of address space this process uses now (Linux); 0 when unknown."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(connection: Any, memory_bytes: int, function: Callable[..., Any], args: tuple) -> None:
    limit = _address_space() + memory_bytes
    # (ValueError: a lower hard limit already holds.)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        outcome: tuple = ("ok", function(*args))
    except ProblemError as err:
        outcome = ("problem", err.problem)
    except MemoryError:
        outcome = ("memory", None)
    except Exception:  # noqa: BLE001 - reported as "not a readable file" by the caller
        outcome = ("error", traceback.format_exc(limit=3))
    try:
        connection.send(outcome)
    except MemoryError:
        connection.send(("memory", None))
    connection.close()


def run_isolated(
    function: Callable[..., T],
    *args: Any,
    memory_bytes: int | None = None,
    timeout: float | None = None,
    error_key: str = "ingest.bad_excel",
) -> T:
    """`function(*args)` in a child process with `memory_bytes` of memory and `timeout` seconds.

    (None: the module's MEMORY_BYTES and TIMEOUT_SECONDS, read at each call.)

    `function` must be importable (a module-level function). Raises `ProblemError`:
    its own, "ingest.workbook_memory" when the child runs out of memory or dies,
    "ingest.workbook_too_slow" after `timeout`, `error_key` on any other exception.
    """
    memory_bytes = MEMORY_BYTES if memory_bytes is None else memory_bytes
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    context = _get_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sender, memory_bytes, function, args), daemon=True
    )
    process.start()
    sender.close()
    outcome: tuple | None = None
    try:
        if receiver.poll(timeout):
            outcome = receiver.recv()
        else:
            process.kill()
            raise ProblemError("ingest.workbook_too_slow", seconds=timeout)
    except (EOFError, OSError, MemoryError):
        outcome = None  # the child died before answering
    finally:
        receiver.close()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
    if outcome is None:
        raise ProblemError("ingest.workbook_memory", limit_mb=memory_bytes / 2**20)
    status, value = outcome
    if status == "ok":
        return value
    if status == "problem":
        assert isinstance(value, Problem)
        raise ProblemError(value.key, **value.params)
    if status == "memory":
        raise ProblemError("ingest.workbook_memory", limit_mb=memory_bytes / 2**20)
    raise ProblemError(error_key)
