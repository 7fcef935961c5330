"""Customer lifetime value: BTYD summaries, purchase and spend models, validation, value and what-if.

Typical use::

    data = rfm_summary(orders, cutoff, "weeks", end)        # calibration + holdout
    fit = fit_purchases(data.summary, "bgnbd").fit          # BG/NBD, Pareto/NBD or MBG/NBD
    check = holdout_check(data, fit)
    spend = fit_spend(data.summary)                         # Gamma-Gamma
    fc = forecast(rfm_summary(orders, unit="weeks"), fit_all, spend_all, horizon_months=12)
    clv = customer_clv(fc, margin=0.3, annual_discount=0.1)
"""

from core.clv.data import (
    MIN_CUSTOMERS,
    TIME_UNITS,
    UNIT_DAYS,
    ClvData,
    TimeUnit,
    default_cutoff,
    rfm_summary,
)
from core.clv.models import (
    CORRELATION_WARNING,
    PARAM_NAMES,
    PURCHASE_MODELS,
    PurchaseFit,
    PurchaseFitResult,
    PurchaseModelName,
    PurchaseReading,
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
    Acquisition,
    Forecast,
    NewCustomerValue,
    Uplift,
    acquisition_table,
    acquisition_verdict,
    clv_distribution,
    cumulative_value,
    customer_clv,
    customer_table,
    discount_factors,
    forecast,
    frequency_recency_matrix,
    new_customer_value,
    payback_month,
    repeat_uplift,
    value_by_group,
    value_share_of_top,
)

__all__ = [
    "CORRELATION_WARNING",
    "Acquisition",
    "MAX_HORIZON_MONTHS",
    "MIN_CUSTOMERS",
    "PARAM_NAMES",
    "PURCHASE_MODELS",
    "TIME_UNITS",
    "UNIT_DAYS",
    "ClvData",
    "Forecast",
    "HoldoutCheck",
    "NewCustomerValue",
    "PurchaseFit",
    "PurchaseFitResult",
    "PurchaseModelName",
    "PurchaseReading",
    "SpendFit",
    "TimeUnit",
    "Uplift",
    "acquisition_table",
    "acquisition_verdict",
    "clv_distribution",
    "cumulative_value",
    "customer_clv",
    "customer_table",
    "default_cutoff",
    "discount_factors",
    "fit_purchases",
    "fit_spend",
    "forecast",
    "frequency_recency_matrix",
    "holdout_by_frequency",
    "holdout_check",
    "new_customer_value",
    "dropout_is_uncertain",
    "parameter_table",
    "payback_month",
    "purchase_reading",
    "repeat_uplift",
    "rfm_summary",
    "spend_spread",
    "tracking_curve",
    "value_by_group",
    "value_share_of_top",
]
