"""Segmentation page: the inputs every tab takes, and the parts tabs share (problems, lists, breakdowns)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from core.charts import breakdown_chart
from core.clustering import ClusterResult, cluster_labels, feature_choices, feature_label
from core.format import fmt_count
from core.problems import Problem
from core.segmentation import (
    CustomerList,
    LifecycleThresholds,
    ListChoice,
    MonetaryKind,
    RfmResult,
    breakdown_table,
    customer_list,
)
from ui.charts import show_chart
from ui.common import (
    download_csv,
    download_excel,
    features_of,
    message_text,
    orders_of,
    rfm_of,
    stages_of,
    tr,
)
from ui.state import LoadedTable, lang, memo

# Customer lists kept per session: the three tabs' lists and a few recent choices.
KEEP_LISTS = 8


@dataclass(frozen=True)
class SegmentationData:
    """What every tab of the page works from: the shared per-customer tables and their cache keys.

    rfm_key: transactions' fingerprint, analysis day, monetary rule (the RFM table);
    stage_key: fingerprint, thresholds, day (the stages); feature_key: the
    transactions' and customers' fingerprints and the day (the feature table).
    """

    rfm_key: tuple[Hashable, ...]
    stage_key: tuple[Hashable, ...]
    feature_key: tuple[Hashable, ...]
    monetary: MonetaryKind
    thresholds: LifecycleThresholds
    orders: pd.DataFrame
    rfm: RfmResult
    stages: pd.Series
    features: pd.DataFrame


def segmentation_data(
    transactions: LoadedTable,
    customers: LoadedTable | None,
    as_of: pd.Timestamp,
    monetary: MonetaryKind,
    thresholds: LifecycleThresholds,
) -> SegmentationData:
    """The page's inputs for one analysis day, monetary rule and thresholds, from the shared cache."""
    day = pd.Timestamp(as_of).normalize()
    fingerprint = transactions.fingerprint
    return SegmentationData(
        rfm_key=(fingerprint, day, monetary),
        stage_key=(fingerprint, thresholds, day),
        feature_key=(fingerprint, customers.fingerprint if customers else None, day),
        monetary=monetary,
        thresholds=thresholds,
        orders=orders_of(transactions),
        rfm=rfm_of(transactions, day, monetary),
        stages=stages_of(transactions, thresholds, day),
        features=features_of(transactions, customers, day),
    )


def show_problems(problems: Sequence[Problem]) -> None:
    """Each problem where the user looks, in the box its severity calls for."""
    for found in problems:
        if found.severity == "error":
            st.error(message_text(found), icon=":material/error:")
        elif found.severity == "warning":
            st.warning(message_text(found), icon=":material/info:")
        else:
            st.info(message_text(found), icon=":material/info:")


def customers_of(
    data: SegmentationData,
    choice: ListChoice,
    clusters: ClusterResult | None = None,
    cluster_key: tuple[Hashable, ...] = (),
) -> CustomerList:
    """The customer list of a choice in the session's language, built once per key."""
    language = lang()
    return memo(
        "seg.list",
        (*data.rfm_key, data.thresholds, *cluster_key, choice, language),
        lambda: customer_list(
            data.rfm.table,
            data.monetary,
            language,
            choice,
            stages=data.stages,
            clusters=clusters.labels if clusters else None,
            cluster_names=cluster_labels(clusters, language) if clusters else None,
        ),
        keep=KEEP_LISTS,
    )


def export_buttons(listed: CustomerList, name: str, key: str) -> None:
    """CSV and Excel downloads of a customer list (built only when clicked)."""
    label = fmt_count(listed.customers)
    one, two = st.columns(2)
    with one:
        download_csv(listed.table, f"{name}.csv", tr("seg.download_csv", n=label), key=f"{key}_csv")
    with two:
        download_excel(
            listed.table, f"{name}.xlsx", tr("seg.download_excel", n=label), key=f"{key}_xlsx"
        )


def breakdown(
    data: SegmentationData,
    groups: pd.Series,
    names: Mapping[object, str],
    key: str,
    group_key: tuple[Hashable, ...],
    colors: dict[str, str] | None = None,
) -> None:
    """Break a grouping (segments, clusters, stages) down by a customer attribute the user picks.

    `group_key` is the cache key of the grouping; `names` every group's name in order.
    """
    choices = memo("seg.feature_choices", data.feature_key, lambda: feature_choices(data.features))
    if not choices.breakdown:
        st.caption(tr("seg.no_attributes"))
        return
    attribute = st.selectbox(
        tr("seg.breakdown_by"),
        choices.breakdown,
        format_func=lambda c: feature_label(c, lang()),
        key=key,
    )
    show_chart(
        f"seg.{key}",
        (*group_key, *data.feature_key, attribute),
        lambda: breakdown_chart(
            breakdown_table(groups, data.features, attribute, names, lang()), lang(), colors
        ),
    )


def selectable_chart(
    name: str,
    key: tuple[Hashable, ...],
    build: Callable[[], alt.TopLevelMixin],
    widget_key: str,
    where: Any = None,
) -> Any:
    """A chart whose clicks rerun the page (`show_chart` with a selection under a widget key)."""
    return show_chart(name, key, build, where=where, widget_key=widget_key, on_select="rerun")
