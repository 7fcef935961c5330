"""Purchase models (BG/NBD, Pareto/NBD, MBG/NBD) and the Gamma-Gamma spend model behind one small interface.

The page and the rest of `core.clv` only use `fit_purchases` / `fit_spend` and the
methods of `PurchaseFit` / `SpendFit`; the `lifetimes` package is the engine here and
could be replaced by another implementation of `PurchaseEngine` without touching them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
import pandas as pd
from autograd import hessian, value_and_grad
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
from lifetimes.utils import ConvergenceError
from scipy.optimize import minimize

from core.calendar import DAYS_PER_MONTH, DAYS_PER_YEAR
from core.clv.data import too_few_customers
from core.problems import Problem, problem

PurchaseModelName = Literal["bgnbd", "pnbd", "mbgnbd"]
PURCHASE_MODELS: tuple[PurchaseModelName, ...] = ("bgnbd", "pnbd", "mbgnbd")
PARAM_NAMES: dict[str, tuple[str, ...]] = {
    "bgnbd": ("r", "alpha", "a", "b"),
    "pnbd": ("r", "alpha", "s", "beta"),
    "mbgnbd": ("r", "alpha", "a", "b"),
}
# Tried in turn when the plain maximum-likelihood fit fails or runs off to a boundary:
# an L2 penalty on the parameters (lifetimes' penalizer_coef) keeps them finite.
PENALIZERS = (0.0, 0.001, 0.01, 0.1)
MIN_REPEAT_BUYERS = 10  # fewer repeat buyers than this: Gamma-Gamma is not fitted
CORRELATION_WARNING = 0.3  # |r(frequency, spend)| above this breaks Gamma-Gamma's assumption
_MAX_PARAM = 1e6


class PurchaseEngine(Protocol):
    """What an implementation of a purchase model provides (times in the summary's unit)."""

    params: dict[str, float]

    def probability_alive(self, frequency, recency, T) -> np.ndarray: ...

    def expected_purchases(self, t, frequency, recency, T) -> np.ndarray: ...

    def expected_purchases_new(self, t) -> np.ndarray: ...


@dataclass(frozen=True)
class PurchaseFit:
    """A fitted purchase model: parameters with standard errors, and its predictions.

    `penalizer` is 0 for a plain maximum-likelihood fit; `problems` holds notes about
    the fit (info: "clv.penalized_fit" when a penalty was needed, "clv.no_dropout" when
    the data show no sign of customers dropping out).
    """

    model: PurchaseModelName
    params: dict[str, float]
    standard_errors: dict[str, float]
    n_customers: int
    penalizer: float
    log_likelihood: float
    problems: tuple[Problem, ...] = ()
    engine: PurchaseEngine | None = field(default=None, repr=False, compare=False)

    def probability_alive(self, frequency, recency, T) -> np.ndarray:
        """P(customer still active | x, t_x, T): eq. 5.2 of Fader, Hardie & Lee (2005) for BG/NBD."""
        p = np.asarray(self.engine.probability_alive(*_arrays(frequency, recency, T)), float)
        return np.clip(p, 0.0, 1.0)

    def expected_purchases(self, t: float, frequency, recency, T) -> np.ndarray:
        """E[purchases in the next t | x, t_x, T] (eq. 10 of Fader, Hardie & Lee 2005 for BG/NBD)."""
        if t <= 0:
            return np.zeros(len(np.atleast_1d(frequency)))
        out = self.engine.expected_purchases(float(t), *_arrays(frequency, recency, T))
        return np.maximum(np.nan_to_num(np.asarray(out, float)), 0.0)

    def expected_purchases_new(self, t) -> np.ndarray:
        """E[repeat purchases in (0, t]] of a customer who has just made a first purchase."""
        t = np.atleast_1d(np.asarray(t, float))
        out = np.zeros_like(t)
        positive = t > 0
        if positive.any():
            out[positive] = self.engine.expected_purchases_new(t[positive])
        return out


@dataclass(frozen=True)
class PurchaseFitResult:
    """A fitted purchase model, or why there is none (`problem`, a warning)."""

    fit: PurchaseFit | None
    problem: Problem | None = None


class _LifetimesEngine:
    """lifetimes' fitters as a `PurchaseEngine`."""

    def __init__(self, fitter) -> None:
        self.fitter = fitter
        self.params = {k: float(v) for k, v in fitter.params_.items()}

    def probability_alive(self, frequency, recency, T):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.fitter.conditional_probability_alive(frequency, recency, T)

    def expected_purchases(self, t, frequency, recency, T):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.fitter.conditional_expected_number_of_purchases_up_to_time(
                t, frequency, recency, T
            )

    def expected_purchases_new(self, t):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.fitter.expected_number_of_purchases_up_to_time(t)


def compress(summary: pd.DataFrame) -> pd.DataFrame:
    """Distinct (frequency, recency, T) patterns with their customer counts (Fader & Hardie's trick)."""
    return (
        summary.groupby(["frequency", "recency", "T"], sort=False)
        .size()
        .rename("weights")
        .reset_index()
    )


def fit_purchases(summary: pd.DataFrame, model: PurchaseModelName = "bgnbd") -> PurchaseFitResult:
    """Fit a purchase model to a summary with columns frequency, recency, T (`core.clv.rfm_summary`).

    Maximum likelihood as in lifetimes (v0.11): BG/NBD and MBG/NBD by lifetimes' own
    fitters (BFGS with autograd gradients); Pareto/NBD by lifetimes' likelihood
    (eq. 18 of Fader & Hardie's 2005 derivation note) minimised over log parameters with
    L-BFGS-B from a fixed start, since lifetimes' own Nelder-Mead starts at random and
    is slow. Standard errors from the Hessian of the log-likelihood in log parameters
    (delta method), as lifetimes computes them.

    Expected problems come back as `problem` (warnings): "clv.too_few_customers",
    "clv.no_repeat_buyers", "clv.one_day", "clv.fit_failed".
    """
    if model not in PARAM_NAMES:
        raise ValueError(f"model must be one of {PURCHASE_MODELS}, not {model!r}")
    if len(summary) < 2:
        return PurchaseFitResult(None, too_few_customers())
    if not (summary["frequency"] > 0).any():
        return PurchaseFitResult(None, problem("clv.no_repeat_buyers", "warning"))
    if not (summary["T"] > 0).any():
        return PurchaseFitResult(None, problem("clv.one_day", "warning"))
    patterns = compress(summary[["frequency", "recency", "T"]])
    for penalizer in PENALIZERS:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = _fit_once(patterns, model, penalizer)
        except (ConvergenceError, ValueError, np.linalg.LinAlgError, FloatingPointError):
            continue
        if fit is None:
            continue
        notes = (problem("clv.penalized_fit", "info"),) if penalizer else ()
        if model in ("bgnbd", "mbgnbd") and fit.params["a"] / fit.params["b"] < 1e-4:
            notes += (problem("clv.no_dropout", "info"),)
        return PurchaseFitResult(
            PurchaseFit(
                model,
                fit.params,
                fit.standard_errors,
                int(patterns["weights"].sum()),
                penalizer,
                fit.log_likelihood,
                notes,
                fit.engine,
            )
        )
    return PurchaseFitResult(None, problem("clv.fit_failed", "warning"))


@dataclass(frozen=True)
class _Fitted:
    params: dict[str, float]
    standard_errors: dict[str, float]
    log_likelihood: float
    engine: _LifetimesEngine


def _fit_once(patterns: pd.DataFrame, model: str, penalizer: float) -> _Fitted | None:
    x = patterns["frequency"].to_numpy(np.int64)
    t_x = patterns["recency"].to_numpy(float)
    T = patterns["T"].to_numpy(float)
    w = patterns["weights"].to_numpy(float)
    if model == "pnbd":
        return _fit_pareto(x, t_x, T, w, penalizer)
    fitter_class = BetaGeoFitter if model == "bgnbd" else ModifiedBetaGeoFitter
    scale = 1.0 / T.max()
    found = _minimise(
        fitter_class._negative_log_likelihood, (x, t_x * scale, T * scale, w, penalizer), 4
    )
    if found is None:
        return None
    log_params, mean_nll, variances = found
    names = PARAM_NAMES[model]
    params = {k: float(v) for k, v in zip(names, np.exp(log_params), strict=True)}
    params["alpha"] = float(params["alpha"] / scale)
    errors = _errors(params, variances / w.sum())
    if not _sane(params, errors):
        return None
    fitter = fitter_class(penalizer)
    fitter.params_ = pd.Series([params[k] for k in names], index=list(names))
    # The fit runs in time scaled to max(T) = 1; the likelihood in the data's unit differs
    # by the Jacobian of that change of time scale: sum of x * log(scale).
    log_likelihood = -mean_nll * w.sum() + np.log(scale) * float((w * x).sum())
    return _Fitted(params, errors, log_likelihood, _LifetimesEngine(fitter))


def _minimise(negative_log_likelihood, args: tuple, size: int):
    """BFGS on lifetimes' (mean, autograd-ready) negative log-likelihood in log parameters.

    As lifetimes' `_fit` (same start 0.1, tolerance, autograd gradient and Hessian), but
    a run that stops for "precision loss" with a vanishing gradient is accepted: it is at
    the optimum, which lifetimes would reject. Returns (log params, mean NLL, variances
    of the log params x n) or None.
    """
    objective = value_and_grad(negative_log_likelihood)
    output = minimize(objective, 0.1 * np.ones(size), jac=True, tol=1e-7, args=args)
    gradient_ok = np.all(np.isfinite(output.jac)) and np.max(np.abs(output.jac)) < 1e-4
    if not np.all(np.isfinite(output.x)) or not (output.success or gradient_ok):
        return None
    curvature = hessian(negative_log_likelihood)(output.x, *args)
    variances = np.diag(np.linalg.inv(curvature))
    return output.x, float(output.fun), variances


def _errors(params: dict[str, float], log_variances: np.ndarray) -> dict[str, float]:
    """Delta method: SE(theta) = theta x SE(log theta), as lifetimes computes them."""
    return {
        name: float(abs(value) * np.sqrt(v)) if v > 0 else float("nan")
        for (name, value), v in zip(params.items(), log_variances, strict=True)
    }


def _fit_pareto(x, t_x, T, w, penalizer: float) -> _Fitted | None:
    scale = 1.0 / T.max()
    args = (x, t_x * scale, T * scale, w, penalizer)
    nll = ParetoNBDFitter._negative_log_likelihood

    def objective(log_params: np.ndarray) -> float:
        value = nll(np.exp(log_params), *args)
        return float(value) if np.isfinite(value) else 1e300

    # L-BFGS-B from a fixed start (lifetimes' Nelder-Mead starts at random and needs
    # several times more likelihood evaluations, each costing hypergeometric functions).
    output = minimize(objective, np.zeros(4), method="L-BFGS-B", options={"maxiter": 500})
    if not np.all(np.isfinite(output.x)) or output.fun >= 1e300:
        return None
    scaled = np.exp(output.x)
    mean_weight = w.mean()

    def total_nll(log_params: np.ndarray) -> float:
        return float(nll(np.exp(log_params), x, t_x * scale, T * scale, w, 0.0)) * mean_weight

    hessian = numerical_hessian(total_nll, output.x)
    variances = np.diag(np.linalg.inv(hessian))
    params_scaled = {k: float(v) for k, v in zip(PARAM_NAMES["pnbd"], scaled, strict=True)}
    params = {**params_scaled}
    params["alpha"] = float(params_scaled["alpha"] / scale)
    params["beta"] = float(params_scaled["beta"] / scale)
    errors = _errors(params, variances)
    if not _sane(params, errors):
        return None
    fitter = ParetoNBDFitter(penalizer)
    fitter.params_ = pd.Series([params[k] for k in PARAM_NAMES["pnbd"]], index=PARAM_NAMES["pnbd"])
    log_likelihood = -total_nll(output.x) + np.log(scale) * float((w * x).sum())
    return _Fitted(params, errors, log_likelihood, _LifetimesEngine(fitter))


def numerical_hessian(function, point: np.ndarray, step: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian of a scalar function (for standard errors where no autograd)."""
    n = len(point)
    hessian = np.empty((n, n))
    f0 = function(point)
    for i in range(n):
        ei = np.zeros(n)
        ei[i] = step
        hessian[i, i] = (function(point + ei) - 2 * f0 + function(point - ei)) / step**2
        for j in range(i + 1, n):
            ej = np.zeros(n)
            ej[j] = step
            value = (
                function(point + ei + ej)
                - function(point + ei - ej)
                - function(point - ei + ej)
                + function(point - ei - ej)
            ) / (4 * step**2)
            hessian[i, j] = hessian[j, i] = value
    return hessian


def _sane(params: dict[str, float], errors: dict[str, float]) -> bool:
    values = np.array(list(params.values()))
    return bool(np.all(np.isfinite(values)) and np.all(values > 0) and np.all(values < _MAX_PARAM))


# ---------------------------------------------------------------------------
# Gamma-Gamma spend model
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SpendFit:
    """Gamma-Gamma (Fader & Hardie 2013) parameters p, q, v (v in money), or the plain-mean fallback.

    `params` is empty when the model could not be fitted; then `expected_spend`
    returns each customer's own mean spend per purchase day (population mean for none).
    `correlation` is Pearson's r between frequency and mean repeat spend among repeat
    buyers: Gamma-Gamma assumes they are independent. `left_out` counts the repeat
    buyers whose repeat purchases were all of 0 (not in the model: it needs a positive
    average), `zero_purchases` the repeat purchase days of 0 of all repeat buyers.
    """

    params: dict[str, float]
    standard_errors: dict[str, float]
    n_customers: int
    correlation: float
    population_mean: float
    problems: tuple[Problem, ...] = ()
    left_out: int = 0
    zero_purchases: int = 0

    @property
    def fitted(self) -> bool:
        return bool(self.params)

    def expected_spend(
        self, frequency, monetary_value, mean_spend: np.ndarray | None = None
    ) -> np.ndarray:
        """E[mean spend per purchase | x, m_x] (eq. 5 of Fader & Hardie 2013); the population mean for x = 0."""
        x = np.asarray(frequency, float)
        m = np.asarray(monetary_value, float)
        if not self.fitted:
            base = np.asarray(mean_spend, float) if mean_spend is not None else m
            return np.where(np.isfinite(base) & (base > 0), base, self.population_mean)
        p, q, v = self.params["p"], self.params["q"], self.params["v"]
        weight = (q - 1) / (p * x + q - 1)
        population = p * v / (q - 1)
        # No repeat purchase (or no positive repeat spend): the population mean.
        return np.where((x > 0) & (m > 0), weight * population + (1 - weight) * m, population)


def fit_spend(summary: pd.DataFrame) -> SpendFit:
    """Fit Gamma-Gamma to the repeat buyers' mean repeat spend (monetary_value, frequency > 0).

    This is the subset and definition of Fader & Hardie (2013), whose CDNOW estimates
    (p 6.25, q 3.74, gamma 15.44) the tests reproduce. Spend is divided by its median
    before fitting (the model is scale-equivariant: only v scales back), so huge
    amounts do not break the optimiser.

    Purchases of 0: a repeat purchase day of 0 counts at 0 in its customer's mean
    repeat spend, and only repeat buyers whose mean is 0 are left out (the model needs
    m_x > 0). This is lifetimes' convention (`summary_data_from_transaction_data`
    averages every repeat day; `GammaGammaFitter.fit` refuses non-positive means), and
    the one that reproduces issue 12's known answer on all 69,659 lines of
    CDNOW_master.txt, calibration to 1997-09-30: p 6.275, q 3.6245, gamma 14.98 on
    9,450 repeat buyers (dropping the 0 lines first would give p 6.271, q 3.626,
    gamma 15.00 on 9,449).

    Problems (warnings): "clv.spend_fallback" (too few repeat buyers or no fit: each
    customer's own average is used), "clv.penalized_fit", "clv.spend_correlated"
    (|r| >= CORRELATION_WARNING between frequency and spend), "clv.spend_heavy_tail"
    (q <= 1: no finite mean spend).
    """
    repeaters = summary[summary["frequency"] > 0]
    repeat = repeaters[repeaters["monetary_value"] > 0]
    zeros = int(repeaters["zero_repeat_days"].sum()) if "zero_repeat_days" in summary else 0
    spend_per_day = summary["total_spend"] / (summary["frequency"] + 1)
    positive = spend_per_day[spend_per_day > 0]
    population_mean = float(positive.mean()) if len(positive) else 0.0
    correlation = float("nan")
    if (
        len(repeat) >= 3
        and repeat["frequency"].nunique() > 1
        and repeat["monetary_value"].std() > 0
    ):
        correlation = float(np.corrcoef(repeat["frequency"], repeat["monetary_value"])[0, 1])
    notes: list[Problem] = []
    if np.isfinite(correlation) and abs(correlation) >= CORRELATION_WARNING:
        notes.append(problem("clv.spend_correlated", "warning"))

    def result(params=None, errors=None, mean=population_mean, first=()) -> SpendFit:
        found = tuple(problem(key, "warning") for key in first) + tuple(notes)
        return SpendFit(
            params or {},
            errors or {},
            len(repeat),
            correlation,
            mean,
            found,
            len(repeaters) - len(repeat),
            zeros,
        )

    if len(repeat) < MIN_REPEAT_BUYERS or repeat["monetary_value"].nunique() < 2:
        return result(first=("clv.spend_fallback",))
    scale = float(repeat["monetary_value"].median())
    frequency = repeat["frequency"].to_numpy(float)
    money = repeat["monetary_value"].to_numpy(float) / scale
    weights = np.ones(len(repeat))
    for penalizer in PENALIZERS:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = _minimise(
                    GammaGammaFitter._negative_log_likelihood,
                    (frequency, money, weights, penalizer),
                    3,
                )
            except (ValueError, np.linalg.LinAlgError, FloatingPointError):
                found = None
        if found is None:
            continue
        log_params, _, variances = found
        params = {k: float(v) for k, v in zip(("p", "q", "v"), np.exp(log_params), strict=True)}
        errors = _errors(params, variances / len(repeat))
        if not _sane(params, errors):
            continue
        params["v"] *= scale
        errors["v"] *= scale
        if params["q"] <= 1:
            return result(first=("clv.spend_heavy_tail",))
        mean = params["p"] * params["v"] / (params["q"] - 1)
        return result(params, errors, mean, ("clv.penalized_fit",) if penalizer else ())
    return result(first=("clv.spend_fallback",))


def _arrays(*columns) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(c, float) for c in columns)


# ---------------------------------------------------------------------------
# Plain readings of the parameters
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PurchaseReading:
    """What a purchase model's parameters mean in a marketer's units.

    purchases_per_month: mean purchase rate of an active customer (r / alpha, per month);
    dropout_per_purchase: mean chance of leaving after a purchase (a / (a + b); BG/NBD,
    MBG/NBD), or None; dropout_year: share of today's active customers gone within a
    year (Pareto/NBD: 1 - (beta / (beta + year))^s), or None; uneven: r < 1, i.e.
    purchase rates are very unequal (a few customers make most purchases);
    dropout_uncertain: the data cannot tell how fast customers leave
    (`dropout_is_uncertain`), so the two drop-out readings are not to be shown as facts.
    """

    purchases_per_month: float
    days_between: float
    dropout_per_purchase: float | None
    dropout_year: float | None
    uneven: bool
    dropout_uncertain: bool = False


def purchase_reading(fit: PurchaseFit, unit_days: float) -> PurchaseReading:
    p = fit.params
    per_unit = p["r"] / p["alpha"]
    per_month = per_unit * DAYS_PER_MONTH / unit_days
    days_between = unit_days / per_unit if per_unit > 0 else float("inf")
    if fit.model == "pnbd":
        year = DAYS_PER_YEAR / unit_days
        return PurchaseReading(
            per_month,
            days_between,
            None,
            1 - (p["beta"] / (p["beta"] + year)) ** p["s"],
            p["r"] < 1,
            dropout_is_uncertain(fit),
        )
    return PurchaseReading(
        per_month,
        days_between,
        p["a"] / (p["a"] + p["b"]),
        None,
        p["r"] < 1,
        dropout_is_uncertain(fit),
    )


DROPOUT_PARAMETERS = {"bgnbd": ("a", "b"), "mbgnbd": ("a", "b"), "pnbd": ("s", "beta")}


def dropout_is_uncertain(fit: PurchaseFit) -> bool:
    """True when the data pin down the drop-out process poorly.

    A drop-out parameter whose standard error exceeds its estimate (or is unknown) has a
    95% interval that reaches far below zero: the history is too short or too regular to
    tell how fast customers leave, and "chance still active" then mostly echoes the
    model's assumptions (e.g. nearly everyone "active" on one year of data).
    """
    for name in DROPOUT_PARAMETERS.get(fit.model, ()):
        se = fit.standard_errors.get(name, np.nan)
        if not np.isfinite(se) or se > fit.params[name]:
            return True
    return False


def parameter_table(params: dict[str, float], errors: dict[str, float]) -> pd.DataFrame:
    """Parameters with standard errors and 95% intervals (estimate ± 1.96 SE, as lifetimes)."""
    names = list(params)
    value = np.array([params[n] for n in names])
    se = np.array([errors.get(n, np.nan) for n in names])
    return pd.DataFrame(
        {
            "parameter": names,
            "estimate": value,
            "se": se,
            "low": value - 1.96 * se,
            "high": value + 1.96 * se,
        }
    )


def spend_spread(spend: SpendFit) -> float | None:
    """Coefficient of variation of customers' typical spend per purchase (1 / sqrt(q - 2)), q > 2."""
    if not spend.fitted or spend.params["q"] <= 2:
        return None
    return float(1 / np.sqrt(spend.params["q"] - 2))
