"""Known-answer tests for the Voice of the customer scores and key drivers (core.voc.scores, drivers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.proportion import proportion_confint

from core.voc.drivers import (
    MIN_TOPIC_TEXTS,
    driver_target,
    expected_nps,
    key_drivers,
    resolve_topic,
)
from core.voc.scores import (
    breakdown_scores,
    csat_summary,
    customer_attributes,
    lowest_months,
    monthly_scores,
    nps_group,
    nps_summary,
    score_distribution,
    wilson_interval,
)


def _answers(promoters: int, passives: int, detractors: int) -> pd.Series:
    return pd.Series([10] * promoters + [7] * passives + [3] * detractors, dtype=float)


def test_nps_and_its_interval_by_hand():
    # 50 promoters, 30 passives, 20 detractors out of 100.
    # NPS = 100 (0.5 - 0.2) = 30. Var(p_P - p_D) = (p_P + p_D - (p_P - p_D)^2) / n
    # = (0.7 - 0.09) / 100 = 0.0061, se = 0.078102 -> 7.8102 points (Rocks 2016);
    # 95% interval 30 -/+ 1.959964 x 7.8102 = 14.69 .. 45.31.
    result = nps_summary(_answers(50, 30, 20))
    assert (result.n, result.promoters, result.passives, result.detractors) == (100, 50, 30, 20)
    assert result.nps == pytest.approx(30.0)
    assert result.se == pytest.approx(7.8102, abs=1e-4)
    assert result.ci_low == pytest.approx(14.692, abs=1e-3)
    assert result.ci_high == pytest.approx(45.308, abs=1e-3)
    assert result.problem is None


def test_nps_variance_equals_the_variance_of_plus_one_zero_minus_one_scores():
    # The same variance another way: score each answer +1 / 0 / -1; NPS is their mean
    # and Var(mean) = population variance / n.
    answers = pd.Series([0, 3, 6, 7, 8, 9, 10, 10, 9, 2, 8, 10, 5], dtype=float)
    coded = np.where(answers >= 9, 1, np.where(answers <= 6, -1, 0))
    result = nps_summary(answers)
    assert result.nps == pytest.approx(100 * coded.mean())
    assert result.se == pytest.approx(100 * np.sqrt(coded.var() / len(coded)))


def test_nps_edge_cases():
    assert nps_summary(pd.Series([], dtype=float)).problem.key == "voc.no_nps"
    few = nps_summary(pd.Series([10, 10, 0, np.nan]))
    assert few.n == 3 and few.problem.key == "voc.few_answers"
    # The threshold in the text is the constant core uses (MIN_RESPONSES = 10).
    assert few.problem.params == {"n": 3, "minimum": 10} and few.problem.severity == "warning"
    everyone = nps_summary(pd.Series([10.0] * 30))
    assert everyone.nps == 100 and everyone.ci_high == 100 and everyone.se == 0
    assert nps_group(pd.Series([9.0, 7.0, 6.0, np.nan])).tolist()[:3] == [
        "promoter",
        "passive",
        "detractor",
    ]


def test_wilson_interval_agrees_with_statsmodels():
    low, high = wilson_interval(37, 120)
    ref = proportion_confint(37, 120, alpha=0.05, method="wilson")
    assert (low, high) == pytest.approx(ref, abs=1e-6)


def test_csat_from_ratings_and_from_a_csat_column():
    feedback = pd.DataFrame({"rating": [5, 4, 3, 2, 1, 5, np.nan]})
    result = csat_summary(feedback)
    assert (result.n, result.hits, result.source) == (6, 3, "rating")
    assert result.share == pytest.approx(0.5)
    percent = csat_summary(pd.DataFrame({"csat": [90, 80, 79, 20]}))
    assert (percent.hits, percent.source) == (2, "csat")
    ten = csat_summary(pd.DataFrame({"csat": [10, 8, 7, 9, 2]}))
    assert ten.hits == 3  # top two boxes of a 0-10 scale: 8 and above (here 10, 8, 9)
    assert csat_summary(pd.DataFrame({"text": ["a"]})).share is None


def test_score_distribution_counts_every_value():
    dist = score_distribution(pd.Series([10, 10, 9, 7, 0, np.nan]), "nps")
    assert dist["score"].tolist() == list(range(11))
    assert dist["answers"].sum() == 5
    assert dist.set_index("score").loc[10, "answers"] == 2
    assert dist.set_index("score").loc[0, "group"] == "detractor"


def test_monthly_scores_by_hand():
    feedback = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-03", "2025-01-20", "2025-01-31", "2025-02-02"]),
            "nps": [10, 0, 8, 9],
            "rating": [5, 1, 4, 5],
        }
    )
    monthly = monthly_scores(feedback)
    assert monthly["month"].dt.strftime("%Y-%m").tolist() == ["2025-01", "2025-02"]
    assert monthly["responses"].tolist() == [3, 1]
    # January: 1 promoter, 1 detractor, 1 passive -> 0; February: 1 promoter -> +100.
    assert monthly["nps"].tolist() == pytest.approx([0.0, 100.0])
    assert monthly["avg_rating"].tolist() == pytest.approx([10 / 3, 5.0])
    assert monthly["csat"].tolist() == pytest.approx([2 / 3, 1.0])
    assert monthly_scores(feedback.drop(columns="date")).empty


def test_lowest_months_skip_thin_months():
    monthly = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"]),
            "responses": [50, 5, 40, 60],
            "nps_answers": [50, 5, 40, 60],
            "nps": [10.0, -80.0, 20.0, 30.0],
        }
    )
    assert lowest_months(monthly, "nps")["nps"].tolist() == [10.0, 20.0]


def test_breakdown_pools_small_groups_and_keeps_unknown():
    feedback = pd.DataFrame({"nps": [10.0] * 25 + [0.0] * 25 + [9.0] * 3 + [5.0] * 2})
    groups = pd.Series(["web"] * 25 + ["app"] * 25 + ["fax"] * 3 + [None] * 2)
    table = breakdown_scores(feedback, groups).set_index("group")
    assert table.loc["web", "nps"] == 100 and table.loc["app", "nps"] == -100
    assert table.loc["other", "responses"] == 3
    assert table.loc["unknown", "responses"] == 2


def test_customer_attributes_link_feedback_to_customers_and_segments():
    feedback = pd.DataFrame({"customer_id": ["C1", "C2", "C9", None]})
    customers = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3"],
            "region": ["North", "South", "East"],
            "signup_date": pd.to_datetime(["2024-01-01"] * 3),
        }
    )
    rfm = pd.DataFrame({"rfm_segment": ["champions", "loyal"]}, index=["C1", "C3"])
    attributes = customer_attributes(feedback, customers, rfm)
    assert attributes["customer:region"].iloc[:2].tolist() == ["North", "South"]
    assert attributes["customer:region"].iloc[2:].isna().all()  # C9 unknown, no id
    assert "customer:signup_date" not in attributes
    assert attributes["rfm_segment"].iloc[0] == "champions"
    assert pd.isna(attributes["rfm_segment"].iloc[1])
    assert customer_attributes(pd.DataFrame({"nps": [1]})).empty


# ------------------------------------------------------------------ key drivers
def _driver_data(seed: int = 3) -> tuple[pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n = 400
    presence = pd.DataFrame(
        {0: rng.random(n) < 0.25, 1: rng.random(n) < 0.4, 2: rng.random(n) < 0.1},
        index=pd.RangeIndex(100, 100 + n),
    )
    score = 8.5 - 3.0 * presence[0] + 0.8 * presence[1] + rng.normal(0, 1.2, n)
    return pd.Series(np.clip(np.round(score), 0, 10), index=presence.index), presence


def test_key_drivers_agree_with_statsmodels_run_directly():
    outcome, presence = _driver_data()
    outcome.iloc[:7] = np.nan  # unscored rows are left out
    result = key_drivers(outcome, presence, "nps")
    keep = outcome.notna()
    design = sm.add_constant(presence[keep].astype(float).to_numpy())
    ref = sm.OLS(outcome[keep].to_numpy(), design).fit(cov_type="HC3")
    assert result.n == int(keep.sum())
    assert result.table["impact"].to_numpy() == pytest.approx(ref.params[1:])
    assert result.table["ci_low"].to_numpy() == pytest.approx(ref.conf_int()[1:, 0])
    assert result.table["ci_high"].to_numpy() == pytest.approx(ref.conf_int()[1:, 1])
    assert result.table["p_value"].to_numpy() == pytest.approx(ref.pvalues[1:])
    assert result.intercept == pytest.approx(ref.params[0])
    assert result.r_squared == pytest.approx(ref.rsquared)
    # The planted effects are found: topic 0 pulls down by about 3 points.
    assert result.table.loc[0, "ci_low"] < -3.0 < result.table.loc[0, "ci_high"] + 0.5
    assert result.table.loc[0, "frequency"] == pytest.approx(presence[keep][0].mean())


def test_key_drivers_messages():
    outcome, presence = _driver_data()
    assert (
        key_drivers(outcome.iloc[:10], presence.iloc[:10], "nps").problem.key
        == "voc.too_few_scored"
    )
    rare = presence & False
    none = key_drivers(outcome, rare, "nps").problem
    assert none.key == "voc.no_topics" and none.params["minimum"] == MIN_TOPIC_TEXTS


def test_detractor_target():
    feedback = pd.DataFrame({"nps": [0, 6, 7, 10, np.nan]})
    assert driver_target(feedback, "detractor").tolist()[:4] == [1.0, 1.0, 0.0, 0.0]
    assert np.isnan(driver_target(feedback, "detractor").iloc[4])


def test_expected_nps_by_hand():
    whole = np.array([10, 9, 8, 7, 6, 0], dtype=float)
    assert expected_nps(whole) == pytest.approx(nps_summary(whole).nps)
    # 8.5 is half an 8 (passive) and half a 9 (promoter); 6.25 is 3/4 a 6 (detractor).
    assert expected_nps(np.array([8.5, 6.25])) == pytest.approx(100 * (0.25 - 0.375))
    assert expected_nps(np.array([12.0, -3.0])) == pytest.approx(0.0)  # clipped to 10 and 0


def test_resolve_topic_by_hand():
    outcome, presence = _driver_data()
    result = key_drivers(outcome, presence, "rating")
    rating = pd.Series(np.clip(outcome / 2, 1, 5), index=outcome.index)
    drivers = key_drivers(rating, presence, "rating")
    b = drivers.table.loc[0, "impact"]
    assert b < 0
    full = resolve_topic(rating, presence, drivers, 0, share=1.0)
    moved = rating.to_numpy().copy()
    mentions = presence[0].to_numpy()
    moved[mentions] -= b
    assert full.before == pytest.approx(rating.mean())
    assert full.after == pytest.approx(np.clip(moved, 1, 5).mean())
    assert full.after_low <= full.after <= full.after_high
    assert full.affected == mentions.sum()
    half = resolve_topic(rating, presence, drivers, 0, share=0.5)
    assert half.change == pytest.approx(full.change / 2)
    # A topic that lifts the score is left alone.
    lift = resolve_topic(rating, presence, drivers, 1, share=1.0)
    assert lift.change == pytest.approx(0.0)
    assert result.table.loc[1, "impact"] > 0
    assert resolve_topic(rating, presence, drivers, 99) is None
