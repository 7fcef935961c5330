"""Data quality: for every loaded table, where each input row went and why."""

from __future__ import annotations

import streamlit as st

from core.charts import set_aside_chart
from core.format import fmt_count, fmt_money, fmt_share
from core.ingest import QualityReport
from core.schema import TABLE_KINDS, TableKind
from ui.charts import show_chart
from ui.common import demo_banner, download_csv, message_text, plain, rules_used, tr
from ui.state import LoadedTable, lang, loaded_tables


def row_counts(report: QualityReport) -> None:
    """Rows read, kept and set aside, and the sentence that says they add up."""
    read_col, kept_col, aside_col = st.columns(3)
    read_col.metric(
        tr("quality.rows_read"), fmt_count(report.rows_read), help=tr("quality.rows_read_help")
    )
    kept_col.metric(
        tr("quality.rows_kept"), fmt_count(report.rows_kept), help=tr("quality.rows_kept_help")
    )
    aside_col.metric(
        tr("quality.rows_set_aside"),
        fmt_count(report.rows_set_aside),
        help=tr("quality.rows_set_aside_help"),
    )
    if report.balanced:
        st.caption(
            tr(
                "quality.balanced",
                read=fmt_count(report.rows_read),
                kept=fmt_count(report.rows_kept),
                aside=fmt_count(report.rows_set_aside),
            )
        )
    else:  # cannot happen by construction; say so loudly if it ever does
        st.error(tr("quality.unbalanced"))


def set_aside(kind: TableKind, report: QualityReport, fingerprint: str) -> None:
    """The reasons rows were set aside (table and chart) and samples of each."""
    found = report.reasons_table()
    names = found["reason"].tolist()
    reasons = found.assign(
        reason=[tr(f"reason.{name}") for name in names],
        share=[fmt_share(share) for share in found["share"].tolist()],
        what=[tr(f"reason_help.{name}") for name in names],
    )
    left, right = st.columns([3, 2])
    left.dataframe(
        reasons,
        hide_index=True,
        width="stretch",
        column_config={
            "reason": st.column_config.TextColumn(tr("quality.col_reason"), width="medium"),
            "rows": st.column_config.NumberColumn(
                tr("quality.col_rows"), format="localized", width="small"
            ),
            "share": st.column_config.TextColumn(tr("quality.col_share"), width="small"),
            "what": st.column_config.TextColumn(tr("quality.col_what"), width="large"),
        },
    )
    show_chart(
        "quality.set_aside",
        (fingerprint,),
        lambda: set_aside_chart(reasons[["reason", "rows"]], lang()),
        where=right,
    )
    with st.expander(tr("quality.samples_title")):
        st.caption(tr("quality.samples_help"))
        for name, sample in report.samples.items():
            st.markdown(f"**{tr(f'reason.{name}')}** · {fmt_count(report.set_aside.get(name, 0))}")
            st.dataframe(sample.head(10), hide_index=True, width="stretch")
            download_csv(
                sample,
                f"{kind}_{name}_sample.csv",
                tr("quality.download_sample", n=fmt_count(len(sample))),
                key=f"dl_{kind}_{name}",
            )


def table_section(kind: TableKind, loaded: LoadedTable) -> None:
    """One loaded table: its rows, why some were set aside, its rules and notes."""
    report = loaded.report
    source = tr("sidebar.demo") if loaded.is_demo else plain(loaded.source)
    st.subheader(f"{tr(f'table.{kind}')} · {source}")
    row_counts(report)
    if report.set_aside:
        set_aside(kind, report, loaded.fingerprint)
    else:
        st.success(tr("quality.all_kept"), icon=":material/task_alt:")
    if kind == "transactions":
        st.info(
            tr(
                "quality.returns_policy",
                rows=fmt_count(report.returns_rows),
                value=fmt_money(report.returns_value),
            ),
            icon=":material/assignment_return:",
        )
    st.markdown(f"**{tr('quality.rules_title')}**")
    for sentence in rules_used(report):
        st.caption(":material/rule: " + sentence)
    for note in report.notes:
        st.caption(":material/info: " + message_text(note))
    st.divider()


def main() -> None:
    st.title(tr("quality.title"))
    st.markdown(tr("quality.intro"))
    demo_banner()
    tables = loaded_tables()
    if not tables:
        st.info(tr("quality.nothing_loaded"))
    for kind in TABLE_KINDS:
        loaded = tables.get(kind)
        if loaded is not None:
            table_section(kind, loaded)


if __name__ == "__main__":  # as Streamlit runs a page; importing it (tests) draws nothing
    main()
