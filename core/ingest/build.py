"""Build a canonical table from raw text cells, with a quality report that accounts for every row.

Each row that is not kept gets exactly one reason, the first that applies in
`REASONS` order, so kept + set aside == read always holds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from core.ingest.coerce import (
    DateOrder,
    OrderEvidence,
    clean_ids,
    clean_text,
    formula_like,
    parse_dates,
    parse_flags,
    parse_numbers,
)
from core.ingest.mapping import missing_required
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
    "unreadable_outcome",
)

SAMPLE_SIZE = 200
_REFUND_WORDS = r"(?i)cancel|refund|return|void|reversed|chargeback|取消|退款|退货|撤销|作废"


@dataclass(frozen=True)
class Note:
    """Something the user should know that did not remove rows (message key + params)."""

    key: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class QualityReport:
    kind: TableKind
    rows_read: int
    rows_kept: int
    set_aside: dict[str, int]  # reason -> rows, only reasons that occurred, in REASONS order
    samples: dict[str, pd.DataFrame]  # reason -> up to SAMPLE_SIZE original rows
    notes: tuple[Note, ...] = ()
    returns_rows: int = 0
    returns_value: float = 0.0

    @property
    def rows_set_aside(self) -> int:
        return sum(self.set_aside.values())

    @property
    def balanced(self) -> bool:
        return self.rows_kept + self.rows_set_aside == self.rows_read


@dataclass(frozen=True)
class IngestResult:
    table: pd.DataFrame | None
    report: QualityReport | None
    problem: Problem | None = None
    fingerprint: str = ""


def build_table(
    raw: RawTable,
    kind: TableKind,
    mapping: dict[str, str | None],
    *,
    date_order: DateOrder | None = None,
    today: date | None = None,
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
    """
    if raw.problem is not None:
        return IngestResult(None, None, raw.problem)
    spec = TABLES[kind]
    mapping = {k: v for k, v in mapping.items() if v}
    unknown = sorted(set(mapping.values()) - set(raw.frame.columns))
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
                "ingest.missing_required", {"fields": missing, "columns": list(raw.frame.columns)}
            ),
        )
    today = today or date.today()
    frame = raw.frame
    n = len(frame)
    reason = np.zeros(n, dtype=np.int16)  # 0 = kept, else 1 + index in REASONS
    notes: list[Note] = []

    def set_aside(name: str, mask: pd.Series | np.ndarray) -> None:
        mask = np.asarray(mask, dtype=bool)
        reason[(reason == 0) & mask] = REASONS.index(name) + 1

    # Empty rows: only rows whose first cell is blank can be; check the others there.
    all_empty = np.ones(n, dtype=bool)
    for column in frame.columns:
        candidates = np.flatnonzero(all_empty)
        if len(candidates) == 0:
            break
        cells = frame[column].iloc[candidates] if len(candidates) < n else frame[column]
        all_empty[candidates] = (cells.str.strip() == "").to_numpy(dtype=bool)
    set_aside("empty_row", all_empty)

    out: dict[str, pd.Series] = {}
    for f in spec.fields:
        source = mapping.get(f.name)
        if source is None:
            continue
        text = frame[source]
        if f.type == "id":
            out[f.name] = clean_ids(text)
        elif f.type in ("text", "category"):
            out[f.name] = clean_text(text)
        elif f.type == "date":
            reading = parse_dates(text, date_order)
            out[f.name] = reading.values
            out[f"__{f.name}_failed"] = reading.failed
            if reading.order_evidence in ("ambiguous", "conflict"):
                notes.append(
                    Note(
                        f"note.date_order_{reading.order_evidence}",
                        {"column": source, "order": reading.order_used},
                    )
                )
        elif f.type in ("money", "number"):
            reading = parse_numbers(text)
            values = reading.values
            if f.valid_range is not None:
                lo, hi = f.valid_range
                outside = values.notna() & ((values < lo) | (values > hi))
                if outside.any():
                    notes.append(
                        Note(
                            "note.out_of_range",
                            {"column": source, "count": int(outside.sum()), "low": lo, "high": hi},
                        )
                    )
                    values = values.mask(outside)
            out[f.name] = values
            out[f"__{f.name}_failed"] = reading.failed
            if reading.decimal == ",":
                notes.append(Note("note.decimal_comma", {"column": source}))
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
        notes.append(
            Note(
                "note.amount_from_price",
                {"price": mapping["unit_price"], "quantity": mapping.get("quantity", "1")},
            )
        )

    # Rules shared by all tables that carry a customer id.
    if (
        "customer_id" in out
        and kind != "feedback"
        and (kind != "campaign" or "recipients" not in out)
    ):
        set_aside("missing_customer_id", out["customer_id"].isna())

    future_field = {
        "transactions": "order_date",
        "customers": "signup_date",
        "feedback": "date",
        "campaign": "send_date",
    }[kind]
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
    row_hashes = _row_hashes(frame)
    set_aside("duplicate", pd.Series(row_hashes).duplicated(keep="first").to_numpy())

    returns_rows, returns_value = 0, 0.0
    if kind == "transactions":
        refund = out["amount"] < 0
        if "quantity" in out:
            refund |= out["quantity"] < 0
        if "order_id" in out:
            ids = out["order_id"].fillna("")
            # The "C" prefix marks cancellations only where ordinary invoice numbers are digits (UCI Online Retail).
            if ids.str.fullmatch(r"\d+").mean() > 0.5:
                refund |= ids.str.fullmatch(r"[Cc]\d+")
        if "status" in out:
            refund |= out["status"].fillna("").str.contains(_REFUND_WORDS, regex=True)
        is_return = (reason == 0) & refund.to_numpy(bool)
        returns_rows = int(is_return.sum())
        returns_value = float(out["amount"][is_return].abs().sum())
        set_aside("return_refund", is_return)
        set_aside("zero_amount", out["amount"] == 0)
    elif kind == "customers":
        set_aside(
            "duplicate_customer",
            out["customer_id"].duplicated(keep="first") & out["customer_id"].notna(),
        )
    elif kind == "feedback":
        has_any = np.zeros(n, dtype=bool)
        for name in ("text", "rating", "nps", "csat"):
            if name in out:
                has_any |= out[name].notna().to_numpy()
        set_aside("no_text_or_score", ~has_any)
    elif kind == "campaign":
        set_aside("missing_group", out["group"].isna())
        for name in ("converted", "revenue", "conversions"):
            if name in out:
                set_aside("unreadable_outcome", out[f"__{name}_failed"])

    # Optional fields: unreadable values are blanked, not the row, and counted.
    for f in spec.fields:
        failed = out.get(f"__{f.name}_failed")
        if failed is None:
            continue
        blanked = int((failed.to_numpy(bool) & (reason == 0)).sum())
        if blanked:
            notes.append(
                Note(
                    "note.values_blanked", {"column": mapping.get(f.name, f.name), "count": blanked}
                )
            )

    for f in spec.fields:
        if f.type in ("id", "text", "category") and f.name in out:
            suspicious = int((formula_like(out[f.name].fillna("")) & (reason == 0)).sum())
            if suspicious:
                notes.append(
                    Note("note.formula_cells", {"column": mapping[f.name], "count": suspicious})
                )

    if raw.nul_bytes_removed:
        notes.append(Note("note.nul_bytes", {"count": raw.nul_bytes_removed}))

    kept = reason == 0
    table = pd.DataFrame({k: v for k, v in out.items() if not k.startswith("__")})
    if kind != "transactions":
        # Attributes the contract does not name are kept as they are (customers: "any other attribute").
        for col in frame.columns:
            if col not in mapping.values() and col not in table.columns:
                table[col] = clean_text(frame[col])
    table = _finish_types(table[kept].reset_index(drop=True), kind)

    counts = np.bincount(reason, minlength=len(REASONS) + 1)
    set_aside_counts = {name: int(counts[i + 1]) for i, name in enumerate(REASONS) if counts[i + 1]}
    samples = {
        name: _sample(raw, reason, i + 1)
        for i, name in enumerate(REASONS)
        if counts[i + 1] and name != "ragged_row"
    }
    if raw.ragged_lines:
        set_aside_counts = {"ragged_row": len(raw.ragged_lines), **set_aside_counts}
        ragged = {"line": list(raw.ragged_lines[:SAMPLE_SIZE])}
        if raw.ragged_row_numbers:
            ragged = {"row": list(raw.ragged_row_numbers[:SAMPLE_SIZE]), **ragged}
        samples = {"ragged_row": pd.DataFrame(ragged), **samples}

    if kind == "transactions" and int(kept.sum()) == 0 and n > 0:
        if out["__order_date_failed"].all() or out["order_date"].isna().all():
            column = mapping["order_date"]
            return IngestResult(
                None,
                None,
                Problem(
                    "ingest.no_dates", {"column": column, "examples": _examples(frame[column])}
                ),
            )
        if out["amount"].isna().all():
            column = mapping.get("amount") or mapping.get("unit_price")
            return IngestResult(
                None,
                None,
                Problem(
                    "ingest.no_amounts", {"column": column, "examples": _examples(frame[column])}
                ),
            )

    report = QualityReport(
        kind=kind,
        rows_read=n + len(raw.ragged_lines),
        rows_kept=int(kept.sum()),
        set_aside=set_aside_counts,
        samples=samples,
        notes=tuple(notes),
        returns_rows=returns_rows,
        returns_value=returns_value,
    )
    fingerprint = _fingerprint(raw, table, kind, mapping, date_order, today)
    return IngestResult(table, report, None, fingerprint=fingerprint)


def _finish_types(table: pd.DataFrame, kind: TableKind) -> pd.DataFrame:
    spec = TABLES[kind]
    for f in spec.fields:
        if f.name not in table:
            continue
        if f.type == "category":
            table[f.name] = table[f.name].astype("category")
    if kind == "transactions":
        table = table.drop(columns=[c for c in ("unit_price", "status") if c in table])
        # Categorical ids: every per-customer summary starts from these codes, and
        # a million lines of repeated ids take a fraction of the memory.
        table["customer_id"] = table["customer_id"].astype("category")
    return table


def _examples(text: pd.Series, n: int = 3) -> str:
    """The first few distinct non-blank cells of a column, to show in a message ("" when all are blank)."""
    present = text[text.str.strip() != ""]
    return ", ".join(present.drop_duplicates().head(n))


def _sample(raw: RawTable, reason: np.ndarray, code: int) -> pd.DataFrame:
    rows = np.flatnonzero(reason == code)[:SAMPLE_SIZE]
    sample = raw.frame.iloc[rows].copy()
    # Row numbers as a spreadsheet shows the file (header = row 1), so the user can find them.
    sample.insert(0, "row", raw.spreadsheet_rows(rows))
    return sample.reset_index(drop=True)


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash of every row's cells, for exact-duplicate detection and the fingerprint.

    Each column is factorised (pyarrow's dictionary encoding for text columns) and
    the integer codes are hashed and folded into the row hash, FNV-style. This
    avoids turning a million text cells into Python strings, which is what hashing
    the text directly costs. Collision chance: about 3e-8 for a million rows.
    """
    combined = np.zeros(len(frame), dtype=np.uint64)
    for column in frame.columns:
        codes, _ = pd.factorize(frame[column], use_na_sentinel=False)
        column_hash = pd.util.hash_array(codes.astype(np.int64, copy=False))
        with np.errstate(over="ignore"):
            combined = (combined ^ column_hash) * np.uint64(0x100000001B3)
    return combined


def _fingerprint(raw: RawTable, table: pd.DataFrame, *settings: object) -> str:
    """A content hash that identifies the table in caches (never leaves the session).

    From the file's bytes when the reader recorded them (cheap), else from the table.
    """
    if raw.source_digest:
        digest = hashlib.blake2b(raw.source_digest.encode(), digest_size=16)
    else:
        digest = hashlib.blake2b(
            pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes(), digest_size=16
        )
    digest.update(repr(settings).encode())
    return digest.hexdigest()


def needs_date_order(
    raw: RawTable, kind: TableKind, mapping: dict[str, str | None]
) -> list[tuple[str, OrderEvidence]]:
    """Date columns whose day/month order the user must choose (the data cannot tell)."""
    from core.ingest.coerce import slash_date_evidence

    asks = []
    for f in TABLES[kind].fields:
        source = mapping.get(f.name)
        if f.type == "date" and source:
            evidence = slash_date_evidence(raw.frame[source])
            if evidence in ("ambiguous", "conflict"):
                asks.append((source, evidence))
    return asks
