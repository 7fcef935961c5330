"""Segmentation: RFM segments, k-means clusters and lifecycle stages, with actions, breakdowns and exports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.charts import (
    CLUSTER_SELECTION,
    SEGMENT_SELECTION,
    STAGE_COLORS,
    breakdown_chart,
    cluster_scatter_chart,
    lifecycle_chart,
    rf_grid_chart,
    segment_bar_chart,
    silhouette_chart,
)
from core.clustering import (
    DEFAULT_CLUSTER_FEATURES,
    breakdown_columns,
    cluster_customers,
    cluster_name,
    clustering_columns,
    customer_features,
    feature_label,
)
from core.format import fmt_count, fmt_money, fmt_share
from core.segmentation import (
    SEGMENTS,
    STAGES,
    LifecycleThresholds,
    group_mix,
    lifecycle_by_month,
    move_customers,
    rf_cells,
    segment_grid_table,
    segment_profile,
)
from ui.common import (
    demo_banner,
    download_csv,
    download_excel,
    lifecycle_found,
    message_text,
    require_orders,
    rfm_of,
    stages_of,
    tr,
)
from ui.state import get_table, lang, memo

st.title(tr("seg.title"))
st.markdown(tr("seg.intro"))
demo_banner()

transactions, orders = require_orders()
customers = get_table("customers")
data_key = (transactions.fingerprint, customers.fingerprint if customers else None)
first_day, last_day = orders["order_date"].min().date(), orders["order_date"].max().date()

left, right = st.columns(2)
as_of = left.date_input(
    tr("seg.as_of"),
    value=last_day,
    min_value=first_day,
    max_value=last_day,
    help=tr("seg.as_of_help"),
    key="seg_as_of",
)
monetary = right.radio(
    tr("seg.monetary"),
    ["total", "average"],
    format_func=lambda m: tr(f"seg.monetary_{m}"),
    horizontal=True,
    key="seg_monetary",
)
as_of = pd.Timestamp(as_of)
rfm = rfm_of(transactions, as_of, monetary)
for key in rfm.messages:
    st.warning(tr(key), icon=":material/info:")
if rfm.table.empty:
    st.stop()
features = memo(
    "features",
    (*data_key, as_of),
    lambda: customer_features(
        orders, transactions.table, customers.table if customers else None, as_of
    ),
)


def segment_label(key: str) -> str:
    return tr(f"segment.{key}")


def customer_list(rows: pd.DataFrame) -> pd.DataFrame:
    """The per-customer export: scores, segment, lifecycle stage and cluster in the user's language."""
    out = rows[
        ["recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "rfm_cell"]
    ].copy()
    # Labels are translated once per distinct value, not once per customer.
    segments = rows["rfm_segment"].astype(str)
    names = {s: segment_label(s) for s in segments.unique()}
    out.insert(0, tr("seg.col_segment"), segments.map(names))
    if "stage" in rows:
        stages = rows["stage"].astype(str)
        out[tr("seg.col_stage")] = stages.map({s: tr(f"stage.{s}") for s in stages.unique()})
    if "cluster_label" in rows:
        out[tr("seg.col_cluster")] = rows["cluster_label"]
    out = out.rename(
        columns={
            "recency_days": tr("seg.col_recency"),
            "frequency": tr("seg.col_frequency"),
            "monetary": tr(f"seg.col_monetary_{monetary}"),
            "r_score": "R",
            "f_score": "F",
            "m_score": "M",
            "rfm_cell": tr("seg.col_cell"),
        }
    )
    return out.reset_index().rename(columns={"customer_id": tr("field.customer_id")})


def export_buttons(rows: pd.DataFrame, name: str, key: str) -> None:
    table = customer_list(rows)
    label = fmt_count(len(table))
    one, two = st.columns(2)
    with one:
        download_csv(table, f"{name}.csv", tr("seg.download_csv", n=label), key=f"{key}_csv")
    with two:
        download_excel(table, f"{name}.xlsx", tr("seg.download_excel", n=label), key=f"{key}_xlsx")


def breakdown(
    groups: pd.Series, labels: dict, key: str, colors: dict[str, str] | None = None
) -> None:
    """Break a grouping down by a customer attribute."""
    columns = breakdown_columns(features)
    if not columns:
        st.caption(tr("seg.no_attributes"))
        return
    attribute = st.selectbox(
        tr("seg.breakdown_by"), columns, format_func=lambda c: feature_label(c, lang()), key=key
    )
    mix = group_mix(groups, features[attribute])
    mix["label"] = mix["group"].map(labels)
    mix["order"] = mix["group"].map({g: i for i, g in enumerate(labels)})
    mix["value"] = mix["value"].replace({"unknown": tr("seg.unknown"), "other": tr("seg.other")})
    st.altair_chart(breakdown_chart(mix, lang(), colors), width="stretch")


# Lifecycle stages are computed up front: the customer lists of every tab carry them.
found = lifecycle_found(transactions)
tab_rfm, tab_clusters, tab_life = st.tabs(
    [tr("seg.tab_rfm"), tr("seg.tab_clusters"), tr("seg.tab_lifecycle")]
)

with tab_life:
    st.markdown(tr("seg.lifecycle_intro"))
    if found.message:
        st.info(tr(found.message), icon=":material/info:")
    one, two = st.columns(2)
    active_days = one.number_input(
        tr("seg.active_days"),
        min_value=1,
        max_value=3650,
        value=found.active_days,
        step=1,
        key="seg_active_days",
        help=tr("seg.active_days_help", days=found.active_days),
    )
    churn_days = two.number_input(
        tr("seg.churn_days"),
        min_value=int(active_days),
        max_value=3650,
        value=max(found.churn_days, int(active_days)),
        step=1,
        key="seg_churn_days",
        help=tr("seg.churn_days_help", days=found.churn_days),
    )
    st.caption(
        tr(
            "seg.thresholds_found",
            active=found.active_days,
            churn=found.churn_days,
            gaps=fmt_count(found.n_gaps),
        )
    )
thresholds = LifecycleThresholds(int(active_days), int(churn_days), found.n_gaps)
stages = stages_of(transactions, thresholds, as_of)
people = rfm.table.assign(stage=stages.reindex(rfm.table.index))

with tab_rfm:
    profile_by_segment = segment_profile(rfm.table)
    profile = profile_by_segment.reset_index()
    profile["label"] = profile["segment"].map(segment_label)
    chart_col, grid_col = st.columns([2, 3])
    with chart_col:
        event = st.altair_chart(
            segment_bar_chart(profile, lang()), on_select="rerun", key="seg_bar", width="stretch"
        )
        st.caption(tr("seg.click_hint"))
    grid_col.altair_chart(
        rf_grid_chart(
            rf_cells(rfm.table).assign(label=lambda c: c["segment"].map(segment_label)), lang()
        ),
        width="stretch",
    )

    st.subheader(tr("seg.segments_title"))
    table = pd.DataFrame(
        {
            "segment": profile["label"],
            "what": profile["segment"].map(lambda s: tr(f"segment_help.{s}")),
            "customers": profile["customers"],
            "share": profile["share"] * 100,
            "revenue_share": profile["revenue_share"] * 100,
            "recency": profile["mean_recency_days"],
            "frequency": profile["mean_frequency"],
            "monetary": profile["mean_monetary"],
            "action": profile["segment"].map(lambda s: tr(f"action.{s}")),
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=36 * (len(table) + 1) + 2,
        column_config={
            "segment": st.column_config.TextColumn(tr("seg.col_segment"), width="small"),
            "what": st.column_config.TextColumn(tr("seg.col_what"), width="medium"),
            "customers": st.column_config.NumberColumn(tr("chart.customers"), format="localized"),
            "share": st.column_config.NumberColumn(tr("chart.share_customers"), format="%.1f%%"),
            "revenue_share": st.column_config.NumberColumn(
                tr("chart.share_revenue"), format="%.1f%%"
            ),
            "recency": st.column_config.NumberColumn(tr("seg.col_avg_recency"), format="%.0f"),
            "frequency": st.column_config.NumberColumn(tr("seg.col_avg_frequency"), format="%.1f"),
            "monetary": st.column_config.NumberColumn(
                tr(f"seg.col_avg_monetary_{monetary}"), format="%.2f"
            ),
            "action": st.column_config.TextColumn(tr("seg.col_action"), width="large"),
        },
    )
    with st.expander(tr("seg.rules_title")):
        st.markdown(tr("seg.rules_text"))
        grid = segment_grid_table().map(segment_label)
        grid.index = [f"F{f}" for f in grid.index]
        grid.columns = [f"R{r}" for r in grid.columns]
        st.dataframe(grid, width="stretch")
        st.markdown(tr("seg.tie_rule"))

    picked = [p["segment"] for p in event.selection.get(SEGMENT_SELECTION, [])] if event else []
    st.subheader(tr("seg.customers_title"))
    chosen = st.multiselect(
        tr("seg.show_segments"),
        SEGMENTS,
        default=picked,
        format_func=segment_label,
        key=f"seg_filter_{'_'.join(picked)}",
        placeholder=tr("seg.all_segments"),
    )
    rows = people[people["rfm_segment"].isin(chosen)] if chosen else people
    st.caption(tr("seg.list_caption", n=fmt_count(len(rows))))
    st.dataframe(
        customer_list(rows.sort_values("monetary", ascending=False)).head(1000),
        hide_index=True,
        width="stretch",
    )
    export_buttons(rows, "segments_" + ("_".join(chosen) if chosen else "all"), "seg_export")

    st.subheader(tr("seg.breakdown_title"))
    breakdown(
        rfm.table["rfm_segment"].astype(str),
        {s: segment_label(s) for s in SEGMENTS},
        "seg_breakdown",
    )

    st.subheader(tr("seg.whatif_title"))
    st.caption(tr("seg.whatif_intro"))
    one, two, three = st.columns(3)
    from_segment = one.selectbox(
        tr("seg.whatif_from"), SEGMENTS, index=SEGMENTS.index("at_risk"), format_func=segment_label
    )
    to_segment = two.selectbox(
        tr("seg.whatif_to"), SEGMENTS, index=SEGMENTS.index("loyal"), format_func=segment_label
    )
    share = three.slider(tr("seg.whatif_share"), 0, 100, 10, step=5, format="%d%%") / 100
    move = move_customers(profile_by_segment, from_segment, to_segment, share)
    if move.message:
        st.info(tr(move.message), icon=":material/info:")
    else:
        a, b, c = st.columns(3)
        a.metric(tr("seg.whatif_moved"), fmt_count(move.customers_moved))
        b.metric(
            tr("seg.whatif_change"),
            fmt_money(move.revenue_change),
            delta=fmt_share(move.revenue_change / move.revenue_before)
            if move.revenue_before
            else None,
        )
        c.metric(tr("seg.whatif_after"), fmt_money(move.revenue_after))
        st.caption(
            tr(
                "seg.whatif_reading",
                n=fmt_count(move.customers_moved),
                source=segment_label(from_segment),
                target=segment_label(to_segment),
                per_from=fmt_money(move.revenue_per_customer_from),
                per_to=fmt_money(move.revenue_per_customer_to),
                change=fmt_money(move.revenue_change),
            )
        )

with tab_clusters:
    st.markdown(tr("seg.clusters_intro"))
    options = clustering_columns(features)
    one, two = st.columns([3, 1])
    columns = one.multiselect(
        tr("seg.features"),
        options,
        default=[c for c in DEFAULT_CLUSTER_FEATURES if c in options],
        format_func=lambda c: feature_label(c, lang()),
        key="seg_features",
    )
    k = two.selectbox(
        tr("seg.k"),
        [None, *range(2, 11)],
        format_func=lambda v: tr("seg.k_auto") if v is None else str(v),
        key="seg_k",
    )
    result = memo(
        "clusters",
        (*data_key, as_of, tuple(columns), k),
        lambda: cluster_customers(features, list(columns), k=k),
    )
    if not result.ok:
        st.error(message_text(result.problem), icon=":material/error:")
    else:
        if result.message:
            st.info(message_text(result.problem), icon=":material/info:")
        names = {c: f"{c + 1} · {cluster_name(result.names[c], lang())}" for c in range(result.k)}
        st.altair_chart(
            silhouette_chart(result.silhouette, result.chosen_k, result.k, lang()), width="stretch"
        )
        st.caption(
            tr(
                "seg.silhouette_help",
                k=result.k,
                best=result.chosen_k,
                n=fmt_count(result.sample_size),
            )
        )

        profiles = result.profiles
        summary = pd.DataFrame(
            {
                "cluster": [names[c] for c in profiles.index],
                "customers": profiles["customers"].to_numpy(),
                "share": profiles["share"].to_numpy() * 100,
                "revenue_share": profiles["revenue_share"].to_numpy() * 100,
                **{
                    feature_label(c, lang()): profiles[f"mean:{c}"].round(2).to_numpy()
                    for c in result.columns
                },
            }
        )
        overall = {
            feature_label(c, lang()): round(float(result.overall[c]), 2) for c in result.columns
        }
        summary = pd.concat(
            [
                summary,
                pd.DataFrame(
                    [
                        {
                            "cluster": tr("seg.all_customers"),
                            "customers": int(profiles["customers"].sum()),
                            "share": 100.0,
                            "revenue_share": 100.0,
                            **overall,
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
        st.dataframe(
            summary,
            hide_index=True,
            width="stretch",
            column_config={
                "cluster": st.column_config.TextColumn(tr("seg.col_cluster"), width="medium"),
                "customers": st.column_config.NumberColumn(
                    tr("chart.customers"), format="localized"
                ),
                "share": st.column_config.NumberColumn(
                    tr("chart.share_customers"), format="%.1f%%"
                ),
                "revenue_share": st.column_config.NumberColumn(
                    tr("chart.share_revenue"), format="%.1f%%"
                ),
            },
        )
        points = result.projection.assign(label=lambda p: p["cluster"].map(names))
        scatter = st.altair_chart(
            cluster_scatter_chart(points, lang()),
            on_select="rerun",
            key="cluster_scatter",
            width="stretch",
        )
        st.caption(
            tr("seg.projection_help", n=fmt_count(len(points)), total=fmt_count(len(result.labels)))
            if result.projection_sampled
            else tr("seg.projection_help_all")
        )
        picked_clusters = (
            [p["cluster"] for p in scatter.selection.get(CLUSTER_SELECTION, [])] if scatter else []
        )
        labels = result.labels.reindex(people.index)
        with_clusters = people.assign(cluster=labels, cluster_label=labels.map(names))
        chosen_clusters = st.multiselect(
            tr("seg.show_clusters"),
            list(range(result.k)),
            default=picked_clusters,
            format_func=names.get,
            key=f"cluster_filter_{'_'.join(map(str, picked_clusters))}",
            placeholder=tr("seg.all_clusters"),
        )
        rows = (
            with_clusters[with_clusters["cluster"].isin(chosen_clusters)]
            if chosen_clusters
            else with_clusters
        )
        st.dataframe(
            customer_list(rows.sort_values("monetary", ascending=False)).head(1000),
            hide_index=True,
            width="stretch",
        )
        export_buttons(
            rows,
            "clusters_"
            + ("_".join(str(c + 1) for c in chosen_clusters) if chosen_clusters else "all"),
            "cluster_export",
        )
        st.subheader(tr("seg.breakdown_title"))
        breakdown(result.labels, names, "cluster_breakdown")

with tab_life:
    counts = stages.value_counts().reindex(STAGES, fill_value=0)
    for column, stage in zip(st.columns(len(STAGES)), STAGES, strict=True):
        column.metric(
            tr(f"stage.{stage}"), fmt_count(counts[stage]), help=tr(f"stage_help.{stage}")
        )
    by_month = memo(
        "lifecycle_months",
        (transactions.fingerprint, thresholds),
        lambda: lifecycle_by_month(orders, thresholds),
    )
    by_month = by_month.assign(
        label=by_month["stage"].map(lambda s: tr(f"stage.{s}")),
        order=by_month["stage"].map({s: i for i, s in enumerate(STAGES)}),
    )
    st.altair_chart(lifecycle_chart(by_month, lang()), width="stretch")
    st.dataframe(
        pd.DataFrame(
            {
                "stage": [tr(f"stage.{s}") for s in STAGES],
                "what": [tr(f"stage_help.{s}") for s in STAGES],
                "customers": counts.to_numpy(),
                "share": (counts / max(counts.sum(), 1) * 100).to_numpy(),
                "action": [tr(f"action.stage.{s}") for s in STAGES],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "stage": st.column_config.TextColumn(tr("seg.col_stage")),
            "what": st.column_config.TextColumn(tr("seg.col_what"), width="medium"),
            "customers": st.column_config.NumberColumn(tr("chart.customers"), format="localized"),
            "share": st.column_config.NumberColumn(tr("chart.share_customers"), format="%.1f%%"),
            "action": st.column_config.TextColumn(tr("seg.col_action"), width="large"),
        },
    )
    stage_pick = st.multiselect(
        tr("seg.show_stages"),
        list(STAGES),
        format_func=lambda s: tr(f"stage.{s}"),
        key="stage_filter",
        placeholder=tr("seg.all_stages"),
    )
    rows = people[people["stage"].isin(stage_pick)] if stage_pick else people
    export_buttons(
        rows, "lifecycle_" + ("_".join(stage_pick) if stage_pick else "all"), "stage_export"
    )
    st.subheader(tr("seg.breakdown_title"))
    breakdown(
        stages.astype(str),
        {s: tr(f"stage.{s}") for s in STAGES},
        "stage_breakdown",
        {tr(f"stage.{s}"): STAGE_COLORS[s] for s in STAGES},
    )
