"""Upload page, second half: which column is which, the questions and row rules, the preview."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st

from core.i18n import field_label
from core.ingest import (
    PREVIEW_ROWS,
    DateOrder,
    FilePreview,
    MappingGuess,
    ReadSettings,
    RowPolicy,
    missing_required,
    preview_table,
    survey_file,
    survey_inputs,
)
from core.schema import TABLES, TableKind
from ui.common import plain, row_policy_widgets, show_problem, tr
from ui.state import lang, memo

T = TypeVar("T")


@dataclass(frozen=True)
class Upload:
    """An uploaded file as the page's parts need it (the bytes Streamlit holds anyway)."""

    name: str
    data: bytes
    file_key: str  # Streamlit's id of this upload
    max_bytes: int


@dataclass(frozen=True)
class Loading:
    """What the user chose for loading a file: the mapping, the date order, the row rules."""

    mapping: dict[str, str | None]
    date_order: DateOrder | None
    policy: RowPolicy | None
    blocked: bool  # a required field missing, or a question not answered


def held(name: str, kind: TableKind, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """`compute()` once for `key`, held in the session for this table kind (one value a name).

    Not `ui.state.memo`: loading a table clears memo's cache (its results depend on the
    loaded tables), and an upload's sniffing, preview and survey do not: after "Use this
    file" the page would read the whole file again to show what it showed before.
    """
    slot = f"_upload_{name}_{kind}"
    found = st.session_state.get(slot)
    if found is not None and found[0] == key:
        return found[1]
    value = compute()
    st.session_state[slot] = (key, value)
    return value


def widget_suffix(file_key: str, settings: ReadSettings) -> str:
    """The part of the mapping widgets' keys that changes with the file and its settings."""
    parts = (file_key, settings.encoding, settings.delimiter, settings.sheet, settings.header)
    return "_".join(map(str, (*parts, settings.quotes_as_text)))


def mapping_widgets(
    kind: TableKind, columns: list[str], guess: MappingGuess, suffix: str
) -> dict[str, str | None]:
    """One select box per canonical field, preset to the guess; returns the user's mapping."""
    spec = TABLES[kind]
    # The first field of a required group gets the star; the others say what they replace.
    first_of_group = {group[0] for group in spec.required}
    alternative_to = {name: group[0] for group in spec.required for name in group[1:]}
    mapping: dict[str, str | None] = {}
    options = [None, *columns]
    grid = st.columns(3)
    for i, field in enumerate(spec.fields):
        guessed = guess.columns.get(field.name)
        how = guess.matched_by.get(field.name)
        label = field_label(field.name, lang())
        if field.name in first_of_group:
            label += " *"
        elif field.name in alternative_to:
            label += " " + tr(
                "upload.instead_of", field=field_label(alternative_to[field.name], lang())
            )
        help_text = tr(f"field_help.{field.name}")
        if how:
            help_text += "  \n" + tr(f"upload.matched_by_{how}")
        mapping[field.name] = grid[i % 3].selectbox(
            label,
            options,
            index=options.index(guessed) if guessed in options else 0,
            format_func=lambda c: tr("upload.not_in_file") if c is None else c,
            key=f"map_{kind}_{field.name}_{suffix}",
            help=help_text,
        )
    return mapping


def mapping_section(
    kind: TableKind, upload: Upload, settings: ReadSettings, preview: FilePreview
) -> Loading:
    """The mapping, the day/month questions and the row rules, then the preview tabs."""
    st.subheader(tr("upload.mapping_title"))
    st.caption(tr("upload.mapping_help"))
    suffix = widget_suffix(upload.file_key, settings)
    mapping = mapping_widgets(kind, preview.columns, preview.guess, suffix)

    chosen = [column for column in mapping.values() if column]
    if len(chosen) != len(set(chosen)):
        st.warning(tr("upload.column_used_twice"))
    missing = missing_required(kind, mapping)
    if missing:
        columns = [plain(c) for c in preview.columns]
        st.error(
            tr("ingest.missing_required", fields=missing, columns=columns), icon=":material/error:"
        )
        preview_tabs(kind, upload, settings, preview, None)
        return Loading(mapping, None, None, blocked=True)

    # Read off every row with the preview, for the guessed mapping; the file is read
    # again (in chunks) only when a column these depend on is mapped otherwise.
    survey = held(
        "survey",
        kind,
        (upload.file_key, settings, survey_inputs(kind, mapping)),
        lambda: survey_file(
            upload.data,
            upload.name,
            kind,
            mapping,
            settings,
            preview=preview,
            max_bytes=upload.max_bytes,
        ),
    )
    if survey.problem is not None:
        show_problem(survey.problem)
        return Loading(mapping, None, None, blocked=True)
    date_order = None
    for question in survey.date_questions:
        date_order = st.radio(
            tr(
                f"upload.date_order_{question.evidence}",
                column=plain(question.column),
                examples=plain(", ".join(question.examples)),
            ),
            options=["dmy", "mdy"],
            index=None,
            format_func=lambda o: tr(f"upload.order_{o}"),
            key=f"order_{kind}_{upload.file_key}_{question.column}",
            horizontal=True,
        )
    policy = row_policy_widgets(kind, mapping, survey.rule_counts, suffix)
    loading = Loading(
        mapping, date_order, policy, blocked=bool(survey.date_questions) and date_order is None
    )
    preview_tabs(kind, upload, settings, preview, loading)
    return loading


def preview_tabs(
    kind: TableKind,
    upload: Upload,
    settings: ReadSettings,
    preview: FilePreview,
    loading: Loading | None,
) -> None:
    """The first rows as the file has them, and (once mapped) as they will be read."""
    as_file, as_read = st.tabs([tr("upload.preview"), tr("upload.preview_read")])
    as_file.dataframe(preview.head.head(PREVIEW_ROWS), hide_index=True, width="stretch")
    if loading is None:
        return
    key = (upload.file_key, settings, kind, tuple(loading.mapping.items()))
    shown = memo(
        "preview_read",
        (*key, loading.date_order, loading.policy),
        lambda: preview_table(
            preview,
            kind,
            loading.mapping,
            date_order=loading.date_order,
            policy=loading.policy,
        ),
        keep=4,
    )
    if shown.table is not None:
        as_read.caption(tr("upload.preview_read_help"))
        as_read.dataframe(
            shown.table.rename(columns=lambda c: field_label(c, lang())),
            hide_index=True,
            width="stretch",
        )
