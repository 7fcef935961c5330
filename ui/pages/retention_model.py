"""Retention page: the churn-risk model tab (trained once per data set and settings)."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st

from core.charts.retention import calibration_chart, importance_chart
from core.churn_model import (
    AUC_HELP,
    DEFAULT_HORIZON_DAYS,
    PRECISION_TOP_LABEL,
    SUB_MODEL_INTRO,
    ChurnModelResult,
    drivers_markdown,
    importance_table,
    left_out_text,
    prepare_history,
    prepare_subscribers,
    train_churn_model,
    train_subscription_model,
)
from core.format import fmt_count, fmt_share
from ui.charts import show_chart
from ui.common import message_text, plain, tr
from ui.pages.retention_parts import RetentionData, show, threshold_of
from ui.state import lang, memo

HORIZONS = (30, 60, 90, 180)  # days the model can predict churn over


def _train(fit: Callable) -> ChurnModelResult:
    with st.status(tr("retention.training"), expanded=True) as status:
        bar = st.progress(0.0)
        result = fit(lambda fraction, key: bar.progress(fraction, text=tr(key)))
        status.update(label=tr("retention.trained"), state="complete", expanded=False)
    return result


def model_tab(
    data: RetentionData, churn_days: int | None
) -> tuple[ChurnModelResult, tuple[Hashable, ...]]:
    """Train (once per data and settings) and judge the churn-risk model; returns it and its cache key."""
    sources = (["history"] if data.transactions is not None else []) + (
        ["subscription"] if data.subscription else []
    )
    source = (
        st.radio(
            tr("retention.model_source"),
            sources,
            format_func=lambda s: tr(f"retention.model_source_{s}"),
            key="retention_model_source",
            horizontal=True,
        )
        if len(sources) > 1
        else sources[0]
    )
    st.markdown(
        message_text(SUB_MODEL_INTRO) if source == "subscription" else tr("retention.model_intro")
    )
    if source == "subscription":
        table = data.customers.table
        subscribers = memo(
            "ret_subscribers", (data.cu_key,), lambda: prepare_subscribers(table), keep=1
        )
        if subscribers.unknown:
            st.caption(tr("retention.sub_unknown", n=fmt_count(subscribers.unknown)))
        key = ("subscription", data.cu_key)
        model = memo(
            "ret_sub_model",
            (data.cu_key,),
            lambda: _train(lambda p: train_subscription_model(subscribers, p)),
            keep=1,
        )
    else:
        horizon = st.selectbox(
            tr("retention.horizon"),
            HORIZONS,
            index=HORIZONS.index(DEFAULT_HORIZON_DAYS),
            format_func=lambda d: tr("retention.horizon_days", days=d),
            key="retention_horizon",
            help=tr("retention.horizon_help"),
        )
        customers = data.customers.table if data.customers else None
        history = memo(
            "ret_history",
            data.key,
            lambda: prepare_history(data.orders, data.transactions.table, customers),
            keep=1,
        )
        days = churn_days if churn_days is not None else threshold_of(data)[0]
        key = ("history", *data.key, days, horizon)
        model = memo(
            "ret_model",
            (*data.key, days, horizon),
            lambda: _train(lambda p: train_churn_model(history, days, horizon, progress=p)),
            keep=2,
        )
    if model.problem is not None:
        show(model.problem)
    else:
        model_figures(model, key)
    return model, key


def model_figures(model: ChurnModelResult, key: tuple[Hashable, ...]) -> None:
    """How good the model is, what drives the risk, and the columns it left out."""
    st.caption(message_text(model.caption))
    a, b, c = st.columns(3)
    a.metric(tr("retention.metric_auc"), message_text(model.auc_value), help=message_text(AUC_HELP))
    b.metric(
        message_text(PRECISION_TOP_LABEL),
        fmt_share(model.precision_top),
        help=message_text(model.precision_help),
    )
    c.metric(
        tr(model.key("metric_base_rate")),
        fmt_share(model.base_rate),
        help=message_text(model.base_rate_help),
    )
    st.caption(message_text(model.auc_interval_reading))
    st.markdown(message_text(model.auc_reading))
    left, right = st.columns([2, 3])
    with left:
        show_chart(
            "retention.calibration", key, lambda: calibration_chart(model.calibration, lang())
        )
        st.caption(tr("retention.calibration_help"))
    with right:
        show_chart(
            "retention.importance",
            key,
            lambda: importance_chart(importance_table(model, lang()), lang()),
        )
        st.caption(tr("retention.importance_help"))
    if model.quality != "none":
        st.markdown(drivers_markdown(model, lang(), plain))
    if model.left_out:
        st.caption(left_out_text(model, lang()))
