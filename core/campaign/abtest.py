"""A/B (and A/B/n) test statistics from per-customer rows or from group totals.

Everything is computed from per-group moments (recipients, mean, standard deviation),
so one code path serves a million-row table and a summary typed by hand:
conversion by the two-proportion z-test, revenue per recipient by Welch's t-test,
relative lift by the delta method, Holm's correction across variants, a
sample-ratio-mismatch check, capped (winsorised) revenue and CUPED.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest

from core.campaign.customers import CUSTOMER_BREAKDOWNS
from core.problems import Problem
from core.schema import is_control_name

Metric = Literal["conversion", "revenue"]
Adjustment = Literal["raw", "capped", "cuped"]
METRICS: tuple[Metric, ...] = ("conversion", "revenue")

SRM_ALPHA = 0.001
TINY_RECIPIENTS = 100
TINY_CONVERSIONS = 10
CAP_QUANTILE = 0.99
# The top 1% of buyers bringing this share of revenue or more: revenue is "dominated by a few".
OUTLIER_SHARE = 0.20
# Recipient attributes a lift can be broken down by: the campaign table's own, then the
# customer's segment and stage from the purchase history (core.campaign.customers).
BREAKDOWNS = ("segment", "channel", *CUSTOMER_BREAKDOWNS)


def detect_control(groups: list[str] | pd.Index) -> str | None:
    """The first group whose name says it is the control (`core.schema.is_control_name`), else None.

    None means the user must pick the control: the first variant never silently becomes it.
    """
    return next((str(g) for g in groups if is_control_name(g)), None)


@dataclass(frozen=True)
class CampaignData:
    """A campaign reduced to what the statistics need.

    Attributes
    ----------
    arms
        One row per group (index "group", in first-seen order): recipients,
        conversions, revenue (total), cost (total, NaN if unknown).
    moments
        Long table: group, metric ("conversion" | "revenue"), adjustment
        ("raw" | "capped" | "cuped"), n, mean, sd (per recipient; sd NaN when
        unknown, e.g. revenue from totals without a standard deviation).
    rows
        The cleaned per-customer rows (group, converted, revenue, optional
        segment/channel/rfm_segment/lifecycle_stage/pre_period_spend/cost) or None for totals.
    cap
        The revenue cap (99th percentile of buyers' revenue) used for "capped".
    top_share
        Share of revenue brought by the top 1% of buyers (None without rows).
    cuped_theta, cuped_reduction
        Per metric: the CUPED coefficient and the share of variance removed.
    notes
        Non-blocking messages (data fixed up or limits of what can be computed).
    problem
        A blocking problem (nothing can be compared), or None.
    """

    arms: pd.DataFrame
    moments: pd.DataFrame
    rows: pd.DataFrame | None = None
    cap: float | None = None
    top_share: float | None = None
    cuped_theta: dict[str, float] = field(default_factory=dict)
    cuped_reduction: dict[str, float] = field(default_factory=dict)
    notes: tuple[Problem, ...] = ()
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def groups(self) -> list[str]:
        return [str(g) for g in self.arms.index]

    @property
    def per_customer(self) -> bool:
        return self.rows is not None

    @property
    def recipients(self) -> int:
        """Recipients in all groups compared (0 when nothing can be compared)."""
        return int(self.arms["recipients"].sum()) if self.ok else 0

    @property
    def has_cost(self) -> bool:
        """Whether the table said what sending cost (a cost column or cost totals)."""
        return bool(self.arms["cost"].notna().any())

    def has(self, metric: Metric, adjustment: Adjustment = "raw") -> bool:
        m = self.moments
        sel = m[(m["metric"] == metric) & (m["adjustment"] == adjustment)]
        return not sel.empty and bool(sel["mean"].notna().all())

    def has_sd(self, metric: Metric, adjustment: Adjustment = "raw") -> bool:
        m = self.moments
        sel = m[(m["metric"] == metric) & (m["adjustment"] == adjustment)]
        return not sel.empty and bool(sel["sd"].notna().all())


def _failed(key: str, **params: object) -> CampaignData:
    empty = pd.DataFrame(columns=["recipients", "conversions", "revenue", "cost"])
    empty.index.name = "group"
    return CampaignData(
        arms=empty,
        moments=pd.DataFrame(columns=["group", "metric", "adjustment", "n", "mean", "sd"]),
        problem=Problem(key, dict(params)),
    )


def is_aggregate(table: pd.DataFrame) -> bool:
    """True when the campaign table holds group totals (recipients per row) rather than customers."""
    return "recipients" in table.columns and (
        "customer_id" not in table.columns or table["customer_id"].isna().all()
    )


def from_rows(table: pd.DataFrame) -> CampaignData:
    """Per-customer campaign rows -> per-group moments, capped revenue and CUPED.

    Required columns: group and converted and/or revenue. Optional: cost,
    pre_period_spend, and the BREAKDOWNS columns (kept for the breakdowns). Rows without a
    group are left out (and counted); a missing converted flag is read from
    revenue > 0; missing revenue counts as 0. Works on integer group codes and
    bincounts: a million rows take well under a second.
    """
    if "group" not in table.columns:
        return _failed("campaign.no_group_column")
    if "converted" not in table.columns and "revenue" not in table.columns:
        return _failed("campaign.no_outcome")
    notes: list[Problem] = []
    codes, names = _group_codes(table["group"])
    keep = codes >= 0
    if not keep.all():
        notes.append(Problem("campaign.rows_without_group", {"n": int((~keep).sum())}))
    sizes = np.bincount(codes[keep], minlength=len(names))
    empty = [names[g] for g in np.flatnonzero(sizes == 0)]
    if empty:
        notes.append(Problem("campaign.empty_groups", {"groups": empty}))
    lonely = [names[g] for g in np.flatnonzero((sizes > 0) & (sizes < 2))]
    if lonely:
        notes.append(Problem("campaign.groups_too_small", {"groups": lonely}))
    used = np.flatnonzero(sizes >= 2)
    if len(used) < 2:
        if not keep.any():
            return _failed("campaign.no_rows")
        return _failed("campaign.one_group", groups=[names[g] for g in used])
    # Compact codes over the groups kept, in order of size-independent first appearance.
    remap = np.full(len(names), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    codes = np.where(keep, remap[np.where(keep, codes, 0)], -1)
    keep = codes >= 0
    codes = codes[keep]
    names = [names[g] for g in used]
    k = len(names)
    subset = table[keep] if not keep.all() else table

    has_revenue = "revenue" in subset.columns
    columns: dict[str, np.ndarray] = {}
    if has_revenue:
        revenue = pd.to_numeric(subset["revenue"], errors="coerce").to_numpy(np.float64)
        missing = np.isnan(revenue)
        if missing.any():
            notes.append(Problem("campaign.missing_revenue", {"n": int(missing.sum())}))
            revenue = np.where(missing, 0.0, revenue)
        negative = int((revenue < 0).sum())
        if negative:
            notes.append(Problem("campaign.negative_revenue", {"n": negative}))
        columns["revenue"] = revenue
    if "converted" in subset.columns:
        converted = pd.to_numeric(subset["converted"], errors="coerce").to_numpy(np.float64)
        missing = np.isnan(converted)
        if missing.any():
            fallback = (columns["revenue"] > 0) if has_revenue else np.zeros(len(converted))
            converted = np.where(missing, fallback, converted)
            notes.append(Problem("campaign.missing_converted", {"n": int(missing.sum())}))
        converted = (converted > 0).astype(np.float64)
    else:
        converted = (columns["revenue"] > 0).astype(np.float64)
        notes.append(Problem("campaign.converted_from_revenue"))
    columns["converted"] = converted
    for column in ("cost", "pre_period_spend"):
        if column in subset.columns:
            values = pd.to_numeric(subset[column], errors="coerce").to_numpy(np.float64)
            if not np.isnan(values).all():
                columns[column] = values

    rows = pd.DataFrame(
        {"group": pd.Categorical.from_codes(codes, categories=names), **columns},
        index=pd.RangeIndex(len(codes)),
    )
    for column in BREAKDOWNS:
        if column in subset.columns and subset[column].notna().any():
            values = subset[column].astype("category")
            if values.isna().any():
                values = values.cat.add_categories(["–"]).fillna("–")
            rows[column] = values.cat.remove_unused_categories().array

    recipients = np.bincount(codes, minlength=k).astype(np.float64)
    arms = pd.DataFrame(
        {
            "recipients": recipients,
            "conversions": np.bincount(codes, weights=converted, minlength=k),
            "revenue": np.bincount(codes, weights=columns["revenue"], minlength=k)
            if has_revenue
            else np.nan,
            "cost": _sum_or_nan(codes, columns.get("cost"), k),
        },
        index=pd.Index(names, name="group"),
    )

    parts = [_moments(codes, k, converted, names, "conversion", "raw")]
    cap = top_share = None
    theta: dict[str, float] = {}
    reduction: dict[str, float] = {}
    if has_revenue:
        revenue = columns["revenue"]
        parts.append(_moments(codes, k, revenue, names, "revenue", "raw"))
        buyers = np.sort(revenue[revenue > 0])
        if len(buyers):
            cap = float(np.quantile(buyers, CAP_QUANTILE))
            top = max(1, int(math.ceil(len(buyers) * 0.01)))
            top_share = float(buyers[-top:].sum() / buyers.sum())
            capped = np.minimum(revenue, cap)
            parts.append(_moments(codes, k, capped, names, "revenue", "capped"))
    if "pre_period_spend" in columns:
        pre = columns["pre_period_spend"]
        filled = np.where(np.isnan(pre), np.nanmean(pre), pre)
        outcomes = [("converted", "conversion")] + ([("revenue", "revenue")] if has_revenue else [])
        for column, metric in outcomes:
            adjusted, theta[metric], reduction[metric] = cuped_adjust(columns[column], filled)
            if not math.isnan(theta[metric]):
                parts.append(_moments(codes, k, adjusted, names, metric, "cuped"))
    moments, constant = _drop_constant(pd.concat(parts, ignore_index=True))
    notes.extend(constant)
    if moments.empty:
        return replace(_failed(constant[0].key, **constant[0].params), notes=tuple(notes))
    notes.extend(_tiny_notes(arms))
    if not has_revenue:
        notes.append(Problem("campaign.no_revenue"))
    return CampaignData(
        arms=arms,
        moments=moments,
        rows=rows,
        cap=cap,
        top_share=top_share,
        cuped_theta=theta,
        cuped_reduction=reduction,
        notes=tuple(notes),
    )


def _group_codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes (-1 = no group) and names, names stripped and merged when equal after stripping."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy(np.int64)
        raw = column.cat.categories
    else:
        codes, raw = pd.factorize(column)
        codes = codes.astype(np.int64)
    stripped = pd.Index(raw).astype(str).str.strip()
    merged, names = pd.factorize(stripped)
    codes = np.where(codes >= 0, merged[np.maximum(codes, 0)], -1)
    return codes, [str(n) for n in names]


def _sum_or_nan(codes: np.ndarray, values: np.ndarray | None, k: int) -> np.ndarray:
    if values is None:
        return np.full(k, np.nan)
    present = ~np.isnan(values)
    sums = np.bincount(codes[present], weights=values[present], minlength=k)
    counts = np.bincount(codes[present], minlength=k)
    return np.where(counts > 0, sums, np.nan)


def _moments(
    codes: np.ndarray, k: int, values: np.ndarray, names: list[str], metric: str, adjustment: str
) -> pd.DataFrame:
    """n, mean and standard deviation (ddof 1, two-pass) of `values` per group code."""
    n = np.bincount(codes, minlength=k).astype(np.float64)
    mean = np.bincount(codes, weights=values, minlength=k) / n
    deviation = values - mean[codes]
    ss = np.bincount(codes, weights=deviation * deviation, minlength=k)
    sd = np.sqrt(ss / np.maximum(n - 1, 1))
    return _frame(names, metric, adjustment, n, mean, sd)


def cuped_adjust(outcome: np.ndarray, pre: np.ndarray) -> tuple[np.ndarray, float, float]:
    """CUPED (Deng, Xu, Kohavi & Walker 2013): Y - theta (X - mean X), theta = cov(X, Y) / var(X).

    theta is pooled over all groups (the pre-period metric is independent of the
    assignment, so the adjustment leaves each group's expected mean difference
    unchanged). Returns the adjusted outcome, theta and the share of variance
    removed (1 - var(adjusted) / var(outcome), about corr(X, Y)^2).
    """
    outcome = np.asarray(outcome, dtype=np.float64)
    pre = np.asarray(pre, dtype=np.float64)
    var_pre = float(np.var(pre, ddof=1)) if len(pre) > 1 else 0.0
    if var_pre <= 0 or not np.isfinite(var_pre):
        return outcome, math.nan, 0.0
    theta = float(np.cov(pre, outcome, ddof=1)[0, 1] / var_pre)
    adjusted = outcome - theta * (pre - pre.mean())
    var_out = float(np.var(outcome, ddof=1))
    reduction = 1.0 - float(np.var(adjusted, ddof=1)) / var_out if var_out > 0 else 0.0
    return adjusted, theta, reduction


def from_totals(summary: pd.DataFrame) -> CampaignData:
    """Group totals (typed, pasted or an aggregate upload) -> per-group moments.

    Expected columns: group, recipients, conversions; optional revenue (total),
    revenue_sd (standard deviation of revenue per recipient) and cost (total).
    Several rows of the same group are added up. Without revenue_sd, Welch's test
    on revenue per recipient cannot be computed (a note says so).
    """
    frame = summary.copy()
    if "group" not in frame.columns or "recipients" not in frame.columns:
        return _failed("campaign.summary_columns")
    frame["group"] = frame["group"].astype("string").str.strip()
    frame = frame[frame["group"].notna() & (frame["group"] != "")]
    numeric = {}
    for column in ("recipients", "conversions", "revenue", "revenue_sd", "cost"):
        if column in frame.columns:
            numeric[column] = pd.to_numeric(frame[column], errors="coerce")
    recipients = numeric["recipients"]
    notes: list[Problem] = []
    empty = frame.loc[recipients.notna() & (recipients == 0), "group"]
    if len(empty):
        notes.append(Problem("campaign.empty_groups", {"groups": [str(g) for g in empty]}))
    frame = frame[recipients.notna() & (recipients > 0)]
    if frame.empty:
        return _failed("campaign.no_rows")
    for column, values in numeric.items():
        values = values.reindex(frame.index)
        if (values < 0).any():
            if column == "revenue":
                notes.append(Problem("campaign.negative_revenue", {"n": int((values < 0).sum())}))
            else:
                return _failed("campaign.negative_counts", column=column)
        frame[column] = values
    if "conversions" not in frame.columns:
        if "revenue" not in frame.columns:
            return _failed("campaign.no_outcome")
        frame["conversions"] = np.nan
    has_sd = "revenue_sd" in frame.columns and frame["revenue_sd"].notna().all()
    sums = {"recipients": "sum", "conversions": "sum"}
    for column in ("revenue", "cost"):
        if column in frame.columns:
            sums[column] = "sum"
    grouped = frame.groupby("group", sort=False)
    arms = grouped.agg({c: (lambda s: s.sum(min_count=1)) for c in sums})
    for column in ("revenue", "cost"):
        if column not in arms:
            arms[column] = np.nan
    arms = arms[["recipients", "conversions", "revenue", "cost"]]
    arms.index = arms.index.astype(str)
    arms.index.name = "group"
    lonely = arms[arms["recipients"] < 2]
    if len(lonely):
        notes.append(
            Problem("campaign.groups_too_small", {"groups": [str(g) for g in lonely.index]})
        )
        arms = arms[arms["recipients"] >= 2]
    if len(arms) < 2:
        return _failed("campaign.one_group", groups=[str(g) for g in arms.index])
    if (arms["conversions"] > arms["recipients"]).any():
        bad = [str(g) for g in arms.index[arms["conversions"] > arms["recipients"]]]
        return _failed("campaign.more_conversions_than_recipients", groups=bad)

    n = arms["recipients"].to_numpy(np.float64)
    parts = []
    if arms["conversions"].notna().all():
        p = arms["conversions"].to_numpy(np.float64) / n
        parts.append(_frame(arms.index, "conversion", "raw", n, p, np.sqrt(p * (1 - p))))
    if arms["revenue"].notna().all():
        if has_sd and grouped.ngroups == len(frame):
            sd = frame.set_index("group")["revenue_sd"].reindex(arms.index).to_numpy(np.float64)
        else:
            sd = np.full(len(arms), np.nan)
            notes.append(Problem("campaign.revenue_needs_sd"))
        parts.append(
            _frame(arms.index, "revenue", "raw", n, arms["revenue"].to_numpy(np.float64) / n, sd)
        )
    else:
        notes.append(Problem("campaign.no_revenue"))
    if not parts:
        return _failed("campaign.no_outcome")
    moments, constant = _drop_constant(pd.concat(parts, ignore_index=True))
    notes.extend(constant)
    if moments.empty:
        return replace(_failed(constant[0].key, **constant[0].params), notes=tuple(notes))
    notes.extend(_tiny_notes(arms))
    return CampaignData(arms=arms, moments=moments, notes=tuple(notes))


def _drop_constant(moments: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Leave out a metric on which every recipient of every group has the same value.

    Nobody converted (or everybody did), or revenue is the same for all: there is no
    difference and no variance, so a test would print NaN or "p 0.000". Each such
    metric gets a message instead. A metric constant within groups but different
    between them stays (the difference is real, only untestable).
    """
    notes = []
    for metric in METRICS:
        raw = moments[(moments["metric"] == metric) & (moments["adjustment"] == "raw")]
        if raw.empty or raw["mean"].isna().any():
            continue
        same_mean = bool(np.ptp(raw["mean"].to_numpy(np.float64)) <= 1e-12)
        no_spread = bool(raw["sd"].notna().all() and (raw["sd"] <= 1e-12).all())
        if not (same_mean and no_spread):
            continue
        value = float(raw["mean"].iloc[0])
        if metric == "conversion":
            notes.append(
                Problem("campaign.zero_conversions" if value == 0 else "campaign.all_converted")
            )
        else:
            notes.append(Problem("campaign.revenue_constant", {"value": round(value, 2)}))
        moments = moments[moments["metric"] != metric]
    return moments.reset_index(drop=True), notes


def _frame(groups, metric, adjustment, n, mean, sd) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": [str(g) for g in groups],
            "metric": metric,
            "adjustment": adjustment,
            "n": n,
            "mean": mean,
            "sd": sd,
        }
    )


def _tiny_notes(arms: pd.DataFrame) -> list[Problem]:
    small = arms.index[arms["recipients"] < TINY_RECIPIENTS]
    few = arms.index[arms["conversions"].fillna(TINY_CONVERSIONS) < TINY_CONVERSIONS]
    notes = []
    if len(small):
        notes.append(
            Problem(
                "campaign.tiny_groups", {"groups": [str(g) for g in small], "n": TINY_RECIPIENTS}
            )
        )
    if len(few):
        notes.append(
            Problem(
                "campaign.few_conversions", {"groups": [str(g) for g in few], "n": TINY_CONVERSIONS}
            )
        )
    return notes


# --- comparisons -----------------------------------------------------------------------------

LIFT_COLUMNS = [
    "variant",
    "n_control",
    "n_variant",
    "control",
    "value",
    "abs_lift",
    "abs_low",
    "abs_high",
    "rel_lift",
    "rel_low",
    "rel_high",
    "se",
    "statistic",
    "p_value",
    "p_adjusted",
    "test",
]


def compare(
    data: CampaignData,
    control: str,
    metric: Metric,
    adjustment: Adjustment = "raw",
    level: float = 0.95,
    moments: pd.DataFrame | None = None,
    correct: bool = True,
) -> pd.DataFrame:
    """Each variant against the control on one metric.

    Conversion (raw): two-proportion z-test with the pooled proportion
    (statsmodels ``proportions_ztest``) and a Wald interval with unpooled
    variances (``confint_proportions_2indep(method="wald")``). Revenue per
    recipient and adjusted metrics: Welch's t-test and interval with the
    Welch-Satterthwaite degrees of freedom (statsmodels ``ttest_ind`` with
    ``usevar="unequal"``), from the groups' means and standard deviations.
    Relative lift (variant / control - 1) with the delta-method interval:
    Var(m_t/m_c) ~ s_t^2/(n_t m_c^2) + m_t^2 s_c^2/(n_c m_c^4).
    p_adjusted: Holm (1979) across the variants (``multipletests(method="holm")``).

    Returns one row per variant (LIFT_COLUMNS); statistics that cannot be
    computed (no standard deviation, zero control rate) are NaN.
    """
    table = data.moments if moments is None else moments
    # Plain records: a few groups, and pandas' per-row access costs more than the statistics.
    chosen = (table["metric"].to_numpy(object) == metric) & (
        table["adjustment"].to_numpy(object) == adjustment
    )
    groups = {
        str(record["group"]): record
        for record in table.loc[chosen, ["group", "n", "mean", "sd"]].to_dict("records")
    }
    if control not in groups:
        return pd.DataFrame(columns=LIFT_COLUMNS)
    c = groups.pop(control)
    z = stats.norm.ppf(0.5 + level / 2)
    out = [_lift(variant, t, c, metric, adjustment, z, level) for variant, t in groups.items()]
    result = pd.DataFrame(out, columns=LIFT_COLUMNS)
    if correct:
        result["p_adjusted"] = holm(result["p_value"].to_numpy())
    else:
        result["p_adjusted"] = result["p_value"]
    return result


def _lift(variant, t, c, metric, adjustment, z, level) -> dict:
    n_t, n_c = float(t["n"]), float(c["n"])
    m_t, m_c = float(t["mean"]), float(c["mean"])
    s_t, s_c = float(t["sd"]), float(c["sd"])
    row = {
        "variant": variant,
        "n_control": n_c,
        "n_variant": n_t,
        "control": m_c,
        "value": m_t,
        "abs_lift": m_t - m_c,
    }
    if metric == "conversion" and adjustment == "raw":
        # The Wald interval's variances p(1 - p) / n, whatever ddof the moments used.
        s_t, s_c = math.sqrt(m_t * (1 - m_t)), math.sqrt(m_c * (1 - m_c))
    var_t, var_c = s_t**2 / n_t, s_c**2 / n_c
    se = math.sqrt(var_t + var_c) if not (math.isnan(s_t) or math.isnan(s_c)) else math.nan
    row["se"] = se
    if metric == "conversion" and adjustment == "raw":
        x_t, x_c = round(m_t * n_t), round(m_c * n_c)
        if x_t + x_c == 0 or x_t + x_c == n_t + n_c:
            stat, p = math.nan, math.nan
        else:
            stat, p = proportions_ztest([x_t, x_c], [n_t, n_c])
        crit = z
        test = "z"
    elif not math.isnan(se) and se > 0:
        res = stats.ttest_ind_from_stats(m_t, s_t, n_t, m_c, s_c, n_c, equal_var=False)
        stat, p = float(res.statistic), float(res.pvalue)
        df = (var_t + var_c) ** 2 / (var_t**2 / (n_t - 1) + var_c**2 / (n_c - 1))
        crit = stats.t.ppf(0.5 + level / 2, df)
        test = "welch"
    else:
        stat = p = crit = math.nan
        test = "welch"
    row.update(
        abs_low=m_t - m_c - crit * se,
        abs_high=m_t - m_c + crit * se,
        statistic=float(stat),
        p_value=float(p),
        test=test,
    )
    if m_c > 0:
        rel, rel_se = relative_lift(m_t, var_t, m_c, var_c)
        row.update(rel_lift=rel, rel_low=rel - z * rel_se, rel_high=rel + z * rel_se)
    else:
        row.update(rel_lift=math.nan, rel_low=math.nan, rel_high=math.nan)
    return row


def relative_lift(mean_t, var_mean_t, mean_c, var_mean_c):
    """Relative lift mean_t / mean_c - 1 and its delta-method standard error (works on arrays).

    var_mean_* are the variances of the group means (s^2 / n). First-order Taylor
    expansion of the ratio of independent means: Var(T/C) ~ Var(T)/C^2 + T^2 Var(C)/C^4.
    """
    mean_t, mean_c = np.asarray(mean_t, dtype=np.float64), np.asarray(mean_c, dtype=np.float64)
    se = np.sqrt(var_mean_t / mean_c**2 + mean_t**2 * var_mean_c / mean_c**4)
    rel = mean_t / mean_c - 1
    return (float(rel), float(se)) if rel.ndim == 0 else (rel, se)


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm's (1979) step-down adjusted p-values; NaN stays NaN.

    The k-th smallest of m p-values is multiplied by (m - k + 1), capped at 1 and made
    non-decreasing: the same numbers as statsmodels ``multipletests(method="holm")``,
    which is not called here because it runs a full garbage collection on every call.
    """
    p = np.asarray(p_values, dtype=np.float64)
    out = np.full(len(p), np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if len(ok):
        order = ok[np.argsort(p[ok], kind="stable")]
        m = len(order)
        stepped = np.minimum(1.0, (m - np.arange(m)) * p[order])
        out[order] = np.maximum.accumulate(stepped)
    return out


Strength = Literal["very_unlikely", "unlikely", "maybe", "likely"]


def strength(p_adjusted: float) -> Strength | None:
    """How a (multiplicity-adjusted) p-value reads in words: how likely chance alone made the gap."""
    if math.isnan(p_adjusted):
        return None
    if p_adjusted < 0.001:
        return "very_unlikely"
    if p_adjusted < 0.05:
        return "unlikely"
    if p_adjusted < 0.2:
        return "maybe"
    return "likely"


def direction(row: pd.Series | dict) -> Literal["up", "down", "flat"]:
    lift = float(row["abs_lift"])
    return "up" if lift > 0 else ("down" if lift < 0 else "flat")


# --- trust checks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SrmResult:
    """Sample-ratio mismatch: observed recipients against the intended split (chi-square test)."""

    table: pd.DataFrame  # group, recipients, expected, share, intended
    chi2: float
    p_value: float
    flagged: bool


def srm_check(recipients: pd.Series, intended: pd.Series | None = None) -> SrmResult:
    """Pearson's chi-square goodness of fit of the group sizes to the intended split.

    `intended` holds each group's intended share (any positive weights; default
    equal). Flagged when p < 0.001, the threshold used in practice because the
    test runs on every experiment (Fabijan et al. 2019, "Diagnosing sample ratio
    mismatch").
    """
    observed = recipients.astype(np.float64)
    weights = (
        pd.Series(1.0, index=observed.index)
        if intended is None
        else intended.reindex(observed.index).astype(np.float64)
    )
    weights = weights.fillna(0).clip(lower=0)
    if weights.sum() <= 0:
        weights = pd.Series(1.0, index=observed.index)
    share = weights / weights.sum()
    expected = share * observed.sum()
    chi2, p = stats.chisquare(observed.to_numpy(), expected.to_numpy())
    table = pd.DataFrame(
        {
            "group": observed.index.astype(str),
            "recipients": observed.to_numpy(),
            "expected": expected.to_numpy(),
            "share": (observed / observed.sum()).to_numpy(),
            "intended": share.to_numpy(),
        }
    )
    return SrmResult(table, float(chi2), float(p), bool(p < SRM_ALPHA))


def outlier_note(data: CampaignData) -> Problem | None:
    """A warning when a few buyers bring much of the revenue (the capped results then matter)."""
    if data.top_share is not None and data.top_share >= OUTLIER_SHARE:
        return Problem("campaign.outliers", {"share": round(100 * data.top_share)})
    return None


# --- Bayesian ----------------------------------------------------------------------------------


def chance_to_beat(
    conversions: float,
    recipients: float,
    control_conversions: float,
    control_recipients: float,
    draws: int = 200_000,
    seed: int = 7,
) -> float:
    """P(variant rate > control rate) with uniform Beta(1, 1) priors (Beta-Binomial posteriors).

    Seeded Monte Carlo: 200,000 draws give a standard error below 0.0012.
    """
    rng = np.random.default_rng(seed)
    a = rng.beta(1 + conversions, 1 + recipients - conversions, draws)
    b = rng.beta(1 + control_conversions, 1 + control_recipients - control_conversions, draws)
    return float(np.mean(a > b))


# --- breakdowns ------------------------------------------------------------------------------


def breakdown_columns(data: CampaignData) -> list[str]:
    """Attributes of the recipients a lift can be broken down by (2 to 30 levels), in BREAKDOWNS order."""
    if data.rows is None:
        return []
    return [c for c in BREAKDOWNS if c in data.rows.columns and 2 <= data.rows[c].nunique() <= 30]


def lift_by(
    data: CampaignData,
    control: str,
    column: str,
    metric: Metric,
    level: float = 0.95,
) -> pd.DataFrame:
    """Each variant's lift against the control within each value of an attribute.

    Same statistics as `compare` (no Holm correction: the page warns about many
    comparisons instead). Adds the column `level` (the attribute's value).
    """
    if data.rows is None or column not in data.rows.columns:
        return pd.DataFrame(columns=["level", *LIFT_COLUMNS])
    outcome = "converted" if metric == "conversion" else "revenue"
    if outcome not in data.rows.columns:
        return pd.DataFrame(columns=["level", *LIFT_COLUMNS])
    grouped = data.rows.groupby([column, "group"], sort=True, observed=True)[outcome]
    moments = pd.DataFrame(
        {"n": grouped.size(), "mean": grouped.mean(), "sd": grouped.std(ddof=1)}
    ).reset_index()
    parts = []
    for value, block in moments.groupby(column, sort=True):
        block = block[block["n"] >= 2].assign(metric=metric, adjustment="raw")
        if control not in set(block["group"]):
            continue
        lifts = compare(data, control, metric, "raw", level, moments=block, correct=False)
        lifts.insert(0, "level", str(value))
        parts.append(lifts)
    if not parts:
        return pd.DataFrame(columns=["level", *LIFT_COLUMNS])
    return pd.concat(parts, ignore_index=True)


def group_intervals(
    data: CampaignData, metric: Metric, adjustment: Adjustment = "raw", level: float = 0.95
) -> pd.DataFrame:
    """Each group's rate (or revenue per recipient) with its own interval, for charts.

    Conversion: Wald interval p +- z sqrt(p (1 - p) / n); means: mean +- t sd / sqrt(n).
    Columns group, value, low, high, recipients.
    """
    m = data.moments
    sel = m[(m["metric"] == metric) & (m["adjustment"] == adjustment)]
    n = sel["n"].to_numpy(np.float64)
    mean = sel["mean"].to_numpy(np.float64)
    if metric == "conversion" and adjustment == "raw":
        half = stats.norm.ppf(0.5 + level / 2) * np.sqrt(mean * (1 - mean) / n)
    else:
        half = (
            stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)) * sel["sd"].to_numpy() / np.sqrt(n)
        )
    return pd.DataFrame(
        {
            "group": sel["group"].to_numpy(),
            "value": mean,
            "low": mean - half,
            "high": mean + half,
            "recipients": n,
        }
    )


def narrowing(raw: pd.DataFrame, adjusted: pd.DataFrame) -> pd.DataFrame:
    """Raw and adjusted lifts side by side with how much narrower the adjusted interval is.

    Columns variant, raw_lift, raw_low, raw_high, adj_lift, adj_low, adj_high,
    narrower (1 - adjusted width / raw width), raw_p, adj_p.
    """
    left = raw.set_index("variant")
    right = adjusted.set_index("variant").reindex(left.index)
    width_raw = left["abs_high"] - left["abs_low"]
    width_adj = right["abs_high"] - right["abs_low"]
    return pd.DataFrame(
        {
            "variant": left.index,
            "raw_lift": left["abs_lift"].to_numpy(),
            "raw_low": left["abs_low"].to_numpy(),
            "raw_high": left["abs_high"].to_numpy(),
            "raw_p": left["p_adjusted"].to_numpy(),
            "adj_lift": right["abs_lift"].to_numpy(),
            "adj_low": right["abs_low"].to_numpy(),
            "adj_high": right["abs_high"].to_numpy(),
            "adj_p": right["p_adjusted"].to_numpy(),
            "narrower": (1 - width_adj / width_raw).to_numpy(),
        }
    )


def best_variant(conversion: pd.DataFrame, revenue: pd.DataFrame | None) -> str | None:
    """The variant with the largest lift in revenue per recipient (conversion when revenue is unknown)."""
    lifts = revenue if revenue is not None and len(revenue) else conversion
    if lifts is None or lifts.empty or lifts["abs_lift"].isna().all():
        return None
    return str(lifts.loc[lifts["abs_lift"].idxmax(), "variant"])


def comparisons_note(lifts: pd.DataFrame, alpha: float = 0.05) -> dict[str, float]:
    """How many breakdown comparisons there are, how many look significant, how many chance alone gives."""
    n = int(lifts["p_value"].notna().sum())
    return {
        "comparisons": n,
        "significant": int((lifts["p_value"] < alpha).sum()),
        "by_chance": n * alpha,
    }


# The demo campaign's totals (sample_data/campaign.csv), prefilled in the summary editor.
EXAMPLE_SUMMARY = pd.DataFrame(
    {
        "group": ["control", "variant_a", "variant_b"],
        "recipients": [6682, 6645, 6673],
        "conversions": [197, 240, 248],
        "revenue": [13105.54, 14877.46, 16644.24],
        "revenue_sd": [22.55, 16.01, 18.63],
    }
)


def heterogeneity(by: pd.DataFrame) -> pd.DataFrame:
    """Does a variant work the same for every level of an attribute? Cochran's Q per variant.

    "The same" means the same relative lift: a variant that adds 20% everywhere adds
    more points where the base rate is higher, and should not be flagged. So the
    test runs on the log of the ratio variant / control, d_i = log(1 + rel_i), with
    se_i = se(rel_i) / (1 + rel_i) (delta method). Q = sum w_i (d_i - d_w)^2 with
    w_i = 1 / se_i^2 and d_w the weighted mean; without differences Q follows
    chi-square with k - 1 degrees of freedom (Cochran 1954). Levels where either
    group has no conversions are left out. Expects `lift_by` output. Returns
    variant, levels, q, p_value and the level with the largest relative lift
    (top_level, top_lift, top_low, top_high: its absolute lift and interval).
    """
    rows = []
    z = stats.norm.ppf(0.975)
    for variant, block in by.groupby("variant", sort=False):
        block = block[(block["control"] > 0) & (block["value"] > 0)]
        rel_se = (block["rel_high"] - block["rel_low"]) / (2 * z)
        block = block[(rel_se > 0) & rel_se.notna()]
        if len(block) < 2:
            continue
        d = np.log1p(block["rel_lift"].to_numpy())
        se = rel_se[block.index].to_numpy() / (1 + block["rel_lift"].to_numpy())
        w = 1.0 / se**2
        q = float(np.sum(w * (d - np.sum(w * d) / np.sum(w)) ** 2))
        top = block.loc[block["rel_lift"].idxmax()]
        rows.append(
            {
                "variant": str(variant),
                "levels": len(block),
                "q": q,
                "p_value": float(stats.chi2.sf(q, len(block) - 1)),
                "top_level": str(top["level"]),
                "top_lift": float(top["abs_lift"]),
                "top_low": float(top["abs_low"]),
                "top_high": float(top["abs_high"]),
            }
        )
    columns = ["variant", "levels", "q", "p_value", "top_level", "top_lift", "top_low", "top_high"]
    return pd.DataFrame(rows, columns=columns)


def lift_table(lifts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every metric's lifts in one table, as shown and downloaded.

    One row per variant and metric (conversion first): control, value, abs_lift,
    abs_low, abs_high in percentage points for conversion (per-recipient amounts
    for revenue), relative lift and its interval in percent, p_value, p_adjusted.
    """
    parts = []
    for metric in METRICS:
        table = lifts.get(metric)
        if table is None or table.empty:
            continue
        scale = 100.0 if metric == "conversion" else 1.0
        part = table[["variant", "control", "value", "abs_lift", "abs_low", "abs_high"]].copy()
        part[["control", "value", "abs_lift", "abs_low", "abs_high"]] *= scale
        part.insert(1, "metric", metric)
        for column in ("rel_lift", "rel_low", "rel_high"):
            part[column] = table[column] * 100.0
        part["p_value"] = table["p_value"]
        part["p_adjusted"] = table["p_adjusted"]
        parts.append(part)
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True)


def arm_rates(data: CampaignData, control: str) -> pd.DataFrame:
    """Each group's conversion rate and its difference from the control (NaN without conversions)."""
    arms = data.arms
    rate = arms["conversions"] / arms["recipients"]
    return pd.DataFrame(
        {
            "group": arms.index.astype(str),
            "recipients": arms["recipients"].to_numpy(),
            "conversions": arms["conversions"].to_numpy(),
            "rate": rate.to_numpy(),
            "difference": (rate - rate.loc[control]).to_numpy(),
        }
    )
