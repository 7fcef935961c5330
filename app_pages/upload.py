"""Upload & map: one uploader per table kind, file settings, column mapping with preview, load.

While the user maps columns the page holds a preview of the file (its first rows and
row count), never its text cells; "Use this file" loads it through the one ingest path
(`core.ingest.ingest_file`, streamed for delimited text).
"""

from __future__ import annotations

import streamlit as st

from core.format import fmt_count
from core.ingest import (
    DELIMITERS,
    ENCODINGS,
    FileInfo,
    FilePreview,
    ReadSettings,
    detect_header,
    ingest_file,
    preview_file,
    sniff,
)
from core.schema import TABLE_KINDS, TableKind
from ui.common import QUALITY_PAGE, demo_banner, plain, show_problem, tr
from ui.pages.upload_mapping import Loading, Upload, held, mapping_section
from ui.state import LoadedTable, get_table, put_table, remove_table

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def quotes_key(kind: TableKind, file_key: str) -> str:
    """Session key of "quotation marks read as text" (not a widget: the choice outlives the
    button that made it)."""
    return f"quotes_text_{kind}_{file_key}"


def current_table(kind: TableKind, current: LoadedTable) -> None:
    """What is loaded now for this kind, and a button to remove an upload."""
    source = tr("sidebar.demo") if current.is_demo else plain(current.source)
    st.caption(tr("upload.current", source=source, rows=fmt_count(current.report.rows_kept)))
    if not current.is_demo and st.button(
        tr("upload.remove"), key=f"remove_{kind}", icon=":material/delete:"
    ):
        remove_table(kind)
        st.rerun()


def file_settings(
    kind: TableKind, upload: Upload, info: FileInfo
) -> tuple[ReadSettings, bool] | None:
    """The file settings expander (sheet, or encoding and delimiter; header row).

    Returns the reading settings and whether the first row was detected as a header;
    None while a workbook's sheet is not chosen.
    """
    box = st.expander(
        tr("upload.file_settings"), expanded=info.format == "excel" and len(info.sheets) > 1
    )
    with box:
        if info.format == "excel":
            encoding = delimiter = None
            if len(info.sheets) > 1:
                st.warning(tr("upload.several_sheets", n=len(info.sheets)))
            sheet = st.selectbox(
                tr("upload.sheet"),
                info.sheets,
                index=0 if len(info.sheets) == 1 else None,
                placeholder=tr("upload.sheet_placeholder"),
                key=f"sheet_{kind}_{upload.file_key}",
            )
            if sheet is None:
                st.info(tr("upload.choose_sheet"))
                return None
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
                key=f"enc_{kind}_{upload.file_key}",
            )
            delimiter = right.selectbox(
                tr("upload.delimiter"),
                DELIMITERS,
                index=DELIMITERS.index(info.delimiter) if info.delimiter in DELIMITERS else 0,
                format_func=lambda d: (
                    tr(f"delimiter.{DELIMITER_NAMES[d]}")
                    + (f" · {tr('upload.detected')}" if d == info.delimiter else "")
                ),
                key=f"delim_{kind}_{upload.file_key}",
            )
    if info.format == "csv":
        st.caption(
            tr(
                "upload.detected_settings",
                encoding=tr(f"encoding.{encoding}"),
                delimiter=tr(f"delimiter.{DELIMITER_NAMES[delimiter]}"),
            )
        )
    detected = held(
        "header",
        kind,
        (upload.file_key, encoding, delimiter, sheet),
        lambda: detect_header(
            upload.data,
            upload.name,
            encoding=encoding,
            delimiter=delimiter,
            sheet=sheet,
            max_bytes=upload.max_bytes,
        ),
    )
    header = box.checkbox(
        tr("upload.header_row"),
        value=detected,
        key=f"header_{kind}_{upload.file_key}_{encoding}_{delimiter}_{sheet}",
        help=tr("upload.header_row_help"),
    )
    quotes = st.session_state.get(quotes_key(kind, upload.file_key)) or None
    return ReadSettings(encoding, delimiter, sheet, header, quotes), detected


def file_read(
    kind: TableKind, upload: Upload, settings: ReadSettings, preview: FilePreview, detected: bool
) -> bool:
    """How the file was read: its problem (and the quotation-mark switch), warnings, the size.

    Returns whether the file can be mapped.
    """
    quotes = settings.quotes_as_text
    if preview.problem is not None:
        show_problem(preview.problem)
    elif quotes:
        st.caption(tr("upload.quotes_as_text_on"))
    if quotes or getattr(preview.problem, "key", None) == "ingest.unterminated_quote":
        label = "upload.quotes_as_quoting" if quotes else "upload.quotes_as_text"
        if st.button(tr(label), key=f"quotes_button_{kind}_{upload.file_key}"):
            st.session_state[quotes_key(kind, upload.file_key)] = not quotes
            st.rerun()
    if preview.problem is not None:
        return False
    for key in ("mixed_encoding", "utf8_as_single_byte"):  # lines in UTF-8: (first, count)
        if (lines := getattr(preview, key)) is not None:
            st.warning(tr(f"note.{key}", line=lines[0], count=lines[1]), icon=":material/warning:")
    st.caption(
        tr("upload.read_summary", rows=fmt_count(preview.rows_read), columns=len(preview.columns))
    )
    if not detected and not settings.header:
        st.caption(tr("upload.no_header"))
    return True


def load_button(kind: TableKind, upload: Upload, settings: ReadSettings, loading: Loading) -> None:
    """ "Use this file": the whole file through the one ingest path, then a rerun."""
    if not st.button(
        tr("upload.use_file"),
        type="primary",
        disabled=loading.blocked,
        key=f"use_{kind}_{upload.file_key}",
        icon=":material/check:",
    ):
        return
    with st.spinner(tr("upload.reading")):
        result = ingest_file(
            upload.data,
            upload.name,
            kind,
            mapping=loading.mapping,
            settings=settings,
            date_order=loading.date_order,
            policy=loading.policy,
            max_bytes=upload.max_bytes,
        )
    if result.problem is not None:
        show_problem(result.problem)
        return
    replaced_demo = put_table(
        LoadedTable(kind, result.table, result.report, result.fingerprint, upload.name)
    )
    # Shown after a rerun, so that the sidebar, the banner and the captions above
    # (drawn before this button) show the table just stored.
    st.session_state[f"upload_done_{kind}"] = (upload.file_key, replaced_demo, result.report)
    st.rerun()


def loaded_message(kind: TableKind, file_key: str) -> None:
    """After "Use this file": what was kept, once."""
    done = st.session_state.pop(f"upload_done_{kind}", None)
    if done is None or done[0] != file_key:
        return
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


def upload_tab(kind: TableKind, current: LoadedTable | None, limit_mb: int) -> None:
    """One table kind: what is loaded, the uploader, and the steps to load a file."""
    st.markdown(tr(f"upload.about_{kind}"))
    if current is not None:
        current_table(kind, current)
    uploaded = st.file_uploader(
        tr("upload.choose_file", table=tr(f"table.{kind}")),
        type=["csv", "tsv", "txt", "xlsx"],
        key=f"upload_{kind}",
        help=tr("upload.file_help", limit=limit_mb),
    )
    st.caption(tr("upload.limit", limit=limit_mb))
    if uploaded is None:
        return
    upload = Upload(uploaded.name, uploaded.getvalue(), uploaded.file_id, limit_mb * 1024 * 1024)
    sniffed = held(
        "sniff",
        kind,
        (upload.file_key,),
        lambda: sniff(upload.data, upload.name, max_bytes=upload.max_bytes),
    )
    if sniffed.problem is not None:
        show_problem(sniffed.problem)
        return
    chosen = file_settings(kind, upload, sniffed.info)
    if chosen is None:
        return
    settings, detected = chosen
    # The first rows, the row count and the guessed mapping's counts, read in one pass:
    # the file's cells are not held while the user maps its columns.
    preview = held(
        "preview",
        kind,
        (upload.file_key, settings),
        lambda: preview_file(upload.data, upload.name, kind, settings, max_bytes=upload.max_bytes),
    )
    if not file_read(kind, upload, settings, preview, detected):
        return
    loading = mapping_section(kind, upload, settings, preview)
    load_button(kind, upload, settings, loading)
    loaded_message(kind, upload.file_key)


def main() -> None:
    st.title(tr("upload.title"))
    st.markdown(tr("upload.intro"))
    demo_banner()
    # Keyed and tracked, so the open tab survives the rerun after a file is loaded.
    labels = [tr(f"table.{kind}") for kind in TABLE_KINDS]
    tabs = st.tabs(labels, key="upload_tab", on_change="rerun")
    limit_mb = st.get_option("server.maxUploadSize")
    for tab, kind in zip(tabs, TABLE_KINDS, strict=True):
        with tab:
            upload_tab(kind, get_table(kind), limit_mb)


if __name__ == "__main__":  # as Streamlit runs a page; importing it (tests) draws nothing
    main()
