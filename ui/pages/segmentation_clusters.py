"""Segmentation page, Clusters tab: k-means on chosen features, profiles, the map, customers, breakdown."""

from __future__ import annotations

import streamlit as st

from core.charts import CLUSTER_SELECTION, cluster_scatter_chart, silhouette_chart
from core.clustering import (
    K_CHOICES,
    cluster_customers,
    cluster_labels,
    cluster_points,
    cluster_table,
    feature_choices,
    feature_label,
)
from core.format import fmt_count
from core.segmentation import ListChoice
from ui.charts import show_chart
from ui.common import tr
from ui.pages.segmentation_parts import (
    SegmentationData,
    breakdown,
    customers_of,
    export_buttons,
    selectable_chart,
    show_problems,
)
from ui.state import lang, memo


def clusters_tab(data: SegmentationData) -> None:
    """Clusters of `data`'s customers on the features the user picks, k automatic or chosen."""
    st.markdown(tr("seg.clusters_intro"))
    choices = memo("seg.feature_choices", data.feature_key, lambda: feature_choices(data.features))
    one, two = st.columns([3, 1])
    columns = one.multiselect(
        tr("seg.features"),
        choices.clustering,
        default=choices.default,
        format_func=lambda c: feature_label(c, lang()),
        key="seg_features",
    )
    k = two.selectbox(
        tr("seg.k"),
        [None, *K_CHOICES],
        format_func=lambda v: tr("seg.k_auto") if v is None else str(v),
        key="seg_k",
    )
    cluster_key = (*data.feature_key, tuple(columns), k)
    result = memo(
        "clusters", cluster_key, lambda: cluster_customers(data.features, list(columns), k=k)
    )
    if result.problem:
        show_problems([result.problem])
        return
    show_problems(result.notes)
    show_chart(
        "seg.silhouette",
        cluster_key,
        lambda: silhouette_chart(result.silhouette, result.chosen_k, result.k, lang()),
    )
    st.caption(
        tr(
            "seg.silhouette_help",
            k=result.k,
            best=result.chosen_k,
            n=fmt_count(result.sample_size),
        )
    )
    st.dataframe(
        memo("seg.cluster_table", (*cluster_key, lang()), lambda: cluster_table(result, lang())),
        hide_index=True,
        width="stretch",
        column_config={
            "cluster": st.column_config.TextColumn(tr("seg.col_cluster"), width="medium"),
            "customers": st.column_config.NumberColumn(tr("chart.customers"), format="localized"),
            "share": st.column_config.NumberColumn(tr("chart.share_customers"), format="%.1f%%"),
            "revenue_share": st.column_config.NumberColumn(
                tr("chart.share_revenue"), format="%.1f%%"
            ),
        },
    )
    scatter = selectable_chart(
        "seg.scatter",
        cluster_key,
        lambda: cluster_scatter_chart(cluster_points(result, lang()), lang()),
        "cluster_scatter",
    )
    st.caption(
        tr(
            "seg.projection_help",
            n=fmt_count(len(result.projection)),
            total=fmt_count(len(result.labels)),
        )
        if result.projection_sampled
        else tr("seg.projection_help_all")
    )
    picked = [p["cluster"] for p in scatter.selection.get(CLUSTER_SELECTION, [])] if scatter else []
    names = cluster_labels(result, lang())
    chosen = st.multiselect(
        tr("seg.show_clusters"),
        list(range(result.k)),
        default=picked,
        format_func=names.get,
        # A click on the map makes a new widget, so the clicked cluster becomes its choice.
        key=f"cluster_filter_{'_'.join(map(str, picked))}",
        placeholder=tr("seg.all_clusters"),
    )
    listed = customers_of(data, ListChoice(clusters=tuple(chosen)), result, cluster_key)
    st.dataframe(listed.top, hide_index=True, width="stretch")
    export_buttons(
        listed,
        "clusters_" + ("_".join(str(c + 1) for c in chosen) if chosen else "all"),
        "cluster_export",
    )
    st.subheader(tr("seg.breakdown_title"))
    breakdown(data, result.labels, names, "cluster_breakdown", cluster_key)
