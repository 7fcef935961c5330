"""Upload & map: one uploader per table kind, file settings, column mapping with preview, load."""

from __future__ import annotations

import streamlit as st

from core.format import fmt_count
from core.i18n import field_label
from core.ingest import (
    DELIMITERS,
    ENCODINGS,
    RawTable,
    build_table,
    detect_header,
    guess_mapping,
    missing_required,
    needs_date_order,
    policy_counts,
    read_raw,
    sniff,
)
from core.schema import TABLE_KINDS, TABLES, TableKind
from ui.common import QUALITY_PAGE, demo_banner, plain, row_policy_widgets, show_problem, tr
from ui.state import LoadedTable, get_table, lang, memo, put_table, remove_table

PREVIEW_ROWS = 20
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

st.title(tr("upload.title"))
st.markdown(tr("upload.intro"))
demo_banner()

# Keyed and tracked, so the open tab survives the rerun after a file is loaded.
tabs = st.tabs([tr(f"table.{kind}") for kind in TABLE_KINDS], key="upload_tab", on_change="rerun")


def mapping_widgets(
    kind: TableKind, columns: list[str], guess, file_key: str
) -> dict[str, str | None]:
    """One select box per canonical field, preset to the guess; returns the user's mapping."""
    spec = TABLES[kind]
    # The first field of a required group gets the star; the others say what they replace.
    first_of_group = {group[0] for group in spec.required}
    alternative_to = {name: group[0] for group in spec.required for name in group[1:]}
    mapping: dict[str, str | None] = {}
    options: list[str | None] = [None, *columns]
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
            key=f"map_{kind}_{field.name}_{file_key}",
            help=help_text,
        )
    return mapping


def upload_tab(kind: TableKind) -> None:
    st.markdown(tr(f"upload.about_{kind}"))
    current = get_table(kind)
    if current is not None:
        source = tr("sidebar.demo") if current.is_demo else plain(current.source)
        st.caption(tr("upload.current", source=source, rows=fmt_count(current.report.rows_kept)))
        if not current.is_demo and st.button(
            tr("upload.remove"), key=f"remove_{kind}", icon=":material/delete:"
        ):
            remove_table(kind)
            st.rerun()

    limit_mb = st.get_option("server.maxUploadSize")
    max_bytes = limit_mb * 1024 * 1024
    uploaded = st.file_uploader(
        tr("upload.choose_file", table=tr(f"table.{kind}")),
        type=["csv", "tsv", "txt", "xlsx"],
        key=f"upload_{kind}",
        help=tr("upload.file_help", limit=limit_mb),
    )
    st.caption(tr("upload.limit", limit=limit_mb))
    if uploaded is None:
        return

    data = uploaded.getvalue()
    file_key = uploaded.file_id
    sniffed = memo("sniff", (file_key,), lambda: sniff(data, uploaded.name, max_bytes=max_bytes))
    if sniffed.problem is not None:
        show_problem(sniffed.problem)
        return
    info = sniffed.info

    settings = st.expander(
        tr("upload.file_settings"), expanded=info.format == "excel" and len(info.sheets) > 1
    )
    with settings:
        if info.format == "excel":
            encoding = delimiter = None
            if len(info.sheets) > 1:
                st.warning(tr("upload.several_sheets", n=len(info.sheets)))
            sheet = st.selectbox(
                tr("upload.sheet"),
                info.sheets,
                index=0 if len(info.sheets) == 1 else None,
                placeholder=tr("upload.sheet_placeholder"),
                key=f"sheet_{kind}_{file_key}",
            )
            if sheet is None:
                st.info(tr("upload.choose_sheet"))
                return
        else:
            sheet = None
            left, right = st.columns(2)
            encoding = left.selectbox(
                tr("upload.encoding"),
                ENCODINGS,
                index=ENCODINGS.index(info.encoding) if info.encoding in ENCODINGS else 0,
                format_func=lambda e: (
                    tr(f"encoding.{e}")
                    + (f" · {tr('upload.detected')}" if e == info.encoding else "")
                ),
                key=f"enc_{kind}_{file_key}",
            )
            delimiter = right.selectbox(
                tr("upload.delimiter"),
                DELIMITERS,
                index=DELIMITERS.index(info.delimiter) if info.delimiter in DELIMITERS else 0,
                format_func=lambda d: (
                    tr(f"delimiter.{DELIMITER_NAMES[d]}")
                    + (f" · {tr('upload.detected')}" if d == info.delimiter else "")
                ),
                key=f"delim_{kind}_{file_key}",
            )
    if info.format == "csv":
        st.caption(
            tr(
                "upload.detected_settings",
                encoding=tr(f"encoding.{encoding}"),
                delimiter=tr(f"delimiter.{DELIMITER_NAMES[delimiter]}"),
            )
        )

    read_with = {"encoding": encoding, "delimiter": delimiter, "sheet": sheet}
    detected = memo(
        "header",
        (file_key, encoding, delimiter, sheet),
        lambda: detect_header(data, uploaded.name, **read_with, max_bytes=max_bytes),
    )
    header = settings.checkbox(
        tr("upload.header_row"),
        value=detected,
        key=f"header_{kind}_{file_key}_{encoding}_{delimiter}_{sheet}",
        help=tr("upload.header_row_help"),
    )
    # Quotation marks read as text: offered when one is never closed (not a widget, so
    # that the choice outlives the button that made it).
    quotes_key = f"quotes_text_{kind}_{file_key}"
    quotes = st.session_state.get(quotes_key) or None
    settings_key = (file_key, encoding, delimiter, sheet, header, quotes)
    raw = memo(
        f"raw_{kind}",
        settings_key,
        lambda: read_raw(
            data,
            uploaded.name,
            **read_with,
            header=header,
            quotes_as_text=quotes,
            max_bytes=max_bytes,
        ),
        keep=1,  # a raw table can be large: only the current file settings stay in memory
    )
    if raw.problem is not None:
        show_problem(raw.problem)
    elif quotes:
        st.caption(tr("upload.quotes_as_text_on"))
    if quotes or getattr(raw.problem, "key", None) == "ingest.unterminated_quote":
        label = "upload.quotes_as_quoting" if quotes else "upload.quotes_as_text"
        if st.button(tr(label), key=f"quotes_button_{kind}_{file_key}"):
            st.session_state[quotes_key] = not quotes
            st.rerun()
    if raw.problem is not None:
        return
    for key in ("mixed_encoding", "utf8_as_single_byte"):  # lines in UTF-8: (first, count)
        if (lines := getattr(raw, key)) is not None:
            st.warning(tr(f"note.{key}", line=lines[0], count=lines[1]), icon=":material/warning:")
    columns = list(raw.frame.columns)
    st.caption(tr("upload.read_summary", rows=fmt_count(raw.rows_read), columns=len(columns)))
    if not detected and not header:
        st.caption(tr("upload.no_header"))

    st.subheader(tr("upload.mapping_title"))
    st.caption(tr("upload.mapping_help"))
    guess = memo("guess", (*settings_key, kind), lambda: guess_mapping(raw.frame, kind))
    widget_key = "_".join(map(str, settings_key))
    mapping = mapping_widgets(kind, columns, guess, widget_key)

    chosen = [c for c in mapping.values() if c]
    if len(chosen) != len(set(chosen)):
        st.warning(tr("upload.column_used_twice"))
    missing = missing_required(kind, mapping)
    if missing:
        st.error(
            tr("ingest.missing_required", fields=missing, columns=[plain(c) for c in columns]),
            icon=":material/error:",
        )

    date_order = None
    asks = needs_date_order(raw, kind, mapping) if not missing else []
    for column, evidence in asks:
        examples = ", ".join(raw.frame[column].head(3).tolist())
        date_order = st.radio(
            tr(f"upload.date_order_{evidence}", column=plain(column), examples=plain(examples)),
            options=["dmy", "mdy"],
            index=None,
            format_func=lambda o: tr(f"upload.order_{o}"),
            key=f"order_{kind}_{file_key}_{column}",
            horizontal=True,
        )

    policy = None
    if not missing:
        used = tuple(mapping.get(f) for f in ("customer_id", "amount", "unit_price", "quantity"))
        counts = memo(
            "policy_counts",
            (*settings_key, kind, used),
            lambda: policy_counts(raw, kind, mapping),
        )
        policy = row_policy_widgets(kind, mapping, counts, widget_key)

    as_file, as_read = st.tabs([tr("upload.preview"), tr("upload.preview_read")])
    as_file.dataframe(raw.frame.head(PREVIEW_ROWS), hide_index=True, width="stretch")
    if not missing:
        head = RawTable(raw.frame.head(PREVIEW_ROWS).reset_index(drop=True), raw.info)
        preview = build_table(head, kind, mapping, date_order=date_order, policy=policy)
        if preview.table is not None:
            as_read.caption(tr("upload.preview_read_help"))
            as_read.dataframe(
                preview.table.rename(columns=lambda c: field_label(c, lang())),
                hide_index=True,
                width="stretch",
            )

    blocked = bool(missing) or (bool(asks) and date_order is None)
    if st.button(
        tr("upload.use_file"),
        type="primary",
        disabled=blocked,
        key=f"use_{kind}_{file_key}",
        icon=":material/check:",
    ):
        with st.spinner(tr("upload.reading")):
            result = build_table(raw, kind, mapping, date_order=date_order, policy=policy)
        if result.problem is not None:
            show_problem(result.problem)
            return
        replaced_demo = put_table(
            LoadedTable(kind, result.table, result.report, result.fingerprint, uploaded.name)
        )
        # Shown after a rerun, so that the sidebar, the banner and the captions above
        # (drawn before this button) show the table just stored.
        st.session_state[f"upload_done_{kind}"] = (file_key, replaced_demo, result.report)
        st.rerun()
    done = st.session_state.pop(f"upload_done_{kind}", None)
    if done is not None and done[0] == file_key:
        _, replaced_demo, report = done
        if replaced_demo:
            st.info(tr("upload.demo_removed"), icon=":material/info:")
        st.success(
            tr(
                "upload.loaded",
                kept=fmt_count(report.rows_kept),
                read=fmt_count(report.rows_read),
                aside=fmt_count(report.rows_set_aside),
            ),
            icon=":material/task_alt:",
        )
        st.page_link(QUALITY_PAGE, label=tr("upload.see_quality"), icon=":material/fact_check:")


for tab, kind in zip(tabs, TABLE_KINDS, strict=True):
    with tab:
        upload_tab(kind)
