"""Key drivers: which topics pull the score down or up, and what resolving a topic would be worth.

The score (NPS answer 0-10, rating, or being a detractor 0/1) is regressed on topic
presence dummies by ordinary least squares (statsmodels) with HC3
heteroskedasticity-robust standard errors (MacKinnon & White 1985), the usual choice
for 0/1 regressors and for a 0/1 outcome (a linear probability model). A topic's
coefficient is the difference in score between texts that mention it and texts
that do not, holding the other topics fixed.

A topic "pulls the score down" (or up) only when its interval excludes zero; when
every score is the same, or there is a single topic, there is nothing to regress and
the result says so instead of showing zero effects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from core.ingest.problems import Problem

Target = Literal["nps", "rating", "detractor"]
Direction = Literal["down", "up", "unclear"]
MIN_ROWS = 30  # texts with a score needed for a driver regression
MIN_TOPIC_TEXTS = 5  # topics mentioned (or not mentioned) fewer times are left out


@dataclass(frozen=True)
class DriverResult:
    """One row per topic in `table`: topic, texts, frequency, impact, ci_low, ci_high,
    p_value, direction ("down"/"up" when the interval excludes zero, else "unclear")."""

    target: Target
    table: pd.DataFrame
    intercept: float | None
    n: int
    r_squared: float | None
    message: Problem | None = None


@dataclass(frozen=True)
class Driver:
    """A topic that clearly moves the score: its number, share of comments and impact."""

    topic: int
    frequency: float
    impact: float


def driver_target(feedback: pd.DataFrame, target: Target) -> pd.Series:
    """The outcome per row: the NPS answer, the rating, or 1/0 for detractor (NPS 0-6)."""
    if target == "detractor":
        nps = feedback["nps"]
        return (nps <= 6).astype(float).where(nps.notna())
    return feedback[target].astype(float)


COLUMNS = ["topic", "texts", "frequency", "impact", "ci_low", "ci_high", "p_value", "direction"]


def _no_variance(target: Target, value: float, n: int) -> Problem:
    if target == "detractor":
        return Problem(f"voc.no_variance_detractor_{'all' if value else 'none'}", {"n": n})
    return Problem(f"voc.no_variance_{target}", {"n": n, "value": f"{value:g}"})


def key_drivers(
    outcome: pd.Series, presence: pd.DataFrame, target: Target, confidence: float = 0.95
) -> DriverResult:
    """OLS of `outcome` on the topic dummies in `presence` (rows: texts; columns: topics).

    Rows are the texts in `presence` with an outcome. Topics mentioned in fewer than
    MIN_TOPIC_TEXTS texts, or missing from fewer than that, are left out (HC3 errors are
    undefined for a topic that all but one text mention), and so are topics whose
    mentions repeat an earlier topic's exactly (they cannot be told apart).

    Problems: "voc.too_few_scored" (fewer than MIN_ROWS rows), "voc.no_variance_<target>"
    (every score the same: nothing to explain; for detractors "..._detractor_all/none"),
    "voc.single_topic" (one topic: nothing to hold equal or compare), "voc.no_topics" (no
    topic both mentioned and not mentioned often enough).
    """
    import statsmodels.api as sm

    empty = pd.DataFrame(columns=COLUMNS)
    y = outcome.reindex(presence.index)
    rows = y.notna().to_numpy()
    n = int(rows.sum())
    if n < MIN_ROWS:
        return DriverResult(target, empty, None, n, None, Problem("voc.too_few_scored", {"n": n}))
    values = y[rows].to_numpy(float)
    if np.ptp(values) == 0:
        return DriverResult(target, empty, None, n, None, _no_variance(target, values[0], n))
    if presence.shape[1] < 2:
        return DriverResult(target, empty, None, n, None, Problem("voc.single_topic", {"n": n}))
    x = presence[rows].astype(float)
    counts = x.sum()
    usable = [c for c in x.columns if MIN_TOPIC_TEXTS <= counts[c] <= n - MIN_TOPIC_TEXTS]
    usable = list(x[usable].T.drop_duplicates().index)
    if not usable:
        return DriverResult(target, empty, None, n, None, Problem("voc.no_topics", {"n": n}))
    design = sm.add_constant(x[usable].to_numpy(), has_constant="add")
    fit = sm.OLS(values, design).fit(cov_type="HC3")
    interval = fit.conf_int(alpha=1 - confidence)
    table = pd.DataFrame(
        {
            "topic": usable,
            "texts": counts[usable].to_numpy(int),
            "frequency": (counts[usable] / n).to_numpy(),
            "impact": fit.params[1:],
            "ci_low": interval[1:, 0],
            "ci_high": interval[1:, 1],
            "p_value": fit.pvalues[1:],
        }
    )
    finite = np.isfinite(table[["impact", "ci_low", "ci_high", "p_value"]]).all(axis=1)
    table = table[finite].reset_index(drop=True)
    if table.empty:
        return DriverResult(target, empty, None, n, None, Problem("voc.no_topics", {"n": n}))
    # In score terms: for the detractor target a positive impact (more detractors) is "down".
    worse = _worse_sign(target) * table["impact"] > 0
    clear = (table["ci_high"] < 0) | (table["ci_low"] > 0)
    table["direction"] = np.where(clear, np.where(worse, "down", "up"), "unclear")
    return DriverResult(target, table, float(fit.params[0]), n, float(fit.rsquared))


def _worse_sign(target: Target) -> int:
    """+1 when a larger outcome is worse (being a detractor), -1 for NPS answers and ratings."""
    return 1 if target == "detractor" else -1


def strongest_drivers(result: DriverResult) -> tuple[Driver | None, Driver | None]:
    """The topic that pulls the score down most and the one that lifts it most, each only
    if its interval excludes zero (a "biggest drag" must be one); None otherwise."""
    table = result.table
    if result.message is not None or table.empty:
        return None, None
    size = table["impact"].abs()

    def pick(direction: str) -> Driver | None:
        rows = size[table["direction"] == direction]
        if rows.empty:
            return None
        row = table.loc[rows.idxmax()]
        return Driver(int(row["topic"]), float(row["frequency"]), float(row["impact"]))

    return pick("down"), pick("up")


def pulling_topics(result: DriverResult) -> list[int]:
    """Topics whose estimated impact makes the score worse (clear or not), worst first:
    the ones a "fix this topic" what-if can be asked about."""
    if result.message is not None or result.table.empty:
        return []
    table = result.table.assign(worse=_worse_sign(result.target) * result.table["impact"])
    pulling = table[table["worse"] > 0].sort_values("worse", ascending=False)
    return [int(t) for t in pulling["topic"]]


def expected_nps(answers: np.ndarray) -> float:
    """Expected NPS of answers that may be fractional after a shift.

    An answer z between two whole answers is read as floor(z) with probability
    1 - frac(z) and floor(z) + 1 with probability frac(z) (its expected value is z);
    whole answers give exactly `nps_summary`'s NPS.
    """
    z = np.clip(np.asarray(answers, float), 0, 10)
    low = np.floor(z)
    frac = z - low
    promoter = (1 - frac) * (low >= 9) + frac * (low + 1 >= 9)
    detractor = (1 - frac) * (low <= 6) + frac * (low + 1 <= 6)
    return float(100 * (promoter.mean() - detractor.mean()))


@dataclass(frozen=True)
class WhatIfResult:
    """Expected score before and after the topic's pull is removed for a share of its texts."""

    metric: Target
    before: float
    after: float
    after_low: float
    after_high: float
    affected: int

    @property
    def change(self) -> float:
        return self.after - self.before


def resolve_topic(
    outcome: pd.Series,
    presence: pd.DataFrame,
    drivers: DriverResult,
    topic: int,
    share: float = 1.0,
) -> WhatIfResult | None:
    """What if the complaints behind `topic` were resolved for `share` of the texts that mention it.

    The driver model says mentioning the topic moves the score by its impact b (with
    interval [lo, hi]). Resolving it for a text moves that text's score by -b (a pull
    removed; a topic that lifts scores is left alone: b is capped at 0 on the side that
    makes the score worse, which for the detractor target is b > 0).
    For NPS answers each shifted answer is clipped to 0-10 and the expected NPS
    recomputed (`expected_nps`);
    for a rating, clipped to the rating scale; for detractors, the detractor share.
    Applied to a random `share` of the texts, the expected result is the mix of the
    two: before + share x (full change). The interval uses the ends of b's interval.
    `outcome` covers every respondent with a score (also those without a comment), so
    "before" is the score of all respondents.
    """
    row = drivers.table[drivers.table["topic"] == topic]
    if row.empty:
        return None
    rows = outcome.notna().to_numpy()
    values = outcome[rows].to_numpy(float)
    mentions = presence[topic].reindex(outcome.index, fill_value=False)[rows].to_numpy(bool)

    def metric(shift: float) -> float:
        moved = values.copy()
        worse = shift if drivers.target == "detractor" else -shift
        moved[mentions] = moved[mentions] - (shift if worse > 0 else 0.0)
        if drivers.target == "nps":
            return expected_nps(moved)
        if drivers.target == "detractor":
            return float(np.clip(moved, 0, 1).mean() * 100)
        return float(np.clip(moved, 1, 5).mean())

    before = metric(0.0)
    full = metric(float(row["impact"].iloc[0]))
    ends = [metric(float(row["ci_low"].iloc[0])), metric(float(row["ci_high"].iloc[0]))]
    low, high = min(ends), max(ends)
    return WhatIfResult(
        drivers.target,
        before,
        before + share * (full - before),
        before + share * (low - before),
        before + share * (high - before),
        int(round(mentions.sum() * share)),
    )
