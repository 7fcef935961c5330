"""Memory freed by ended sessions goes back to the system (ui.server.release_memory)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ui import server

ROOT = Path(__file__).resolve().parent.parent

# Many small strings in frames, as an uploaded table's text columns: glibc keeps the
# freed chunks in its heap (RSS stays at the peak) until malloc_trim hands them back.
SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import pandas as pd
from ui.server import release_memory

def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20

base = rss()
frames = [pd.DataFrame({{"a": [f"customer-{{i}}-{{j}}" for i in range(20000)]}}) for j in range(40)]
survivors = [f"x{{i}}" for i in range(1000)]  # allocated last, they pin the top of the heap
peak = rss()
del frames
freed = rss()
release_memory()
print(base, peak, freed, rss())
"""


@pytest.mark.skipif(server._LIBC is None, reason="malloc_trim is glibc's")
def test_release_memory_returns_freed_memory_to_the_system():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    base, peak, freed, trimmed = map(float, out.split())
    grown = peak - base
    assert grown > 20  # the frames took memory (MiB)
    assert freed > base + grown / 2  # freeing alone returned little of it...
    assert trimmed < freed - grown / 2  # ...release_memory returned most of it
