"""The Lifetime value page's views: one call per view, each a frozen result ready to draw.

The page's flow, each step cached by the caller under the data's fingerprints and the
settings object it takes:

    choice = cutoff_choice(orders)                        # the cut-off widget's range
    values = fit_values(orders, ModelSettings("weeks", "bgnbd"))   # models on all data
    check = check_model(orders, settings, cutoff)         # the holdout check
    blocks = [forecast_block(values, b) for b in range(forecast_blocks(horizon))]
    fc = horizon_forecast(values, blocks, horizon)        # the forecast over the horizon
    view = value_view(values, fc, WhatIf(0.3, 0.1, 12))   # what-if: milliseconds
    groups = customer_groups(values.customers, segments, features)
    breakdown = value_breakdown(view, groups, attribute, segment_names)

Readings are `Problem`s of severity "info" whose number parameters are already
formatted (`core.format`), so `ui.common.message_text` shows them as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.calendar import DAYS_PER_MONTH
from core.clustering import breakdown_columns, feature_label
from core.clv.data import UNIT_DAYS, ClvData, TimeUnit, default_cutoff, rfm_summary
from core.clv.models import (
    PurchaseFit,
    PurchaseModelName,
    SpendFit,
    dropout_is_uncertain,
    fit_purchases,
    fit_spend,
    parameter_table,
    purchase_reading,
    spend_spread,
)
from core.clv.validation import (
    HoldoutCheck,
    holdout_by_frequency,
    holdout_check,
    tracking_curve,
)
from core.clv.value import (
    MAX_HORIZON_MONTHS,
    OPEN_END_QUANTILE,
    TOP_VALUE_SHARE,
    Forecast,
    ForecastBase,
    NewCustomerValue,
    Uplift,
    acquisition_table,
    acquisition_verdict,
    clv_distribution,
    cumulative_purchases,
    customer_clv,
    customer_table,
    forecast_base,
    forecast_from,
    frequency_recency_matrix,
    new_customer_value,
    top_positions,
    value_by_group,
    value_share_of_top,
)
from core.format import fmt_count, fmt_money, fmt_share
from core.problems import Problem, problem
from core.summary import require_columns

# The forecast is computed in blocks of months, each once per fitted model: a longer
# horizon adds blocks, a shorter one reuses the first. Months 1-60 at once cost 8 s for
# 100k customers (BG/NBD, 77k distinct histories) against 0.9 s for the first 12.
FORECAST_BLOCK_MONTHS = 12
TOP_LIST = 100  # the top customers by CLV whose activity is read out
SLIPPING_P_ALIVE = 0.5  # below this chance of being active a top customer is "slipping"
MIN_GROUP_CUSTOMERS = 20  # groups smaller than this are not named best or worst
SEASONAL_MIN_DAYS = 180  # history before a one-year holdout needed to suggest that cut-off
SHOWN_CUSTOMERS = 1000  # rows of the customer table shown on the page (the download has all)
CHANNEL_COLUMNS = ("channel", "first_order_channel")


@dataclass(frozen=True)
class ModelSettings:
    """The page's main choices: the unit the parameters are shown in and the purchase model."""

    unit: TimeUnit = "weeks"
    model: PurchaseModelName = "bgnbd"


@dataclass(frozen=True)
class WhatIf:
    """The What-if assumptions: margin (0.3 = 30%), annual discount rate and horizon in months."""

    margin: float = 0.3
    annual_discount: float = 0.1
    horizon_months: int = 12


# ---------------------------------------------------------------------------
# The cut-off
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CutoffChoice:
    """The days the calibration cut-off may take, and the one suggested.

    `problem` ("clv.one_day", a warning) when every purchase is on one day: there is
    nothing to learn from and no cut-off to choose.
    """

    first_day: pd.Timestamp
    last_day: pd.Timestamp
    earliest: dt.date
    latest: dt.date
    suggested: dt.date
    problem: Problem | None = None


def cutoff_choice(orders: pd.DataFrame) -> CutoffChoice:
    """From the day after the first purchase to the day before the last; suggested: `default_cutoff`."""
    require_columns(orders, ("order_date",))
    first_day = orders["order_date"].min().normalize()
    last_day = orders["order_date"].max().normalize()
    earliest = (first_day + pd.Timedelta(days=1)).date()
    latest = max(earliest, (last_day - pd.Timedelta(days=1)).date())
    suggested = min(max(default_cutoff(orders).date(), earliest), latest)
    found = problem("clv.one_day", "warning") if last_day <= first_day else None
    return CutoffChoice(first_day, last_day, earliest, latest, suggested, found)


# ---------------------------------------------------------------------------
# Customer values: the models fitted on all data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ParameterRow:
    """A fitted parameter as shown: estimate (4 significant digits), SE (2) and 95% interval."""

    name: str
    estimate: str
    se: str
    interval: str


@dataclass(frozen=True)
class ValueModel:
    """The purchase and spend models fitted on all data, and what the page reads from them.

    `problems`: the data's and the fit's warnings, then notes about the fit (info).
    Without a fit (`fit` None) there is nothing else. `readings`: the purchase model's
    parameters in a marketer's words (info, in order); `spend_reading` and
    `spend_notes` the same for the spend model.
    """

    settings: ModelSettings
    data: ClvData
    fit: PurchaseFit | None
    spend: SpendFit | None = None
    base: ForecastBase | None = None
    problems: tuple[Problem, ...] = ()
    dropout_uncertain: bool = False
    parameters: tuple[ParameterRow, ...] = ()
    readings: tuple[Problem, ...] = ()
    spend_parameters: tuple[ParameterRow, ...] = ()
    spend_reading: tuple[Problem, ...] = ()
    spend_notes: tuple[Problem, ...] = ()

    @property
    def customers(self) -> pd.Index:
        return self.data.summary.index


def parameter_rows(
    params: Mapping[str, float], errors: Mapping[str, float]
) -> tuple[ParameterRow, ...]:
    """`parameter_table` formatted for people (estimate ± 1.96 SE as "low – high")."""
    table = parameter_table(dict(params), dict(errors))
    return tuple(
        ParameterRow(name, f"{value:.4g}", f"{se:.2g}", f"{low:.4g} – {high:.4g}")
        for name, value, se, low, high in table.itertuples(index=False)
    )


def fit_values(orders: pd.DataFrame, settings: ModelSettings) -> ValueModel:
    """The customer values' models: the purchase model and Gamma-Gamma on all the data.

    orders: customer_id, order_date, amount (`core.summary.orders_table`).
    """
    data = rfm_summary(orders, unit=settings.unit)
    problems = [p for p in data.problems if p.key != "clv.no_holdout"]
    result = fit_purchases(data.summary, settings.model)
    if result.fit is None:
        failure = result.problem or problem("clv.fit_failed", "warning")
        if failure.key not in {p.key for p in problems}:
            problems.append(failure)
        return ValueModel(settings, data, None, problems=tuple(problems))
    fit = result.fit
    spend = fit_spend(data.summary)
    uncertain = dropout_is_uncertain(fit)
    return ValueModel(
        settings,
        data,
        fit,
        spend,
        forecast_base(data, fit, spend),
        (*problems, *fit.problems),
        uncertain,
        parameter_rows(fit.params, fit.standard_errors),
        _purchase_readings(fit, settings.unit),
        parameter_rows(spend.params, spend.standard_errors) if spend.fitted else (),
        _spend_reading(spend),
        _spend_notes(spend),
    )


def _purchase_readings(fit: PurchaseFit, unit: TimeUnit) -> tuple[Problem, ...]:
    reading = purchase_reading(fit, UNIT_DAYS[unit])
    lines = [
        problem(
            "clv.reading_rate",
            "info",
            per_month=f"{reading.purchases_per_month:.2f}",
            days=f"{reading.days_between:.0f}",
        )
    ]
    if reading.dropout_uncertain:
        lines.append(problem("clv.reading_dropout_unknown", "info"))
    elif reading.dropout_per_purchase is not None:
        share = fmt_share(reading.dropout_per_purchase)
        lines.append(problem("clv.reading_dropout_purchase", "info", share=share))
    elif reading.dropout_year is not None:
        lines.append(
            problem("clv.reading_dropout_year", "info", share=fmt_share(reading.dropout_year))
        )
    lines.append(problem("clv.reading_uneven" if reading.uneven else "clv.reading_even", "info"))
    return tuple(lines)


def _spend_reading(spend: SpendFit) -> tuple[Problem, ...]:
    """The average purchase (and how much customers differ), as one paragraph of one or two parts."""
    if not spend.fitted:
        return ()
    mean, n = fmt_money(spend.population_mean), fmt_count(spend.n_customers)
    parts = [problem("clv.spend_reading", "info", mean=mean, n=n)]
    spread = spend_spread(spend)
    if spread:
        parts.append(problem("clv.spend_spread", "info", spread=fmt_share(spread, 0)))
    return tuple(parts)


def _spend_notes(spend: SpendFit) -> tuple[Problem, ...]:
    """Purchases of 0 and the frequency-spend check, as the page's captions."""
    notes = []
    if spend.zero_purchases:
        notes.append(problem("clv.spend_zero_counted", "info", n=fmt_count(spend.zero_purchases)))
    if spend.left_out:
        notes.append(problem("clv.spend_zero_left_out", "info", n=fmt_count(spend.left_out)))
    if pd.notna(spend.correlation):
        correlated = any(p.key == "clv.spend_correlated" for p in spend.problems)
        key = "clv.correlation_bad" if correlated else "clv.correlation_ok"
        notes.append(problem(key, "info", r=f"{spend.correlation:.2f}"))
    return tuple(notes)


# ---------------------------------------------------------------------------
# The holdout check
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HoldoutView:
    """The model fitted up to a cut-off and checked on the purchases after it.

    `problem`: why there is no check (the fit's warning, or "clv.no_holdout" as info);
    otherwise `check`, `by_frequency` and `tracking` are set and `verdict` reads the
    check. When the check is poor, `hint` says why: "seasonal" (then `direction`
    "over"/"under" and `year_cutoff`, a cut-off one year before the last day) or
    "short" (less than SEASONAL_MIN_DAYS of history before such a cut-off).
    """

    settings: ModelSettings
    data: ClvData
    fit: PurchaseFit | None
    spend: SpendFit
    problem: Problem | None = None
    check: HoldoutCheck | None = None
    by_frequency: pd.DataFrame | None = None
    tracking: pd.DataFrame | None = None
    verdict: Problem | None = None
    hint: str | None = None
    direction: str | None = None
    year_cutoff: dt.date | None = None

    @property
    def holdout_checked(self) -> bool:
        """Whether the fit up to the cut-off was compared with a holdout period."""
        return self.fit is not None and self.data.holdout_length > 0

    @property
    def fit_parameters(self) -> str:
        """The calibration fit's parameters as "r 0.2516, alpha 4.789, ..." (4 significant digits)."""
        return _parameter_list(self.fit.params) if self.fit else ""

    @property
    def spend_parameters(self) -> str:
        return _parameter_list(self.spend.params)


def _parameter_list(params: Mapping[str, float]) -> str:
    return ", ".join(f"{name} {value:.4g}" for name, value in params.items())


def check_model(
    orders: pd.DataFrame, settings: ModelSettings, cutoff: dt.date | pd.Timestamp
) -> HoldoutView:
    """Fit the purchase and spend models up to `cutoff` and compare with what happened after it.

    The holdout runs from the day after the cut-off to the data's last day. Expected
    numbers: Fader, Hardie & Lee (2005) on CDNOW (tests/core/test_clv.py).
    """
    calibration = rfm_summary(orders, pd.Timestamp(cutoff), settings.unit)
    result = fit_purchases(calibration.summary, settings.model)
    spend = fit_spend(calibration.summary)
    if result.fit is None:
        failure = result.problem or problem("clv.fit_failed", "warning")
        return HoldoutView(settings, calibration, None, spend, failure)
    fit = result.fit
    check = holdout_check(calibration, fit) if calibration.holdout_length > 0 else None
    if check is None or check.actual == 0:
        return HoldoutView(settings, calibration, fit, spend, problem("clv.no_holdout", "info"))
    verdict = problem(
        check.verdict, "info", error=f"{check.error:+.0%}", correlation=f"{check.correlation:.2f}"
    )
    hint = direction = year_cutoff = None
    if check.verdict == "clv.check_poor":
        first_day = orders["order_date"].min().normalize()
        one_year_back = orders["order_date"].max().normalize() - pd.DateOffset(years=1)
        if one_year_back - first_day >= pd.Timedelta(days=SEASONAL_MIN_DAYS):
            hint, year_cutoff = "seasonal", one_year_back.date()
            direction = "over" if check.error > 0 else "under"
        else:
            hint = "short"
    return HoldoutView(
        settings,
        calibration,
        fit,
        spend,
        None,
        check,
        holdout_by_frequency(calibration, fit),
        tracking_curve(orders, calibration, fit),
        verdict,
        hint,
        direction,
        year_cutoff,
    )


def recency_matrix(values: ValueModel, horizon_months: int) -> pd.DataFrame:
    """`frequency_recency_matrix` of the customer values' model, expected purchases over the horizon."""
    horizon = horizon_months * DAYS_PER_MONTH / UNIT_DAYS[values.settings.unit]
    return frequency_recency_matrix(values.fit, values.data, horizon)


# ---------------------------------------------------------------------------
# What if: margin, discount rate and horizon on the cached forecast
# ---------------------------------------------------------------------------


def forecast_blocks(horizon_months: int) -> int:
    """How many blocks of FORECAST_BLOCK_MONTHS a horizon needs."""
    if not 1 <= horizon_months <= MAX_HORIZON_MONTHS:
        raise ValueError(f"horizon_months must be 1..{MAX_HORIZON_MONTHS}")
    return -(-horizon_months // FORECAST_BLOCK_MONTHS)


def forecast_block(values: ValueModel, block: int) -> np.ndarray:
    """Cumulative expected purchases per purchase pattern at the end of the block's months.

    Block 0 holds months 1..12, block 1 months 13..24, ... (shape: patterns x 12).
    """
    first = block * FORECAST_BLOCK_MONTHS + 1
    last = min(first + FORECAST_BLOCK_MONTHS - 1, MAX_HORIZON_MONTHS)
    return cumulative_purchases(values.base, values.fit, first, last)


def horizon_forecast(
    values: ValueModel, blocks: Sequence[np.ndarray], horizon_months: int
) -> Forecast:
    """The per-customer forecast over `horizon_months` from the blocks (`forecast_block` 0, 1, ...)."""
    return forecast_from(values.base, np.hstack(list(blocks)), horizon_months)


@dataclass(frozen=True)
class ValueView:
    """What the customers are worth under one set of What-if assumptions.

    `clv` per customer (index: customer_id), the headline numbers, the value of a new
    customer, the histogram's table, and readings: `reading` (the value in words) and
    `top_reading` (are the most valuable customers still active?).
    """

    whatif: WhatIf
    forecast: Forecast
    clv: pd.Series
    mean_clv: float
    total_clv: float
    expected_purchases: float
    expected_revenue: float
    mean_p_alive: float | None
    top_share: float
    new: NewCustomerValue
    distribution: pd.DataFrame
    reading: Problem
    top_reading: Problem


def value_view(values: ValueModel, fc: Forecast, whatif: WhatIf) -> ValueView:
    """CLV per customer and its readings: margin x discounted expected spend (`customer_clv`).

    Milliseconds for 100k customers: no model is evaluated here, the forecast is given.
    `mean_p_alive` is None when the data cannot tell how fast customers drop out.
    """
    if fc.horizon_months != whatif.horizon_months:
        raise ValueError("the forecast's horizon is not the what-if's")
    margin, discount = whatif.margin, whatif.annual_discount
    clv = customer_clv(fc, margin, discount)
    total, mean = float(clv.sum()), float(clv.mean()) if len(clv) else 0.0
    top_share = value_share_of_top(clv, TOP_VALUE_SHARE)
    reading = problem(
        "clv.value_reading",
        "info",
        n=fmt_count(len(clv)),
        months=whatif.horizon_months,
        total=fmt_money(total),
        mean=fmt_money(mean),
        top=fmt_share(top_share),
        top_customers=fmt_share(TOP_VALUE_SHARE, 0),
        margin=fmt_share(margin, 0),
        discount=fmt_share(discount, 0),
    )
    return ValueView(
        whatif,
        fc,
        clv,
        mean,
        total,
        float(fc.table["expected_purchases"].sum()),
        float((fc.table["expected_purchases"] * fc.table["expected_spend"]).sum()),
        None if values.dropout_uncertain else float(fc.table["p_alive"].mean()),
        top_share,
        new_customer_value(values.fit, values.spend, fc, margin, discount),
        clv_distribution(clv),
        reading,
        _top_reading(fc, clv, values.dropout_uncertain),
    )


def uplift_of(view: ValueView, uplift: float) -> Uplift:
    """`repeat_uplift` from the view's totals: what buying `uplift` (0.1 = 10%) more often brings."""
    return Uplift(
        view.expected_purchases * uplift,
        view.expected_revenue * uplift,
        view.total_clv * uplift,
    )


def distribution_note() -> Problem:
    """The histogram's caption: the last bar holds the customers above OPEN_END_QUANTILE."""
    return problem("clv.distribution_help", "info", top=fmt_share(1 - OPEN_END_QUANTILE, 0))


def _top_reading(fc: Forecast, clv: pd.Series, uncertain: bool) -> Problem:
    order = top_positions(clv.to_numpy(float), TOP_LIST)
    top = len(order)
    if uncertain:
        return problem("clv.top_reading_uncertain", "info", top=top)
    slipping = int((fc.table["p_alive"].to_numpy()[order] < SLIPPING_P_ALIVE).sum())
    if slipping:
        alive = fmt_share(SLIPPING_P_ALIVE, 0)
        return problem("clv.top_reading", "info", n=slipping, top=top, alive=alive)
    return problem("clv.top_reading_safe", "info", top=top)


# ---------------------------------------------------------------------------
# Acquisition: CLV against what it costs to win a customer
# ---------------------------------------------------------------------------

ChannelCosts = tuple[tuple[str, float | None], ...]


def channel_costs(entered: pd.DataFrame) -> ChannelCosts:
    """The per-channel costs of the page's editor (columns channel, cac), None where empty."""
    return tuple(
        (str(name), None if cost is None or not np.isfinite(cost) else float(cost))
        for name, cost in zip(entered["channel"], entered["cac"].astype(float), strict=True)
    )


@dataclass(frozen=True)
class AcquisitionView:
    """CLV against acquisition cost, overall and per channel.

    `table`: `core.clv.acquisition_table`'s rows with `group` labelled (the overall
    row as the given label); `curves` the payback curves with a `label` column.
    `has_cost`: some group has a cost (the curves then have a cost line).
    `ratio` and `payback_months` are the overall row's (None: no cost entered, or
    never within the horizon); `verdict` reads the ratio; `missing` asks for a cost.
    """

    table: pd.DataFrame
    curves: pd.DataFrame
    new_value: float
    has_cost: bool
    ratio: float | None
    payback_months: int | None
    verdict: Problem | None
    missing: Problem | None


def acquisition_view(
    view: ValueView,
    groups: CustomerGroups,
    cac: float | None | ChannelCosts,
    by_channel: bool,
    overall_label: str,
) -> AcquisitionView:
    """`acquisition_table` for one cost (or a cost per channel when `by_channel`) with its readings."""
    costs = dict(cac) if isinstance(cac, tuple) else cac
    channels = groups.channels if by_channel else None
    found = acquisition_table(
        view.forecast, view.clv, view.new, costs, view.whatif.margin, channels
    )
    table = found.table.assign(group=found.table["group"].fillna(overall_label))
    curves = found.curves.assign(label=found.curves["group"].fillna(overall_label))
    overall = found.table.iloc[0]
    has_cost = bool(found.curves["cac"].notna().any())
    key = acquisition_verdict(float(overall["ratio"]))
    months = view.whatif.horizon_months
    if key is None:
        missing = problem("clv.cac_missing_channel" if by_channel else "clv.cac_missing", "info")
        new_value = float(overall["new_value"])
        return AcquisitionView(table, curves, new_value, has_cost, None, None, None, missing)
    ratio = float(overall["ratio"])
    payback = overall["payback_months"]
    verdict = problem(key, "info", ratio=f"{ratio:.1f}", months=months)
    return AcquisitionView(
        table,
        curves,
        float(overall["new_value"]),
        has_cost,
        ratio,
        None if pd.isna(payback) else int(payback),
        verdict,
        None,
    )


# ---------------------------------------------------------------------------
# Values by segment, channel and attribute; the customer list
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerGroups:
    """How the valued customers split: RFM segment, acquisition channel and other attributes.

    `segments` (segment keys, "segment.<key>" in core.i18n) and `channels` are aligned
    to the valued customers. The channel is the customers table's, else the channel of
    the first order (`channel_column` says which; None when neither exists).
    `channel_names` are by number of customers, most first; `cac_template` is the
    empty cost-per-channel table the page's editor starts from. `attributes` are the
    feature columns worth a breakdown (`core.clustering.breakdown_columns`).
    """

    segments: pd.Series
    segment_keys: tuple[str, ...]
    features: pd.DataFrame
    channel_column: str | None
    channels: pd.Series | None
    channel_names: tuple[str, ...]
    attributes: tuple[str, ...]
    cac_template: pd.DataFrame

    @property
    def default_attribute(self) -> int:
        """The attribute the breakdown starts on: the channel when there is one."""
        if self.channel_column in self.attributes:
            return self.attributes.index(self.channel_column)
        return 0


def attribute_label(column: str, lang: str = "en") -> str:
    """An attribute's name for people (`core.clustering.feature_label`)."""
    return feature_label(column, lang)


def customer_groups(
    customers: pd.Index, segments: pd.Series, features: pd.DataFrame
) -> CustomerGroups:
    """The groups of the valued `customers` from the RFM segments and the customer features.

    segments: `rfm_segment` of `core.segmentation.rfm_table` (indexed by customer_id);
    features: `core.clustering.customer_features`.
    """
    aligned = segments.reindex(customers)
    keys = (
        tuple(str(c) for c in aligned.cat.categories)
        if isinstance(aligned.dtype, pd.CategoricalDtype)
        else tuple(sorted(aligned.dropna().astype(str).unique()))
    )
    column = next((c for c in CHANNEL_COLUMNS if c in features), None)
    channels = names = None
    if column is not None:
        channels = features[column].astype("string").reindex(customers)
        names = tuple(str(n) for n in channels.dropna().value_counts().index)
    template = pd.DataFrame(
        {"channel": list(names or ()), "cac": pd.Series([None] * len(names or ()), dtype=float)}
    )
    return CustomerGroups(
        aligned,
        keys,
        features,
        column,
        channels,
        names or (),
        tuple(breakdown_columns(features)),
        template,
    )


@dataclass(frozen=True)
class Breakdown:
    """Value by RFM segment and by one attribute (tables for `core.charts.clv.group_value_chart`).

    Columns: group, label, customers, mean_clv, total_clv, clv_share, mean_p_alive
    (largest total first). `reading` names the best and worst attribute groups of at
    least MIN_GROUP_CUSTOMERS customers (None with fewer than two such groups).
    """

    by_segment: pd.DataFrame
    by_attribute: pd.DataFrame | None
    reading: Problem | None


def value_breakdown(
    view: ValueView,
    groups: CustomerGroups,
    attribute: str | None,
    segment_names: Mapping[str, str],
) -> Breakdown:
    """CLV by segment (labelled with `segment_names`) and by `attribute` of the features."""
    table = view.forecast.table
    by_segment = value_by_group(table, view.clv, groups.segments)
    by_segment.insert(1, "label", by_segment["group"].map(lambda g: segment_names.get(g, g)))
    if attribute is None:
        return Breakdown(by_segment, None, None)
    values = groups.features[attribute].astype("string")
    by_attribute = value_by_group(table, view.clv, values)
    by_attribute.insert(1, "label", by_attribute["group"])
    ranked = by_attribute[by_attribute["customers"] >= MIN_GROUP_CUSTOMERS].sort_values("mean_clv")
    reading = None
    if len(ranked) >= 2:
        reading = problem(
            "clv.attribute_reading",
            "info",
            best=str(ranked["group"].iloc[-1]),
            best_clv=fmt_money(float(ranked["mean_clv"].iloc[-1])),
            worst=str(ranked["group"].iloc[0]),
            worst_clv=fmt_money(float(ranked["mean_clv"].iloc[0])),
        )
    return Breakdown(by_segment, by_attribute, reading)


def customer_list(
    view: ValueView, groups: CustomerGroups, segment_names: Mapping[str, str]
) -> pd.DataFrame:
    """`customer_table` with segment names (translated once per segment, not per customer)."""
    segments = groups.segments
    if isinstance(segments.dtype, pd.CategoricalDtype):
        named = segments.cat.rename_categories(
            [segment_names.get(str(c), str(c)) for c in segments.cat.categories]
        )
    else:
        named = segments.map(lambda s: segment_names.get(s, s))
    return customer_table(view.forecast, view.clv, named, groups.channels)
