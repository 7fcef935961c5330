"""Peak-memory measurement from inside a process: resident set size (RSS), not tracemalloc.

tracemalloc sees only allocations made through Python's allocator; numpy buffers,
pyarrow's memory pool (where pandas 3 keeps its string columns) and DuckDB's
buffer manager are invisible to it. RSS sees them all.

How a peak is taken: the child process imports everything and warms up, then
records its current RSS as the baseline and resets the kernel's high-water mark
(writing "5" to /proc/self/clear_refs resets VmHWM, which is also what
`getrusage(RUSAGE_SELF).ru_maxrss` reports). After the measured work,
peak = high-water mark - baseline: the memory the work itself needed at its
worst moment, with the interpreter, libraries and import-time transients left out.
Where the reset is not allowed, the baseline is the high-water mark so far
instead, which can only under-count (the result says which method was used).
"""

from __future__ import annotations

import resource
import sys

MB = 1024 * 1024


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_bytes() -> int:
    """Current resident set size."""
    kb = _status_kb("VmRSS")
    if kb is not None:
        return kb * 1024
    return peak_rss_bytes()  # no /proc: the best we have


def peak_rss_bytes() -> int:
    """High-water mark of the resident set size (since start or the last reset)."""
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss if sys.platform == "darwin" else maxrss * 1024  # Linux reports KiB


def reset_peak() -> bool:
    """Reset the RSS high-water mark to the current RSS (Linux >= 4.0). False if not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


class PeakMemory:
    """Context manager: `.peak` is the high-water RSS during the block above the RSS at its start."""

    def __enter__(self) -> PeakMemory:
        self.reset = reset_peak()
        self.baseline = rss_bytes() if self.reset else peak_rss_bytes()
        self.method = (
            "VmHWM reset via /proc/self/clear_refs" if self.reset else "ru_maxrss (no reset)"
        )
        return self

    def __exit__(self, *exc: object) -> None:
        self.peak = max(peak_rss_bytes() - self.baseline, 0)
        self.after = rss_bytes() - self.baseline
