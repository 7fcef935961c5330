"""Build a canonical table from raw text cells, with a quality report that accounts for every row.

Each row that is not kept gets exactly one reason, the first that applies in
`REASONS` order, so kept + set aside == read always holds.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.types import union_categoricals

from core.ingest.coerce import (
    DateOrder,
    OrderEvidence,
    clean_text,
    float_written,
    formula_like,
    parse_dates,
    parse_flags,
    parse_numbers,
    slash_date_evidence,
    trim_ids,
)
from core.ingest.mapping import missing_required
from core.ingest.policy import RowPolicy, default_policy
from core.ingest.problems import Problem
from core.ingest.read import RawTable
from core.schema import TABLES, TableKind

# Why a row was set aside, in order of precedence. Message keys are "reason.<name>".
REASONS: tuple[str, ...] = (
    "ragged_row",
    "empty_row",
    "missing_customer_id",
    "missing_date",
    "unparseable_date",
    "missing_amount",
    "unparseable_amount",
    "future_date",
    "duplicate",
    "duplicate_customer",
    "return_refund",
    "zero_amount",
    "no_text_or_score",
    "missing_group",
)

SAMPLE_SIZE = 200
# Control arm names that are also missing-value tokens.
_ARM_NAMES_LIKE_BLANKS = frozenset({"none"})
_REFUND_WORDS = r"(?i)cancel|refund|return|void|reversed|chargeback|取消|退款|退货|撤销|作废"


@dataclass(frozen=True)
class QualityReport:
    kind: TableKind
    rows_read: int
    rows_kept: int
    set_aside: dict[str, int]  # reason -> rows, only reasons that occurred, in REASONS order
    samples: dict[str, pd.DataFrame]  # reason -> up to SAMPLE_SIZE original rows
    # What the user should know that removed no row: `Problem`s of severity "info".
    notes: tuple[Problem, ...] = ()
    returns_rows: int = 0
    returns_value: float = 0.0
    # The row policy used, and how many rows each of its rules concerns whichever way it
    # was decided ("identical_rows": rows repeating an earlier row exactly; for
    # transactions "zero_amounts": rows with an amount of 0; rows that are empty or lack
    # a required customer ID not counted), as `policy_counts` gives them before loading.
    policy: RowPolicy = RowPolicy()
    rule_counts: dict[str, int] = field(default_factory=dict)
    # Canonical field -> the file's header it was read from (pages name columns as the user knows them).
    source_columns: dict[str, str] = field(default_factory=dict)

    @property
    def rows_set_aside(self) -> int:
        return sum(self.set_aside.values())

    @property
    def balanced(self) -> bool:
        return self.rows_kept + self.rows_set_aside == self.rows_read

    def reasons_table(self) -> pd.DataFrame:
        """Rows set aside by reason, in `REASONS` order: reason (its name), rows, share
        (of the rows read, 0-1). Empty when every row was kept."""
        read = max(self.rows_read, 1)
        return pd.DataFrame(
            {
                "reason": list(self.set_aside),
                "rows": list(self.set_aside.values()),
                "share": [rows / read for rows in self.set_aside.values()],
            },
            columns=["reason", "rows", "share"],
        )


@dataclass(frozen=True)
class IngestResult:
    table: pd.DataFrame | None
    report: QualityReport | None
    problem: Problem | None = None
    fingerprint: str = ""


# Rows per chunk when a table is built in pieces; also the streaming reader's target.
CHUNK_ROWS = 131_072


class RowSource(Protocol):
    """The rows of a file, read in chunks of text cells (a whole frame, or a file streamed).

    `chunks()` may be called more than once and yields the same rows in the same order
    each time. The other attributes are valid once `chunks()` has been read to the end.
    """

    columns: list[str]
    ragged_count: int
    ragged_lines: tuple[str, ...]  # the first SAMPLE_SIZE or more
    ragged_row_numbers: tuple[int, ...]  # the same lines' row numbers, or () when unknown
    nul_bytes_removed: int
    source_digest: str

    def chunks(self) -> Iterator[pd.DataFrame]: ...

    def spreadsheet_rows(self, positions: np.ndarray) -> np.ndarray: ...


class _FrameSource:
    """A `RawTable` read in slices of `chunk_rows` rows."""

    def __init__(self, raw: RawTable, chunk_rows: int) -> None:
        self.raw = raw
        self.info = raw.info
        self.chunk_rows = max(int(chunk_rows), 1)
        self.columns = list(raw.frame.columns)
        self.ragged_count = len(raw.ragged_lines)
        self.ragged_lines = raw.ragged_lines
        self.ragged_row_numbers = raw.ragged_row_numbers
        self.nul_bytes_removed = raw.nul_bytes_removed
        self.mixed_encoding = raw.mixed_encoding
        self.utf8_as_single_byte = raw.utf8_as_single_byte
        self.source_digest = raw.source_digest

    def chunks(self) -> Iterator[pd.DataFrame]:
        frame = self.raw.frame
        for start in range(0, max(len(frame), 1), self.chunk_rows):
            yield frame.iloc[start : start + self.chunk_rows]

    def spreadsheet_rows(self, positions: np.ndarray) -> np.ndarray:
        return self.raw.spreadsheet_rows(positions)


def build_table(
    raw: RawTable,
    kind: TableKind,
    mapping: dict[str, str | None],
    *,
    date_order: DateOrder | None = None,
    today: date | None = None,
    chunk_rows: int = CHUNK_ROWS,
    policy: RowPolicy | None = None,
) -> IngestResult:
    """Coerce mapped columns to canonical types and sort rows into kept and set aside.

    Parameters
    ----------
    raw : the file's text cells (`read_raw`).
    kind : which table of the data contract this file is.
    mapping : canonical field -> source column (None or absent: not in the file).
    date_order : day/month order for dates like 03/04/2024; None uses the column's
        own evidence (see `parse_dates`).
    today : dates after this day are set aside as "future date"; default today.
    chunk_rows : rows coerced at a time (bounds the temporaries); the result does
        not depend on it.
    policy : what to do with identical rows and zero amounts; None: the kind's
        default for this mapping (`default_policy`).
    """
    if raw.problem is not None:
        return IngestResult(None, None, raw.problem)
    return build_from_source(
        _FrameSource(raw, chunk_rows),
        kind,
        mapping,
        date_order=date_order,
        today=today,
        policy=policy,
    )


def build_from_source(
    source: RowSource,
    kind: TableKind,
    mapping: dict[str, str | None],
    *,
    date_order: DateOrder | None = None,
    today: date | None = None,
    policy: RowPolicy | None = None,
) -> IngestResult:
    """`build_table` for rows that arrive in chunks (see `RowSource`).

    Each chunk is coerced to typed columns at once and its text dropped. Decisions
    that belong to a whole column (day/month order, decimal mark, float-written ids,
    the "C" cancellation prefix, duplicates) are merged over the chunks; in the rare
    file where a chunk was read under a decision the whole column overturns, the
    rows are read a second time with the column's decisions fixed.
    """
    mapping = {k: v for k, v in mapping.items() if v}
    unknown = sorted(set(mapping.values()) - set(source.columns))
    if unknown:
        return IngestResult(
            None, None, Problem("ingest.unknown_column", {"columns": ", ".join(unknown)})
        )
    missing = missing_required(kind, mapping)
    if missing:
        return IngestResult(
            None,
            None,
            Problem(
                "ingest.missing_required", {"fields": missing, "columns": list(source.columns)}
            ),
        )
    today = today or date.today()
    policy = policy or default_policy(kind, mapping)
    builder = _Builder(kind, mapping, source.columns, date_order, today, {}, policy)
    for chunk in source.chunks():
        builder.add(chunk)
    forced = builder.overturned()
    if forced:
        builder = _Builder(kind, mapping, source.columns, date_order, today, forced, policy)
        for chunk in source.chunks():
            builder.add(chunk)
    return builder.finish(source)


def _release_memory() -> None:
    """Hand memory that pyarrow's allocator keeps after a free back to the system.

    Each chunk's text and temporaries live in pyarrow's pool (pandas keeps strings
    there); without this the pool holds on to the largest chunk's worth and more.
    """
    pa.default_memory_pool().release_unused()


class _Seen:
    """Which 64-bit hashes were seen before, across chunks.

    pandas' hash table (what `duplicated` uses) when available: about 32 bytes per
    distinct hash and far faster than keeping a sorted array merged chunk by chunk.
    """

    def __init__(self) -> None:
        try:
            from pandas._libs.hashtable import UInt64HashTable
        except ImportError:  # pragma: no cover - a pandas without it
            self.table = None
        else:
            self.table = UInt64HashTable(1 << 16)
        self.sorted = np.empty(0, dtype=np.uint64)

    def seen_before(self, hashes: np.ndarray) -> np.ndarray:
        before = pd.Series(hashes).duplicated(keep="first").to_numpy()
        if self.table is not None:
            before = before | (self.table.lookup(hashes) >= 0)
            self.table.map_locations(hashes)
            return before
        if len(self.sorted):
            at = np.minimum(np.searchsorted(self.sorted, hashes), len(self.sorted) - 1)
            before = before | (self.sorted[at] == hashes)
        # Two sorted runs: the stable sort merges them in linear time, in place.
        merged = np.concatenate([self.sorted, np.sort(hashes)])
        self.sorted = merged
        merged.sort(kind="stable")
        return before


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
# Off: measured on the 1M-row benchmark, hashing on a second thread saved about 6% of
# the time but raised the peak memory by about 20 MB (0.3x the CSV), too close to the
# 4x target; on a machine with spare cores and memory it can be switched on.
_HASH_IN_BACKGROUND = False


def _in_background(function, *args) -> Future | None:
    """Run `function(*args)` on the module's one worker thread (None: run it in the caller)."""
    global _POOL
    if not _HASH_IN_BACKGROUND:
        return None
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-hash")
    return _POOL.submit(function, *args)


def _hash_rows(columns: list[pd.Series], n: int) -> np.ndarray:
    """A 64-bit hash of each of `n` rows' cells, by content (equal rows in different chunks match).

    `columns`: the chunk's columns, in order. Collision chance: about 3e-8 for a million rows.
    """
    combined = np.full(n, 0x9E3779B97F4A7C15, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in columns:
            combined = _mix(combined * np.uint64(0x100000001B3) + _hash_cells(column))
    return combined


def _hash_cells(text: pd.Series) -> np.ndarray:
    """`_hash_text` of each cell, through the distinct values when they are few."""
    sample = text.iloc[:2000]
    if len(text) > 4000 and sample.nunique() < 0.25 * len(sample):
        codes, uniques = pd.factorize(text, use_na_sentinel=False)
        return _hash_text(pd.Series(uniques, dtype=text.dtype))[codes]
    return _hash_text(text)


_HASH_WIDTH = 24  # bytes of a cell hashed by numpy; longer cells go through pandas' hash


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit changes about half the output bits."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _hash_text(text: pd.Series) -> np.ndarray:
    """A 64-bit hash of each text cell that depends only on the cell (not on the chunk).

    Cells of up to 24 bytes (ids, dates, amounts, most names) are read straight from
    pyarrow's buffers as three 64-bit words plus the length, and mixed: no Python
    string is made. Longer cells, and columns not held by pyarrow, use pandas' hash.
    """
    values = text.array
    chunked = getattr(values, "_pa_array", None)
    if chunked is None or text.hasnans or sys.byteorder != "little":
        return _mix(pd.util.hash_array(text.to_numpy(dtype=object)))
    array = chunked.combine_chunks() if isinstance(chunked, pa.ChunkedArray) else chunked
    if not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    n = len(array)
    offsets = np.frombuffer(
        array.buffers()[1], dtype=np.int64, count=n + 1, offset=array.offset * 8
    )
    data_buffer = array.buffers()[2]
    data = (
        np.frombuffer(data_buffer, dtype=np.uint8)
        if data_buffer is not None
        else np.zeros(0, np.uint8)
    )
    starts = offsets[:-1]
    lengths = np.diff(offsets)
    padded = np.zeros(int(offsets[-1]) + _HASH_WIDTH, dtype=np.uint8)
    padded[: offsets[-1] - offsets[0]] = data[offsets[0] : offsets[-1]]
    windows = np.lib.stride_tricks.sliding_window_view(padded, _HASH_WIDTH)
    words = windows[starts - offsets[0]].view(np.uint64)  # little-endian: byte 0 lowest
    with np.errstate(over="ignore"):
        hashed = _mix(lengths.astype(np.uint64) + np.uint64(0x632BE59BD9B4E019))
        for k in range(words.shape[1]):
            # Only the cell's own bytes count: mask off what follows it in the buffer.
            kept_bytes = np.clip(lengths - 8 * k, 0, 8).astype(np.uint64)
            mask = np.where(
                kept_bytes == 8,
                np.uint64(0xFFFFFFFFFFFFFFFF),
                (np.uint64(1) << (kept_bytes * np.uint64(8))) - np.uint64(1),
            )
            hashed = _mix(hashed ^ (words[:, k] & mask))
    long = lengths > _HASH_WIDTH
    if long.any():
        cells = text.to_numpy(dtype=object)[long]
        hashed[long] = _mix(pd.util.hash_array(cells) ^ np.uint64(0xD6E8FEB86659FD93))
    return hashed


def _category_fields(kind: TableKind) -> set[str]:
    names = {f.name for f in TABLES[kind].fields if f.type == "category"}
    return names | {"customer_id"} if kind == "transactions" else names


_FUTURE_FIELD = {
    "transactions": "order_date",
    "customers": "signup_date",
    "feedback": "date",
    "campaign": "send_date",
}


def _assign_reasons(
    kind: TableKind,
    n: int,
    empty: np.ndarray,
    out: dict,
    duplicate: np.ndarray,
    duplicate_customer: np.ndarray | None,
    cancel_prefix: bool,
    today: date,
    policy: RowPolicy,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Each row's reason code (0 = kept, else 1 + index in REASONS), first that applies."""
    reason = np.zeros(n, dtype=np.int16)

    def set_aside(name: str, mask: pd.Series | np.ndarray) -> None:
        mask = np.asarray(mask, dtype=bool)
        reason[(reason == 0) & mask] = REASONS.index(name) + 1

    set_aside("empty_row", empty)
    # Transactions and customers need an id; campaign and feedback rows are people or
    # answers and count without one.
    if "customer_id" in out and kind in ("transactions", "customers"):
        set_aside("missing_customer_id", out["customer_id"].isna())
    future_field = _FUTURE_FIELD[kind]
    if kind == "transactions":
        set_aside("missing_date", out["order_date"].isna() & ~out["__order_date_failed"])
        set_aside("unparseable_date", out["__order_date_failed"])
        set_aside("missing_amount", out["amount"].isna() & ~out["__amount_failed"])
        set_aside("unparseable_amount", out["__amount_failed"])
    if future_field in out:
        set_aside(
            "future_date",
            out[future_field]
            > pd.Timestamp(today) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1),
        )
    if policy.identical_rows == "set_aside":
        set_aside("duplicate", duplicate)

    is_return = None
    if kind == "transactions":
        refund = out["__refund"]
        if cancel_prefix:
            refund = refund | out["__cancel_prefix"]
        is_return = (reason == 0) & refund
        set_aside("return_refund", is_return)
        if policy.zero_amounts == "set_aside":
            set_aside("zero_amount", out["amount"] == 0)
    elif kind == "customers":
        assert duplicate_customer is not None
        set_aside("duplicate_customer", duplicate_customer)
    elif kind == "feedback":
        has_any = np.zeros(n, dtype=bool)
        for name in ("text", "rating", "nps", "csat"):
            if name in out:
                has_any |= out[name].notna().to_numpy()
        set_aside("no_text_or_score", ~has_any)
    elif kind == "campaign":
        # An unreadable outcome or revenue is blanked and counted in a note, not the
        # recipient: which column is the outcome is chosen on the Campaigns page.
        set_aside("missing_group", out["group"].isna())
    return reason, is_return


def _evidence(day_first: bool, month_first: bool, any_slash: bool) -> OrderEvidence:
    if not any_slash:
        return "none"
    if day_first and month_first:
        return "conflict"
    return "dmy" if day_first else "mdy" if month_first else "ambiguous"


class _Builder:
    """Coerces chunks of rows and keeps what the report and table need (see `build_from_source`)."""

    def __init__(
        self,
        kind: TableKind,
        mapping: dict[str, str],
        columns: list[str],
        date_order: DateOrder | None,
        today: date,
        forced: dict[str, str],
        policy: RowPolicy,
    ) -> None:
        self.kind = kind
        self.policy = policy
        self.spec = TABLES[kind]
        self.mapping = mapping
        self.columns = list(columns)
        self.date_order = date_order
        self.today = today
        self.forced = forced  # field -> day/month order or decimal mark fixed for the column
        self.n = 0
        self.parts: dict[str, list] = {}
        self.category = _category_fields(kind)
        self.categorical: dict[str, bool] = {}
        self.date_memo: dict[str, dict] = {}  # per date field: odd values already read
        self.rows_seen = _Seen()
        self.customers_seen = _Seen() if kind == "customers" else None
        # Per column: merged evidence for decisions, and what each chunk used.
        self.dates: dict[str, dict] = {}
        self.numbers: dict[str, dict] = {}
        self.ids: dict[str, dict] = {}
        self.order_digits = 0
        self.examples: dict[str, list[str]] = {}
        # Original rows that may be needed as samples, with their positions as index.
        self.cache: list[pd.DataFrame] = []
        self.cache_counts = np.zeros((2, len(REASONS) + 1), dtype=np.int64)
        self.extra = (
            [c for c in self.columns if c not in mapping.values()] if kind != "transactions" else []
        )

    def _as_categories(self, name: str, values: pd.Series) -> bool:
        """Whether to keep a category column's chunks as categoricals (decided on the first).

        Few distinct values (products, channels) take far less memory as codes; many
        (customer ids) are cheaper to keep as text and categorise once at the end.
        """
        if name not in self.categorical:
            sample = values.iloc[:5000]
            self.categorical[name] = sample.nunique() <= 0.05 * max(len(sample), 1)
        return self.categorical[name]

    def _store(self, name: str, values) -> None:
        self.parts.setdefault(name, []).append(values)

    def _keep_examples(self, source: str, text: pd.Series) -> None:
        found = self.examples.setdefault(source, [])
        if len(found) >= 3:
            return
        for value in text[text.str.strip() != ""].drop_duplicates().head(3).tolist():
            if value not in found and len(found) < 3:
                found.append(value)

    def add(self, chunk: pd.DataFrame) -> None:
        n = len(chunk)
        start = self.n
        self.n += n
        mapping = self.mapping
        # The row hashes (numpy and pyarrow work that releases the GIL) can be computed
        # on a second thread while this one coerces (see _HASH_IN_BACKGROUND).
        columns = [chunk[name] for name in chunk.columns]
        hashing = _in_background(_hash_rows, columns, n) if n >= 10_000 else None

        # Empty rows: only rows whose first cell is blank can be; check the others there.
        empty = np.ones(n, dtype=bool)
        for column in chunk.columns:
            candidates = np.flatnonzero(empty)
            if len(candidates) == 0:
                break
            cells = chunk[column].iloc[candidates] if len(candidates) < n else chunk[column]
            empty[candidates] = (cells.str.strip() == "").to_numpy(dtype=bool)
        self._store("__empty", empty)

        out: dict[str, pd.Series] = {}
        for f in self.spec.fields:
            source = mapping.get(f.name)
            if source is None:
                continue
            text = chunk[source].reset_index(drop=True)
            if f.type == "id":
                ids = trim_ids(text)
                state = self.ids.setdefault(f.name, {"present": 0, "float": True})
                state["present"] += int(ids.notna().sum())
                state["float"] = state["float"] and float_written(ids)
                out[f.name] = ids.astype("str")
            elif f.type in ("text", "category"):
                # A campaign arm may be called "None" (not contacted): a name, not a blank.
                keep = _ARM_NAMES_LIKE_BLANKS if f.name == "group" else frozenset()
                out[f.name] = clean_text(text, keep=keep)
            elif f.type == "date":
                order = self.forced.get(f.name) or self.date_order
                memo = self.date_memo.setdefault(f.name, {})
                reading = parse_dates(text, order, memo)  # type: ignore[arg-type]
                out[f.name] = reading.values
                out[f"__{f.name}_failed"] = reading.failed
                state = self.dates.setdefault(
                    f.name, {"day": False, "month": False, "slash": False, "used": set()}
                )
                state["slash"] |= reading.order_evidence != "none"
                state["day"] |= reading.order_evidence in ("dmy", "conflict")
                state["month"] |= reading.order_evidence in ("mdy", "conflict")
                if reading.order_applied is not None:
                    state["used"].add(reading.order_applied)
                if f.name == "order_date":
                    self._keep_examples(source, text)
            elif f.type in ("money", "number"):
                reading = parse_numbers(text, self.forced.get(f.name))  # type: ignore[arg-type]
                values = reading.values
                state = self.numbers.setdefault(
                    f.name, {"comma": [], "dot": [], "used": set(), "outside": 0}
                )
                if f.valid_range is not None:
                    lo, hi = f.valid_range
                    outside = values.notna() & ((values < lo) | (values > hi))
                    if outside.any():
                        state["outside"] += int(outside.sum())
                        values = values.mask(outside)
                state["comma"].append(reading.comma_voters)
                state["dot"].append(reading.dot_voters)
                for key in ("comma", "dot"):
                    if len(state[key]) > 8:
                        state[key] = [pd.concat(state[key], ignore_index=True).drop_duplicates()]
                if reading.mark_sensitive:
                    state["used"].add(reading.decimal)
                out[f.name] = values
                out[f"__{f.name}_failed"] = reading.failed
                if f.name in ("amount", "unit_price"):
                    self._keep_examples(source, text)
            elif f.type == "flag":
                reading = parse_flags(text)
                out[f.name] = reading.values
                out[f"__{f.name}_failed"] = reading.failed

        if "amount" not in out and "unit_price" in out:
            # One unit per row when there is no quantity column; a blank or unreadable
            # quantity leaves the amount blank or unreadable (never a guess of 1).
            if "quantity" in out:
                out["amount"] = out["unit_price"] * out["quantity"]
                out["__amount_failed"] = out["__unit_price_failed"] | out["__quantity_failed"]
            else:
                out["amount"] = out["unit_price"]
                out["__amount_failed"] = out["__unit_price_failed"]
        for key in [k for k in out if k.startswith("__")]:
            out[key] = out[key].to_numpy(dtype=bool, copy=True)

        if self.kind == "transactions":
            refund = (out["amount"] < 0).to_numpy(dtype=bool, copy=True)
            if "quantity" in out:
                refund |= (out["quantity"] < 0).to_numpy(dtype=bool)
            if "status" in out:
                refund |= (
                    out["status"].fillna("").str.contains(_REFUND_WORDS, regex=True).to_numpy(bool)
                )
            out["__refund"] = refund
            cancel = np.zeros(n, dtype=bool)
            if "order_id" in out:
                ids = out["order_id"].fillna("")
                self.order_digits += int(ids.str.fullmatch(r"\d+").sum())
                cancel = ids.str.fullmatch(r"[Cc]\d+").to_numpy(dtype=bool)
            out["__cancel_prefix"] = cancel

        for f in self.spec.fields:
            if f.type in ("id", "text", "category") and f.name in out:
                self._store(
                    f"__formula_{f.name}",
                    formula_like(out[f.name].fillna(""), stripped=True).to_numpy(),
                )

        hashes = hashing.result() if hashing is not None else _hash_rows(columns, n)
        duplicate = self.rows_seen.seen_before(hashes)
        # Seen in an earlier row of the file: exactly duplicated(keep="first") over all rows.
        self._store("__duplicate", duplicate)
        customer_hint = None
        if self.customers_seen is not None:
            ids = out["customer_id"]
            present = ids.notna().to_numpy()
            customer_hint = np.zeros(n, dtype=bool)
            customer_hint[present] = self.customers_seen.seen_before(
                pd.util.hash_array(ids[present].to_numpy(dtype=object))
            )

        self._cache_samples(chunk, start, empty, out, duplicate, customer_hint)

        for name, values in out.items():
            if self.kind == "transactions" and name in ("unit_price", "status"):
                continue  # dropped from the table; what they decide is in __ columns
            if name in self.category and self._as_categories(name, values):
                values = pd.Categorical(values)
            self._store(name, values)
        for col in self.extra:
            if col not in out:
                self._store(col, clean_text(chunk[col].reset_index(drop=True)))
        _release_memory()

    def _cache_samples(
        self,
        chunk: pd.DataFrame,
        start: int,
        empty: np.ndarray,
        out: dict,
        duplicate: np.ndarray,
        customer_hint: np.ndarray | None,
    ) -> None:
        """Keep the rows that can be among the first SAMPLE_SIZE of their reason.

        A row's reason is known here except for the whole-file decision on the "C"
        prefix (both outcomes are followed) and duplicate customer ids (by hash here,
        exactly at the end; `finish` re-reads rows if the two ever disagree).
        """
        n = len(chunk)
        take = np.zeros(n, dtype=bool)
        variants = [False, True] if out.get("__cancel_prefix", np.zeros(0)).any() else [False]
        reasons = {}
        for cancel in variants:
            reasons[cancel], _ = _assign_reasons(
                self.kind, n, empty, out, duplicate, customer_hint, cancel, self.today, self.policy
            )
        reasons.setdefault(True, reasons[False])
        for variant, cancel in enumerate((False, True)):
            reason = reasons[cancel]
            counts = np.bincount(reason, minlength=len(REASONS) + 1)
            for code in np.flatnonzero(counts[1:]) + 1:
                room = SAMPLE_SIZE - self.cache_counts[variant, code]
                if room > 0:
                    take[np.flatnonzero(reason == code)[:room]] = True
                self.cache_counts[variant, code] += counts[code]
        if take.any():
            rows = np.flatnonzero(take)
            kept = chunk.iloc[rows].copy()
            kept.index = rows + start
            self.cache.append(kept)

    def overturned(self) -> dict[str, str]:
        """Column decisions that some chunk was read under differently (empty: none)."""
        forced: dict[str, str] = {}
        for name, order in self._orders().items():
            if self.dates[name]["used"] - {order}:
                forced[name] = order
        for name, decimal in self._decimals().items():
            if self.numbers[name]["used"] - {decimal}:
                forced[name] = decimal
        return forced

    def _orders(self) -> dict[str, DateOrder]:
        """The day/month order each date column is read with (as `parse_dates` picks it)."""
        orders: dict[str, DateOrder] = {}
        for name, state in self.dates.items():
            evidence = _evidence(state["day"], state["month"], state["slash"])
            if name in self.forced:
                orders[name] = self.forced[name]  # type: ignore[assignment]
            else:
                orders[name] = self.date_order or ("mdy" if evidence == "mdy" else "dmy")
        return orders

    def _decimals(self) -> dict[str, str]:
        decimals = {}
        for name, state in self.numbers.items():
            if name in self.forced:
                decimals[name] = self.forced[name]
                continue
            votes = [
                len(pd.concat(state[key], ignore_index=True).drop_duplicates()) if state[key] else 0
                for key in ("comma", "dot")
            ]
            decimals[name] = "," if votes[0] > votes[1] else "."
        return decimals

    def _column(self, name: str):
        parts = self.parts.pop(name)
        if isinstance(parts[0], np.ndarray):
            return np.concatenate(parts)
        if isinstance(parts[0], pd.Categorical):
            return pd.Series(union_categoricals(parts, sort_categories=True))
        return pd.concat(parts, ignore_index=True)

    def finish(self, source: RowSource) -> IngestResult:
        kind, mapping, spec, n = self.kind, self.mapping, self.spec, self.n
        notes: list[Problem] = []
        orders = self._orders()
        decimals = self._decimals()
        for f in spec.fields:
            source_column = mapping.get(f.name)
            if source_column is None:
                continue
            if f.type == "date":
                state = self.dates[f.name]
                evidence = _evidence(state["day"], state["month"], state["slash"])
                if evidence in ("ambiguous", "conflict"):
                    notes.append(
                        Problem(
                            f"note.date_order_{evidence}",
                            {"column": source_column, "order": orders[f.name]},
                            "info",
                        )
                    )
            elif f.type in ("money", "number"):
                state = self.numbers[f.name]
                if state["outside"]:
                    lo, hi = f.valid_range  # type: ignore[misc]
                    notes.append(
                        Problem(
                            "note.out_of_range",
                            {
                                "column": source_column,
                                "count": state["outside"],
                                "low": lo,
                                "high": hi,
                            },
                            "info",
                        )
                    )
                if decimals[f.name] == ",":
                    notes.append(Problem("note.decimal_comma", {"column": source_column}, "info"))
        if "amount" not in mapping and "unit_price" in mapping:
            notes.append(
                Problem(
                    "note.amount_from_price",
                    {"price": mapping["unit_price"], "quantity": mapping.get("quantity", "1")},
                    "info",
                )
            )

        self.rows_seen = self.customers_seen = None  # type: ignore[assignment]
        out: dict = {}
        for name in list(self.parts):
            out[name] = self._column(name)
            _release_memory()
        float_ids = {name for name, s in self.ids.items() if s["float"] and s["present"] > 0}
        for name in float_ids:
            if name not in out:
                continue
            if isinstance(out[name].dtype, pd.CategoricalDtype):
                out[name] = out[name].cat.rename_categories(lambda c: c[:-2])
            else:
                out[name] = out[name].str.slice(0, -2).astype("str")
        cancel_prefix = False
        if kind == "transactions" and "order_id" in mapping and n:
            digits = (
                self.ids["order_id"]["present"] if "order_id" in float_ids else self.order_digits
            )
            cancel_prefix = digits / n > 0.5

        duplicate = out.pop("__duplicate")
        empty = out.pop("__empty")
        counted = ~empty
        if kind in ("transactions", "customers") and "customer_id" in out:
            counted = counted & out["customer_id"].notna().to_numpy(bool)
        rule_counts = {"identical_rows": int((duplicate & counted).sum())}
        if kind == "transactions":
            zero = (out["amount"] == 0).to_numpy(bool)
            rule_counts["zero_amounts"] = int((zero & counted).sum())
        duplicate_customer = None
        if kind == "customers":
            ids = out["customer_id"]
            duplicate_customer = (ids.duplicated(keep="first") & ids.notna()).to_numpy()
        reason, is_return = _assign_reasons(
            kind,
            n,
            empty,
            out,
            duplicate,
            duplicate_customer,
            cancel_prefix,
            self.today,
            self.policy,
        )
        returns_rows, returns_value = 0, 0.0
        if is_return is not None:
            returns_rows = int(is_return.sum())
            returns_value = float(out["amount"][is_return].abs().sum())

        kept = reason == 0
        # Optional fields: unreadable values are blanked, not the row, and counted.
        for f in spec.fields:
            failed = out.get(f"__{f.name}_failed")
            if failed is None:
                continue
            blanked = int((failed & kept).sum())
            if blanked:
                notes.append(
                    Problem(
                        "note.values_blanked",
                        {"column": mapping.get(f.name, f.name), "count": blanked},
                        "info",
                    )
                )
        for f in spec.fields:
            formula = out.get(f"__formula_{f.name}")
            if formula is not None:
                suspicious = int((formula & kept).sum())
                if suspicious:
                    notes.append(
                        Problem(
                            "note.formula_cells",
                            {"column": mapping[f.name], "count": suspicious},
                            "info",
                        )
                    )
        if source.nul_bytes_removed:
            notes.append(Problem("note.nul_bytes", {"count": source.nul_bytes_removed}, "info"))
        mixed = getattr(source, "mixed_encoding", None)  # (streamed files are never mixed)
        if mixed is not None:
            notes.append(
                Problem("note.mixed_encoding", {"line": mixed[0], "count": mixed[1]}, "info")
            )
        garbled = getattr(source, "utf8_as_single_byte", None)
        if garbled is not None:
            notes.append(
                Problem(
                    "note.utf8_as_single_byte", {"line": garbled[0], "count": garbled[1]}, "info"
                )
            )
        notes.extend(_policy_notes(kind, self.policy, duplicate & kept, out, kept))

        if kind == "transactions" and int(kept.sum()) == 0 and n > 0:
            if out["__order_date_failed"].all() or out["order_date"].isna().all():
                column = mapping["order_date"]
                return IngestResult(
                    None,
                    None,
                    Problem(
                        "ingest.no_dates",
                        {"column": column, "examples": ", ".join(self.examples.get(column, []))},
                    ),
                )
            if out["amount"].isna().all():
                column = mapping.get("amount") or mapping.get("unit_price")
                return IngestResult(
                    None,
                    None,
                    Problem(
                        "ingest.no_amounts",
                        {"column": column, "examples": ", ".join(self.examples.get(column, []))},
                    ),
                )

        counts = np.bincount(reason, minlength=len(REASONS) + 1)
        set_aside = {name: int(counts[i + 1]) for i, name in enumerate(REASONS) if counts[i + 1]}
        samples = self._samples(source, reason, counts, cancel_prefix)
        if source.ragged_count:
            set_aside = {"ragged_row": source.ragged_count, **set_aside}
            ragged = {"line": list(source.ragged_lines[:SAMPLE_SIZE])}
            if source.ragged_row_numbers:
                ragged = {"row": list(source.ragged_row_numbers[:SAMPLE_SIZE]), **ragged}
            samples = {"ragged_row": pd.DataFrame(ragged), **samples}

        # The table: kept rows only, one column at a time (the unfiltered one is dropped).
        columns = {}
        for name in [name for name in out if not name.startswith("__")]:
            columns[name] = _kept(out.pop(name), kept)
            _release_memory()
        table = pd.DataFrame(columns, index=pd.RangeIndex(int(kept.sum())))
        del columns
        table = _finish_types(table, kind)
        report = QualityReport(
            kind=kind,
            rows_read=n + source.ragged_count,
            rows_kept=int(kept.sum()),
            set_aside=set_aside,
            samples=samples,
            notes=tuple(notes),
            returns_rows=returns_rows,
            returns_value=returns_value,
            policy=self.policy,
            rule_counts=rule_counts,
            source_columns=dict(mapping),
        )
        fingerprint = _fingerprint(
            source.source_digest, table, kind, mapping, self.date_order, self.today, self.policy
        )
        return IngestResult(table, report, None, fingerprint=fingerprint)

    def _samples(
        self, source: RowSource, reason: np.ndarray, counts: np.ndarray, cancel_prefix: bool
    ) -> dict[str, pd.DataFrame]:
        wanted = {
            name: np.flatnonzero(reason == i + 1)[:SAMPLE_SIZE]
            for i, name in enumerate(REASONS)
            if counts[i + 1] and name != "ragged_row"
        }
        if not wanted:
            return {}
        needed = np.unique(np.concatenate(list(wanted.values())))
        cached = (
            pd.concat(self.cache) if self.cache else pd.DataFrame(columns=self.columns, dtype="str")
        )
        if not np.isin(needed, cached.index.to_numpy()).all():
            cached = _read_rows(source, needed)  # not expected; kept exact all the same
        samples = {}
        for name, rows in wanted.items():
            sample = cached.loc[rows].copy()
            # Row numbers as a spreadsheet shows the file (header = row 1), so the user can find them.
            sample.insert(0, "row", source.spreadsheet_rows(rows))
            samples[name] = sample.reset_index(drop=True)
        return samples


def _policy_notes(
    kind: TableKind, policy: RowPolicy, identical_kept: np.ndarray, out: dict, kept: np.ndarray
) -> list[Problem]:
    """Notes for rows a rule kept that an analyst might expect set aside."""
    notes = []
    identical = int(identical_kept.sum())
    if policy.identical_rows == "keep" and identical:
        key = "note.identical_lines_kept" if kind == "transactions" else "note.identical_rows_kept"
        notes.append(Problem(key, {"count": identical}, "info"))
    if kind == "transactions" and policy.zero_amounts == "keep":
        zero = int(((out["amount"] == 0).to_numpy(bool) & kept).sum())
        if zero:
            notes.append(Problem("note.zero_amounts_kept", {"count": zero}, "info"))
    return notes


@dataclass(frozen=True)
class DateQuestion:
    """A date column whose day/month order the user must choose (the data cannot tell)."""

    column: str
    evidence: OrderEvidence  # "ambiguous" (no part above 12) or "conflict" (both ways)
    examples: tuple[str, ...]  # the column's first cells, as the file has them


@dataclass(frozen=True)
class RowSurvey:
    """What the Upload page asks and counts before a file is loaded, read off every row.

    `rule_counts`: as the built table's `QualityReport.rule_counts` (see `policy_counts`).
    `date_questions`: mapped date columns whose day/month order must be asked.
    `rows`: the rows read (ragged lines not included); `inputs`: the `survey_inputs`
    of the mapping surveyed.
    """

    rule_counts: dict[str, int]
    date_questions: tuple[DateQuestion, ...] = ()
    rows: int = 0
    inputs: tuple[tuple[str, str], ...] = ()
    problem: Problem | None = None


# Mapped fields the survey reads (and whose columns key a cached survey).
_SURVEY_FIELDS = ("customer_id", "amount", "unit_price", "quantity")
_EXAMPLES = 3


def survey_inputs(kind: TableKind, mapping: dict[str, str | None]) -> tuple[tuple[str, str], ...]:
    """The (field, column) pairs of `mapping` that `survey_rows` depends on: its cache key."""
    dates = [f.name for f in TABLES[kind].fields if f.type == "date"]
    return tuple((name, mapping[name]) for name in (*_SURVEY_FIELDS, *dates) if mapping.get(name))


def _as_source(rows: RawTable | RowSource) -> RowSource:
    return _FrameSource(rows, CHUNK_ROWS) if isinstance(rows, RawTable) else rows


def survey_rows(
    rows: RawTable | RowSource,
    kind: TableKind,
    mapping: dict[str, str | None],
    *,
    counts: bool = True,
    dates: bool = True,
) -> RowSurvey:
    """Rule counts and day/month questions of a file, chunk by chunk (one pass, nothing kept).

    `rows`: the file's text cells (`read_raw`) or any `RowSource` (a streamed file).
    Per chunk, as `build_from_source` does: rows repeating an earlier one (by the same
    row hash), empty rows, customer IDs, amounts; slash-date evidence merged over the
    chunks as the builder merges it, so the questions are the whole column's.
    """
    source = _as_source(rows)
    mapped = {k: v for k, v in mapping.items() if v}
    date_columns = [
        mapped[f.name] for f in TABLES[kind].fields if f.type == "date" and f.name in mapped
    ]
    evidence = {column: {"day": False, "month": False, "slash": False} for column in date_columns}
    examples: dict[str, list[str]] = {column: [] for column in date_columns}
    seen = _Seen()
    identical = zero = n_rows = 0
    for chunk in source.chunks():
        n = len(chunk)
        n_rows += n
        if dates:
            for column in date_columns:
                text = chunk[column]
                if len(examples[column]) < _EXAMPLES:
                    room = _EXAMPLES - len(examples[column])
                    examples[column].extend(text.iloc[:room].tolist())
                found = slash_date_evidence(text)
                state = evidence[column]
                state["slash"] |= found != "none"
                state["day"] |= found in ("dmy", "conflict")
                state["month"] |= found in ("mdy", "conflict")
        if not counts:
            continue
        columns = [chunk[name] for name in chunk.columns]
        empty = np.ones(n, dtype=bool)
        for column in columns:
            empty &= (column.str.strip() == "").to_numpy(dtype=bool)
        counted = ~empty
        if kind in ("transactions", "customers") and "customer_id" in mapped:
            counted &= trim_ids(chunk[mapped["customer_id"]]).notna().to_numpy(bool)
        duplicate = seen.seen_before(_hash_rows(columns, n))
        identical += int((duplicate & counted).sum())
        if kind == "transactions":
            zero += int((_amounts(chunk, mapped) == 0).to_numpy(bool)[counted].sum())
    rule_counts = {}
    if counts:
        rule_counts["identical_rows"] = identical
        if kind == "transactions":
            rule_counts["zero_amounts"] = zero
    questions = []
    for column in date_columns if dates else ():
        state = evidence[column]
        found = _evidence(state["day"], state["month"], state["slash"])
        if found in ("ambiguous", "conflict"):
            questions.append(DateQuestion(column, found, tuple(examples[column])))
    return RowSurvey(rule_counts, tuple(questions), n_rows, survey_inputs(kind, mapping))


def _amounts(chunk: pd.DataFrame, mapped: dict[str, str]) -> pd.Series:
    """A chunk's amounts as the builder reads them (unit price x quantity without an amount)."""
    if "amount" in mapped:
        return parse_numbers(chunk[mapped["amount"]]).values
    if "unit_price" in mapped:
        amount = parse_numbers(chunk[mapped["unit_price"]]).values
        if "quantity" in mapped:
            amount = amount * parse_numbers(chunk[mapped["quantity"]]).values
        return amount
    return pd.Series(np.nan, index=chunk.index)


def policy_counts(
    rows: RawTable | RowSource, kind: TableKind, mapping: dict[str, str | None]
) -> dict[str, int]:
    """How many rows each row rule concerns, before the table is built (for the Upload page).

    The same figures as the built table's `QualityReport.rule_counts`, whatever the
    policy: "identical_rows" (rows repeating an earlier row exactly) and, for
    transactions, "zero_amounts" (rows whose amount, or unit price times quantity,
    reads as 0). Empty rows, and rows of transactions or customers without a customer
    ID (set aside for that first), are not counted. Read in chunks (`survey_rows`).
    """
    return survey_rows(rows, kind, mapping, dates=False).rule_counts


def _read_rows(source: RowSource, positions: np.ndarray) -> pd.DataFrame:
    """The original rows at `positions` (sorted), read again from the source."""
    pieces, start = [], 0
    last = int(positions[-1]) if len(positions) else -1
    for chunk in source.chunks():
        end = start + len(chunk)
        inside = positions[(positions >= start) & (positions < end)]
        if len(inside):
            piece = chunk.iloc[inside - start].copy()
            piece.index = inside
            pieces.append(piece)
        start = end
        if start > last:
            break
    return pd.concat(pieces)


def _kept(values, kept: np.ndarray):
    if isinstance(values, pd.Series):
        return values[kept].reset_index(drop=True)
    return values[kept]


def _finish_types(table: pd.DataFrame, kind: TableKind) -> pd.DataFrame:
    for name in _category_fields(kind):
        if name in table:
            # Categories as astype("category") would give for the kept rows: sorted, all used.
            values = table[name]
            if not isinstance(values.dtype, pd.CategoricalDtype):
                values = values.astype("category")
            values = values.cat.remove_unused_categories()
            if not values.cat.categories.is_monotonic_increasing:
                values = values.cat.reorder_categories(values.cat.categories.sort_values())
            table[name] = values
    if kind == "transactions":
        table = table.drop(columns=[c for c in ("unit_price", "status") if c in table])
    return table


def _fingerprint(source_digest: str, table: pd.DataFrame, *settings: object) -> str:
    """A content hash that identifies the table in caches (never leaves the session).

    From the file's bytes when the reader recorded them (cheap), else from the table.
    """
    if source_digest:
        digest = hashlib.blake2b(source_digest.encode(), digest_size=16)
    else:
        digest = hashlib.blake2b(
            pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes(), digest_size=16
        )
    digest.update(repr(settings).encode())
    return digest.hexdigest()


def needs_date_order(
    rows: RawTable | RowSource, kind: TableKind, mapping: dict[str, str | None]
) -> list[tuple[str, OrderEvidence]]:
    """Date columns whose day/month order the user must choose (the data cannot tell)."""
    questions = survey_rows(rows, kind, mapping, counts=False).date_questions
    return [(question.column, question.evidence) for question in questions]
