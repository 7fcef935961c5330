"""Survey scores: NPS with its confidence interval, CSAT, rating distribution, monthly trends, breakdowns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from core.problems import Problem, problem

ScoreKind = Literal["nps", "rating", "csat"]
SCORE_KINDS: tuple[ScoreKind, ...] = ("nps", "rating", "csat")
MIN_RESPONSES = 10  # fewer answers than this: a score is shown but flagged as too thin
MIN_GROUP = 20  # groups with fewer answers are pooled as "other" in breakdowns
MAX_LEVELS = 30  # attributes with more distinct values are not offered for breakdowns


@dataclass(frozen=True)
class NpsResult:
    """Net Promoter Score in points (-100..100) with a normal-approximation interval.

    Promoters answer 9-10, passives 7-8, detractors 0-6 (Reichheld 2003).
    """

    n: int
    promoters: int
    passives: int
    detractors: int
    nps: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    problem: Problem | None = None


def nps_summary(answers: pd.Series | np.ndarray, confidence: float = 0.95) -> NpsResult:
    """NPS of 0-10 answers (missing values ignored) and its confidence interval.

    NPS = 100 (p_P - p_D). With counts from one multinomial sample of n answers, the
    variance of the difference of two of its proportions is
    Var(p_P - p_D) = [p_P (1 - p_P) + p_D (1 - p_D) + 2 p_P p_D] / n
                   = [p_P + p_D - (p_P - p_D)^2] / n,
    (the covariance of multinomial proportions is -p_P p_D / n), the Wald interval
    used for NPS by Rocks (2016), "Interval estimation for the net promoter score",
    The American Statistician 70(4). The interval is clipped to -100..100.

    Problems: "voc.no_nps" (no answer; an error), "voc.few_answers" (fewer than
    MIN_RESPONSES, param minimum; a warning).
    """
    values = pd.Series(np.asarray(answers, float)).dropna()
    n = len(values)
    promoters = int((values >= 9).sum())
    detractors = int((values <= 6).sum())
    passives = n - promoters - detractors
    if n == 0:
        return NpsResult(0, 0, 0, 0, None, None, None, None, problem("voc.no_nps"))
    p_p, p_d = promoters / n, detractors / n
    nps = p_p - p_d
    se = float(np.sqrt(max(p_p + p_d - nps**2, 0.0) / n))
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    low, high = max(nps - z * se, -1.0), min(nps + z * se, 1.0)
    few = (
        problem("voc.few_answers", "warning", n=n, minimum=MIN_RESPONSES)
        if n < MIN_RESPONSES
        else None
    )
    return NpsResult(
        n, promoters, passives, detractors, 100 * nps, 100 * se, 100 * low, 100 * high, few
    )


def nps_group(answers: pd.Series) -> pd.Series:
    """ "promoter", "passive" or "detractor" per 0-10 answer (missing stays missing)."""
    values = answers.to_numpy(float)
    group = np.where(values >= 9, "promoter", np.where(values >= 7, "passive", "detractor"))
    return pd.Series(group, index=answers.index, dtype="object").where(answers.notna())


def sentiment_by_nps_group(answers: pd.Series, sentiment: pd.Series) -> pd.Series:
    """Average sentiment of promoters, passives and detractors (groups with none left out)."""
    frame = pd.DataFrame({"group": nps_group(answers), "sentiment": sentiment}).dropna()
    means = frame.groupby("group")["sentiment"].mean()
    return means.reindex([g for g in ("promoter", "passive", "detractor") if g in means.index])


@dataclass(frozen=True)
class ShareResult:
    """A share of respondents (CSAT) with its Wilson score interval."""

    n: int
    hits: int
    share: float | None
    ci_low: float | None
    ci_high: float | None
    source: ScoreKind | None


def wilson_interval(hits: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson (1927) score interval for a binomial proportion."""
    if n == 0:
        return (np.nan, np.nan)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (float(centre - half), float(centre + half))


def satisfied(values: pd.Series, kind: ScoreKind) -> pd.Series:
    """Whether each answer counts as satisfied (top two boxes), NaN where there is no answer.

    Ratings 4-5 of 5; CSAT answers on their own scale: 4-5 of 5, 8-10 of 10 (top two
    boxes), 80 or more of 100. NPS answers: 9-10 (promoters).
    """
    top = values.max()
    if kind == "rating" or (kind == "csat" and top <= 5):
        threshold = 4.0
    elif kind == "nps" or (kind == "csat" and top <= 10):
        threshold = 9.0 if kind == "nps" else 8.0
    else:
        threshold = 80.0
    return (values >= threshold).astype(float).where(values.notna())


def csat_summary(feedback: pd.DataFrame, confidence: float = 0.95) -> ShareResult:
    """CSAT: the share of satisfied answers, from the csat column or else from ratings."""
    for kind in ("csat", "rating"):
        if kind in feedback and feedback[kind].notna().any():
            flags = satisfied(feedback[kind], kind).dropna()
            n, hits = len(flags), int(flags.sum())
            low, high = wilson_interval(hits, n, confidence)
            return ShareResult(n, hits, hits / n, low, high, kind)
    return ShareResult(0, 0, None, None, None, None)


def available_scores(feedback: pd.DataFrame) -> list[ScoreKind]:
    """The score columns the feedback has at least one answer in, in SCORE_KINDS order."""
    return [k for k in SCORE_KINDS if k in feedback and feedback[k].notna().any()]


def score_distribution(values: pd.Series, kind: ScoreKind) -> pd.DataFrame:
    """Answers per score value: score, answers, share, group (NPS group or satisfied/other)."""
    clean = values.dropna()
    if kind == "nps":
        levels = np.arange(11.0)
    elif kind == "rating":
        levels = np.arange(1.0, 6.0)
    else:
        levels = np.sort(clean.round().unique())
    counts = clean.round().value_counts().reindex(levels, fill_value=0)
    frame = pd.DataFrame({"score": levels, "answers": counts.to_numpy()})
    frame["share"] = frame["answers"] / max(len(clean), 1)
    if kind == "nps":
        frame["group"] = nps_group(frame["score"]).to_numpy()
    else:
        frame["group"] = np.where(
            satisfied(frame["score"], kind).to_numpy() == 1, "satisfied", "other"
        )
    return frame


def _group_table(frame: pd.DataFrame, by: str, confidence: float) -> pd.DataFrame:
    rows = []
    for value, part in frame.groupby(by, observed=True, sort=True):
        row: dict[str, object] = {by: value, "responses": len(part)}
        if "nps" in part:
            result = nps_summary(part["nps"], confidence)
            row |= {
                "nps_answers": result.n,
                "nps": result.nps,
                "nps_low": result.ci_low,
                "nps_high": result.ci_high,
            }
        if "rating" in part:
            row["avg_rating"] = part["rating"].mean()
        if "csat_flag" in part:
            row["csat"] = part["csat_flag"].mean()
        if "sentiment" in part:
            row["avg_sentiment"] = part["sentiment"].mean()
            row["texts"] = int(part["sentiment"].notna().sum())
        rows.append(row)
    return pd.DataFrame(rows)


def _scored_frame(feedback: pd.DataFrame, sentiment: pd.Series | None) -> pd.DataFrame:
    columns = {}
    for kind in ("nps", "rating"):
        if kind in feedback and feedback[kind].notna().any():
            columns[kind] = feedback[kind]
    csat = csat_summary(feedback)
    if csat.source is not None:
        columns["csat_flag"] = satisfied(feedback[csat.source], csat.source)
    if sentiment is not None and sentiment.notna().any():
        columns["sentiment"] = sentiment.reindex(feedback.index)
    return pd.DataFrame(columns, index=feedback.index)


def monthly_scores(
    feedback: pd.DataFrame, sentiment: pd.Series | None = None, confidence: float = 0.95
) -> pd.DataFrame:
    """Per calendar month: responses, NPS with interval, average rating, CSAT, average sentiment.

    Needs a date column; rows without a date are left out. Returns columns month
    (first day), responses, and whichever of nps/nps_low/nps_high, avg_rating, csat,
    avg_sentiment the data allows. Empty when there are no dates.
    """
    if "date" not in feedback or feedback["date"].notna().sum() == 0:
        return pd.DataFrame(columns=["month", "responses"])
    frame = _scored_frame(feedback, sentiment)
    frame["month"] = feedback["date"].dt.to_period("M").dt.to_timestamp()
    frame = frame[frame["month"].notna()]
    return _group_table(frame, "month", confidence)


def lowest_months(monthly: pd.DataFrame, column: str, count: int = 2) -> pd.DataFrame:
    """The `count` months with the lowest value of `column` among months with enough answers."""
    if column not in monthly:
        return monthly.iloc[0:0]
    answers = monthly["nps_answers"] if column == "nps" else monthly["responses"]
    enough = monthly[(answers >= MIN_GROUP) & monthly[column].notna()]
    return enough.nsmallest(count, column).sort_values("month")


def breakdown_scores(
    feedback: pd.DataFrame,
    groups: pd.Series,
    sentiment: pd.Series | None = None,
    confidence: float = 0.95,
    min_group: int = MIN_GROUP,
) -> pd.DataFrame:
    """Scores per value of `groups` (aligned with feedback rows); small groups pooled as "other".

    Missing values form the group "unknown". Returns one row per group with column
    group and the columns of `monthly_scores`, sorted by responses (largest first).
    """
    frame = _scored_frame(feedback, sentiment)
    values = groups.reindex(feedback.index).astype("object")
    values = values.where(values.notna(), "unknown").astype(str)
    counts = values.value_counts()
    small = counts.index[counts < min_group]
    frame["group"] = values.where(~values.isin(small) | (values == "unknown"), "other")
    table = _group_table(frame, "group", confidence)
    return table.sort_values("responses", ascending=False, ignore_index=True)


def _band(values: pd.Series) -> pd.Series:
    """A numeric attribute in (up to) four quartile bands labelled by their ranges."""
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.nunique() <= 6:
        return numbers.map(lambda v: f"{v:g}", na_action="ignore")
    edges = np.unique(np.nanquantile(numbers, [0, 0.25, 0.5, 0.75, 1.0]))
    labels = [f"{edges[i]:g}–{edges[i + 1]:g}" for i in range(len(edges) - 1)]
    return pd.cut(numbers, edges, labels=labels, include_lowest=True).astype("object")


def has_customer_ids(feedback: pd.DataFrame) -> bool:
    """Whether feedback rows name their customer (the customer ID column is optional)."""
    return "customer_id" in feedback and bool(feedback["customer_id"].notna().any())


def customer_link_problem(feedback: pd.DataFrame, other_tables: bool) -> Problem | None:
    """Why breakdowns by customer attribute or RFM segment are unavailable, when they are.

    `other_tables`: a customers or transactions table is loaded. Problem
    "voc.no_customer_id": the feedback has no customer ID to join them on.
    """
    if other_tables and not has_customer_ids(feedback):
        return Problem("voc.no_customer_id", severity="info")
    return None


def customer_attributes(
    feedback: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    rfm: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Attributes of the customer behind each feedback row, for breakdowns.

    Columns: "customer:<name>" for each customer attribute with few enough values
    (numbers in quartile bands; dates and ids left out) and "rfm_segment" from an
    RFM table (`core.segmentation.rfm_table(...).table`). Empty (no columns) when
    the feedback has no customer_id or nothing links.
    """
    out = pd.DataFrame(index=feedback.index)
    if not has_customer_ids(feedback):
        return out
    ids = feedback["customer_id"].astype("object").where(feedback["customer_id"].notna())
    if customers is not None and "customer_id" in customers:
        table = customers.drop_duplicates("customer_id").set_index(
            customers.drop_duplicates("customer_id")["customer_id"].astype(str)
        )
        for column in table.columns:
            if column == "customer_id":
                continue
            series = table[column]
            if pd.api.types.is_datetime64_any_dtype(series):
                continue
            if pd.api.types.is_numeric_dtype(series) and series.nunique() > 6:
                series = _band(series)
            elif series.nunique() > MAX_LEVELS:
                continue
            linked = ids.map(series.astype("object"))
            if linked.notna().any():
                out[f"customer:{column}"] = linked
    if rfm is not None and "rfm_segment" in rfm:
        linked = ids.map(rfm["rfm_segment"].astype("object"))
        if linked.notna().any():
            out["rfm_segment"] = linked
    return out
