"""A/B statistics of the Campaign page against statsmodels, scipy, hand calculations and simulation.

Known answers come from statsmodels/scipy run directly in the test on the same numbers,
from hand formulas written out here, or from the demo's planted figures in
sample_data/README.md ("Campaign evaluation").
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, ttest_ind

from core.campaign.abtest import (
    EXAMPLE_SUMMARY,
    best_variant,
    chance_to_beat,
    compare,
    comparisons_note,
    cuped_adjust,
    detect_control,
    from_rows,
    from_totals,
    group_intervals,
    heterogeneity,
    holm,
    is_aggregate,
    lift_by,
    narrowing,
    outlier_note,
    relative_lift,
    srm_check,
    strength,
)
from core.ingest import ingest_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    result = ingest_file((ROOT / "sample_data" / "campaign.csv").read_bytes(), "c.csv", "campaign")
    return result.table


def _rows(groups: dict[str, tuple[int, int]], revenue: float = 40.0) -> pd.DataFrame:
    """Per-customer rows: {group: (recipients, conversions)}; each converter spends `revenue`."""
    parts = []
    for group, (n, x) in groups.items():
        converted = np.r_[np.ones(x), np.zeros(n - x)]
        parts.append(
            pd.DataFrame({"group": group, "converted": converted, "revenue": converted * revenue})
        )
    return pd.concat(parts, ignore_index=True)


# --- the demo's planted figures ---------------------------------------------------------------


def test_demo_rates_z_test_srm_and_cuped_match_the_sample_data_readme(demo):
    data = from_rows(demo)
    assert data.ok
    rates = (data.arms["conversions"] / data.arms["recipients"]).round(4)
    assert rates.to_dict() == {"control": 0.0295, "variant_a": 0.0361, "variant_b": 0.0372}
    lift = compare(data, "control", "conversion").set_index("variant")
    assert lift.loc["variant_a", "abs_lift"] == pytest.approx(0.0066, abs=5e-5)
    assert lift.loc["variant_a", "statistic"] == pytest.approx(2.15, abs=0.005)
    assert lift.loc["variant_a", "p_value"] == pytest.approx(0.03, abs=0.005)
    srm = srm_check(
        data.arms["recipients"], pd.Series({"control": 34, "variant_a": 33, "variant_b": 33})
    )
    assert round(srm.chi2, 1) == 3.2 and not srm.flagged
    assert data.cuped_reduction["revenue"] == pytest.approx(0.13, abs=0.01)


def test_demo_variant_b_works_only_for_lapsed_customers(demo):
    data = from_rows(demo)
    by = lift_by(data, "control", "segment", "conversion").set_index(["level", "variant"])
    # README: lapsed 2.6% -> 8.4% (+5.8 points); active 10.6 -> 10.6; subscriber 2.2 -> 2.1.
    assert by.loc[("lapsed", "variant_b"), "abs_lift"] == pytest.approx(0.058, abs=0.001)
    assert by.loc[("lapsed", "variant_b"), "abs_low"] > 0
    for segment in ("active", "subscriber"):
        row = by.loc[(segment, "variant_b")]
        assert row["abs_low"] < 0 < row["abs_high"]
    note = comparisons_note(by.reset_index())
    assert note["comparisons"] == 6 and note["by_chance"] == pytest.approx(0.3)


def test_totals_give_the_same_conversion_test_as_rows(demo):
    rows = compare(from_rows(demo), "control", "conversion")
    totals = compare(from_totals(EXAMPLE_SUMMARY), "control", "conversion")
    pd.testing.assert_series_equal(rows["statistic"], totals["statistic"])
    pd.testing.assert_series_equal(rows["abs_low"], totals["abs_low"])


# --- conversion: z-test and Wald interval ---------------------------------------------------


def test_conversion_test_and_interval_match_statsmodels_and_the_hand_formula():
    data = from_totals(
        pd.DataFrame(
            {"group": ["control", "b"], "recipients": [10000, 9800], "conversions": [300, 362]}
        )
    )
    row = compare(data, "control", "conversion").iloc[0]
    z, p = proportions_ztest([362, 300], [9800, 10000])
    assert row["statistic"] == pytest.approx(z, rel=1e-12)
    assert row["p_value"] == pytest.approx(p, rel=1e-12)
    # Hand: pooled p = 662 / 19800; z = (p_b - p_c) / sqrt(p (1 - p) (1/n_b + 1/n_c)).
    pooled = 662 / 19800
    z_hand = (362 / 9800 - 0.03) / math.sqrt(pooled * (1 - pooled) * (1 / 9800 + 1 / 10000))
    assert row["statistic"] == pytest.approx(z_hand, rel=1e-12)
    low, high = confint_proportions_2indep(362, 9800, 300, 10000, method="wald", compare="diff")
    assert (row["abs_low"], row["abs_high"]) == pytest.approx((low, high), rel=1e-9)


def test_several_variants_are_holm_corrected():
    data = from_totals(
        pd.DataFrame(
            {
                "group": ["control", "a", "b", "c"],
                "recipients": [5000, 5000, 5000, 5000],
                "conversions": [150, 190, 175, 160],
            }
        )
    )
    lifts = compare(data, "control", "conversion")
    expected = multipletests(lifts["p_value"], method="holm")[1]
    np.testing.assert_allclose(lifts["p_adjusted"], expected)
    # Hand: Holm multiplies the k-th smallest of m p-values by (m - k + 1), keeps them increasing.
    np.testing.assert_allclose(holm(np.array([0.01, 0.04, 0.03])), [0.03, 0.06, 0.06])
    many = np.random.default_rng(1).uniform(0, 0.2, 12)
    np.testing.assert_allclose(holm(many), multipletests(many, method="holm")[1])
    assert np.isnan(holm(np.array([np.nan, 0.02]))[0])


# --- revenue: Welch ---------------------------------------------------------------------------


def test_welch_from_rows_matches_statsmodels_ttest_ind_unequal():
    rng = np.random.default_rng(3)
    n_c, n_t = 3000, 2500
    rev_c = rng.binomial(1, 0.04, n_c) * rng.lognormal(3.5, 0.9, n_c)
    rev_t = rng.binomial(1, 0.05, n_t) * rng.lognormal(3.6, 1.0, n_t)
    table = pd.DataFrame(
        {"group": ["control"] * n_c + ["test"] * n_t, "revenue": np.r_[rev_c, rev_t]}
    )
    row = compare(from_rows(table), "control", "revenue").iloc[0]
    t, p, _ = ttest_ind(rev_t, rev_c, usevar="unequal")
    assert row["statistic"] == pytest.approx(t, rel=1e-9)
    assert row["p_value"] == pytest.approx(p, rel=1e-9)
    low, high = CompareMeans(DescrStatsW(rev_t), DescrStatsW(rev_c)).tconfint_diff(usevar="unequal")
    assert (row["abs_low"], row["abs_high"]) == pytest.approx((low, high), rel=1e-9)


def test_revenue_from_totals_needs_a_standard_deviation():
    no_sd = from_totals(EXAMPLE_SUMMARY.drop(columns="revenue_sd"))
    assert "campaign.revenue_needs_sd" in {n.key for n in no_sd.notes}
    row = compare(no_sd, "control", "revenue").iloc[0]
    assert row["abs_lift"] == pytest.approx(14877.46 / 6645 - 13105.54 / 6682)
    assert math.isnan(row["p_value"]) and math.isnan(row["abs_low"])
    with_sd = compare(from_totals(EXAMPLE_SUMMARY), "control", "revenue").iloc[0]
    res = stats.ttest_ind_from_stats(
        14877.46 / 6645, 16.01, 6645, 13105.54 / 6682, 22.55, 6682, equal_var=False
    )
    assert with_sd["p_value"] == pytest.approx(res.pvalue)


# --- relative lift: delta method against simulation --------------------------------------------


def test_relative_lift_delta_interval_covers_the_truth_as_often_as_it_claims():
    rng = np.random.default_rng(42)
    p_c, p_t, n = 0.05, 0.06, 8000
    truth = p_t / p_c - 1
    sims = 20000
    rate_c = rng.binomial(n, p_c, sims) / n
    rate_t = rng.binomial(n, p_t, sims) / n
    rel, se = relative_lift(rate_t, rate_t * (1 - rate_t) / n, rate_c, rate_c * (1 - rate_c) / n)
    covered = np.mean((rel - 1.959964 * se <= truth) & (truth <= rel + 1.959964 * se))
    # 95% nominal; with 20,000 simulated experiments the coverage's standard error is 0.15 points.
    assert covered == pytest.approx(0.95, abs=0.01)
    # The delta-method standard error matches the spread of the estimates across experiments.
    assert np.mean(se) == pytest.approx(np.std(rel), rel=0.03)
    # compare() reports exactly this interval.
    data = from_totals(
        pd.DataFrame({"group": ["control", "t"], "recipients": [n, n], "conversions": [400, 480]})
    )
    row = compare(data, "control", "conversion").iloc[0]
    one, one_se = relative_lift(0.06, 0.06 * 0.94 / n, 0.05, 0.05 * 0.95 / n)
    assert row["rel_lift"] == pytest.approx(one)
    assert row["rel_high"] - row["rel_lift"] == pytest.approx(stats.norm.ppf(0.975) * one_se)


# --- trust: SRM ---------------------------------------------------------------------------------


def test_srm_flags_a_planted_52_48_imbalance_and_not_a_fair_split():
    planted = srm_check(pd.Series({"control": 10400, "variant": 9600}))
    # Hand: expected 10,000 each; chi2 = 2 * 400^2 / 10,000 = 32.
    assert planted.chi2 == pytest.approx(32.0)
    assert planted.flagged and planted.p_value < 1e-6
    fair = srm_check(pd.Series({"control": 10050, "variant": 9950}))
    assert fair.chi2 == pytest.approx(0.5) and not fair.flagged  # 2 x 50^2 / 10,000
    # Fair random splits are flagged about 0.1% of the time, as the threshold says.
    rng = np.random.default_rng(0)
    flags = sum(
        srm_check(pd.Series({"a": k, "b": 20000 - k})).flagged
        for k in rng.binomial(20000, 0.5, 500)
    )
    assert flags <= 3


def test_srm_uses_the_intended_split():
    sizes = pd.Series({"control": 2000, "variant": 8000})
    assert srm_check(sizes).flagged
    assert not srm_check(sizes, pd.Series({"control": 20, "variant": 80})).flagged


# --- CUPED --------------------------------------------------------------------------------------


def _cuped_experiment(seed: int, effect: float = 1.0, n: int = 4000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pre = rng.gamma(2.0, 20.0, 2 * n)
    outcome = 0.5 * pre + rng.normal(0, 15, 2 * n)
    group = np.repeat(["control", "test"], n)
    outcome[n:] += effect
    return pd.DataFrame({"group": group, "revenue": outcome, "pre_period_spend": pre})


def test_cuped_narrows_the_interval_on_correlated_data():
    data = from_rows(_cuped_experiment(1))
    raw = compare(data, "control", "revenue")
    adjusted = compare(data, "control", "revenue", "cuped")
    side = narrowing(raw, adjusted)
    # Variance removed = corr(pre, outcome)^2 (Deng et al. 2013); the interval's width scales
    # with the standard deviation, so it narrows by 1 - sqrt(1 - r^2) (about 27% here).
    frame = _cuped_experiment(1)
    r = np.corrcoef(frame["pre_period_spend"], frame["revenue"])[0, 1]
    assert data.cuped_reduction["revenue"] == pytest.approx(r**2, abs=0.01)
    assert side["narrower"].iloc[0] == pytest.approx(1 - math.sqrt(1 - r**2), abs=0.02)
    assert side["narrower"].iloc[0] > 0.2


def test_cuped_point_estimate_is_unbiased():
    estimates = []
    for seed in range(300):
        frame = _cuped_experiment(seed, n=2000)
        adjusted, _, _ = cuped_adjust(
            frame["revenue"].to_numpy(), frame["pre_period_spend"].to_numpy()
        )
        test = frame["group"].to_numpy() == "test"
        estimates.append(adjusted[test].mean() - adjusted[~test].mean())
    # True effect 1.0; each estimate has a standard error of about 0.35, their mean about 0.02.
    assert np.mean(estimates) == pytest.approx(1.0, abs=0.08)
    # The page's pipeline gives the same estimate as the adjustment by hand.
    frame = _cuped_experiment(0, n=2000)
    row = compare(from_rows(frame), "control", "revenue", "cuped").iloc[0]
    assert row["abs_lift"] == pytest.approx(estimates[0])


def test_cuped_adjust_by_hand():
    outcome = np.array([1.0, 2.0, 4.0, 5.0])
    pre = np.array([0.0, 1.0, 2.0, 3.0])
    adjusted, theta, _ = cuped_adjust(outcome, pre)
    # Hand: cov(pre, y) = 7/3 (ddof 1), var(pre) = 5/3 -> theta = 1.4; mean(pre) = 1.5.
    assert theta == pytest.approx(1.4)
    np.testing.assert_allclose(adjusted, outcome - 1.4 * (pre - 1.5))
    _, theta, reduction = cuped_adjust(outcome, np.ones(4))
    assert math.isnan(theta) and reduction == 0.0


# --- outliers ---------------------------------------------------------------------------------


def test_capped_revenue_is_cut_at_the_99th_percentile_of_buyers():
    rng = np.random.default_rng(5)
    table = _rows({"control": (2000, 200), "test": (2000, 220)})
    buyers = table["revenue"] > 0
    table.loc[buyers, "revenue"] = rng.lognormal(3.5, 0.8, buyers.sum())
    table.loc[table.index[buyers][:3], "revenue"] = 50_000.0  # three bulk orders
    data = from_rows(table)
    cap = np.quantile(table.loc[buyers, "revenue"], 0.99)
    assert data.cap == pytest.approx(cap)
    capped = group_intervals(data, "revenue", "capped").set_index("group")
    by_hand = table["revenue"].clip(upper=cap).groupby(table["group"]).mean()
    assert capped.loc["control", "value"] == pytest.approx(by_hand["control"])
    note = outlier_note(data)
    assert note is not None and note.key == "campaign.outliers"


# --- Bayesian -----------------------------------------------------------------------------------


def _miller_exact(a_t: int, b_t: int, a_c: int, b_c: int) -> float:
    """Evan Miller (2015), "Formulas for Bayesian A/B testing": P(p_t > p_c) for Beta posteriors."""
    i = np.arange(a_t)
    terms = special.betaln(a_c + i, b_c + b_t) - np.log(b_t + i) - special.betaln(1 + i, b_t)
    return float(np.sum(np.exp(terms - special.betaln(a_c, b_c))))


def test_chance_to_beat_matches_the_closed_form():
    exact = _miller_exact(1 + 240, 1 + 6645 - 240, 1 + 197, 1 + 6682 - 197)
    assert chance_to_beat(240, 6645, 197, 6682) == pytest.approx(exact, abs=0.003)
    exact = _miller_exact(1 + 30, 1 + 970, 1 + 30, 1 + 970)
    assert exact == pytest.approx(0.5, abs=1e-9)
    assert chance_to_beat(30, 1000, 30, 1000) == pytest.approx(0.5, abs=0.004)


# --- words --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "expected"),
    [(0.0002, "very_unlikely"), (0.03, "unlikely"), (0.12, "maybe"), (0.6, "likely")],
    ids=["tiny", "small", "borderline", "large"],
)
def test_strength_words(p, expected):
    assert strength(p) == expected
    assert strength(math.nan) is None


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        (["variant_a", "Control", "variant_b"], "Control"),
        (["A", "holdout"], "holdout"),
        (["实验组", "对照组"], "对照组"),
        (["test", "control_group_2"], "control_group_2"),
        (["Mens E-Mail", "Womens E-Mail", "No E-Mail"], "No E-Mail"),
        (["gate_30", "gate_40"], None),
        (["A", "B"], None),
    ],
    ids=["english", "holdout", "chinese", "contains", "hillstrom", "cookie-cats", "none"],
)
def test_detect_control(groups, expected):
    assert detect_control(groups) == expected


def test_best_variant_prefers_revenue():
    conv = pd.DataFrame({"variant": ["a", "b"], "abs_lift": [0.02, 0.01]})
    rev = pd.DataFrame({"variant": ["a", "b"], "abs_lift": [0.1, 0.5]})
    assert best_variant(conv, rev) == "b"
    assert best_variant(conv, None) == "a"


# --- bad tables -------------------------------------------------------------------------------


def _keys(data) -> set[str]:
    return {n.key for n in data.notes}


def test_one_group_only_is_a_clear_problem():
    data = from_rows(_rows({"everyone": (100, 5)}))
    assert not data.ok and data.problem.key == "campaign.one_group"
    data = from_totals(pd.DataFrame({"group": ["a"], "recipients": [100], "conversions": [3]}))
    assert data.problem.key == "campaign.one_group"


def test_missing_columns_are_clear_problems():
    assert from_rows(pd.DataFrame({"converted": [1, 0]})).problem.key == "campaign.no_group_column"
    assert from_rows(pd.DataFrame({"group": ["a", "b"]})).problem.key == "campaign.no_outcome"
    assert from_totals(pd.DataFrame({"group": ["a"]})).problem.key == "campaign.summary_columns"


@pytest.mark.parametrize(
    "groups,key",
    [
        ({"control": (500, 0), "test": (500, 0)}, "campaign.zero_conversions"),
        ({"control": (500, 500), "test": (400, 400)}, "campaign.all_converted"),
    ],
    ids=["nobody-converted", "everybody-converted"],
)
def test_an_outcome_that_never_varies_is_a_message_not_a_test(groups, key):
    # Rows: no difference and no variance in any group -> no NaN, no "p 0.000", a message.
    data = from_rows(_rows(groups))
    assert not data.ok and data.problem.key == key
    assert key in _keys(data)
    # Totals: the same.
    totals = pd.DataFrame(
        {
            "group": list(groups),
            "recipients": [n for n, _ in groups.values()],
            "conversions": [x for _, x in groups.values()],
        }
    )
    assert from_totals(totals).problem.key == key


def test_constant_conversion_with_varying_revenue_keeps_revenue():
    table = _rows({"control": (300, 300), "test": (300, 300)})
    table["revenue"] = np.random.default_rng(1).gamma(2.0, 20.0, len(table))
    data = from_rows(table)
    assert data.ok and "campaign.all_converted" in _keys(data)
    assert not data.has("conversion") and data.has("revenue")
    row = compare(data, "control", "revenue").iloc[0]
    assert np.isfinite(row[["abs_lift", "abs_low", "abs_high", "p_value"]].astype(float)).all()


def test_zero_variance_in_revenue_is_a_message():
    table = _rows({"control": (300, 20), "test": (300, 25)})
    table["revenue"] = 5.0  # everybody spent the same
    data = from_rows(table)
    assert data.ok and "campaign.revenue_constant" in _keys(data)
    assert data.has("conversion") and not data.has("revenue")
    assert {n.params.get("value") for n in data.notes if n.key == "campaign.revenue_constant"} == {
        5.0
    }


def test_a_group_with_zero_recipients_is_named():
    totals = pd.DataFrame(
        {"group": ["control", "a", "b"], "recipients": [1000, 0, 1000], "conversions": [30, 0, 45]}
    )
    data = from_totals(totals)
    assert data.ok and data.groups == ["control", "b"]
    assert [n.params for n in data.notes if n.key == "campaign.empty_groups"] == [{"groups": ["a"]}]
    rows = _rows({"control": (300, 20), "test": (300, 25)})
    rows["group"] = pd.Categorical(rows["group"], categories=["control", "test", "holdout"])
    data = from_rows(rows)
    assert data.ok and "campaign.empty_groups" in _keys(data)


def test_one_group_with_a_constant_outcome_is_still_one_group():
    data = from_rows(_rows({"everyone": (100, 0)}))
    assert data.problem.key == "campaign.one_group"


def test_negative_revenue_is_reported():
    table = _rows({"control": (300, 20), "test": (300, 25)})
    table.loc[0, "revenue"] = -35.0
    assert "campaign.negative_revenue" in _keys(from_rows(table))


def test_groups_with_one_member_are_left_out_with_a_note():
    table = pd.concat([_rows({"control": (300, 20), "test": (300, 25)}), _rows({"typo": (1, 1)})])
    data = from_rows(table)
    assert data.ok and data.groups == ["control", "test"]
    assert "campaign.groups_too_small" in _keys(data)
    data = from_rows(pd.concat([_rows({"control": (300, 20)}), _rows({"typo": (1, 0)})]))
    assert data.problem.key == "campaign.one_group"


def test_tiny_samples_and_impossible_totals():
    data = from_totals(
        pd.DataFrame({"group": ["control", "b"], "recipients": [40, 45], "conversions": [2, 5]})
    )
    assert {"campaign.tiny_groups", "campaign.few_conversions"} <= _keys(data)
    bad = from_totals(
        pd.DataFrame({"group": ["control", "b"], "recipients": [40, 45], "conversions": [2, 50]})
    )
    assert bad.problem.key == "campaign.more_conversions_than_recipients"
    negative = from_totals(
        pd.DataFrame({"group": ["control", "b"], "recipients": [40, 45], "conversions": [-2, 5]})
    )
    assert negative.problem.key == "campaign.negative_counts"


def test_missing_converted_is_read_from_revenue_and_aggregate_tables_are_recognised():
    table = _rows({"control": (300, 20), "test": (300, 25)}).drop(columns="converted")
    data = from_rows(table)
    assert "campaign.converted_from_revenue" in _keys(data)
    assert data.arms.loc["test", "conversions"] == 25
    assert is_aggregate(pd.DataFrame({"group": ["a"], "recipients": [10]}))
    assert not is_aggregate(
        pd.DataFrame({"customer_id": ["c1"], "group": ["a"], "recipients": [1]})
    )


def test_heterogeneity_is_cochrans_q_on_the_log_ratio(demo):
    by = lift_by(from_rows(demo), "control", "segment", "conversion")
    het = heterogeneity(by).set_index("variant")
    # Hand: d = log(variant / control), se = se(relative lift) / (1 + relative lift) (delta
    # method), w = 1 / se^2, Q = sum w (d - weighted mean)^2, p from chi-square with 2 df.
    block = by[by["variant"] == "variant_b"]
    d = np.log(block["value"] / block["control"])
    z = stats.norm.ppf(0.975)
    se = (block["rel_high"] - block["rel_low"]) / (2 * z) / (1 + block["rel_lift"])
    w = 1 / se**2
    q = (w * (d - (w * d).sum() / w.sum()) ** 2).sum()
    assert het.loc["variant_b", "q"] == pytest.approx(q)
    assert het.loc["variant_b", "p_value"] == pytest.approx(stats.chi2.sf(q, 2))
    # README: variant_b works only for lapsed customers; variant_a's +20% holds in every segment.
    assert het.loc["variant_b", "top_level"] == "lapsed" and het.loc["variant_b", "p_value"] < 1e-4
    assert het.loc["variant_a", "p_value"] > 0.2


def test_a_uniform_relative_lift_is_not_flagged_as_uneven():
    # +20% everywhere: 10% -> 12% and 2% -> 2.4% (different points, the same ratio).
    table = pd.concat(
        [
            _rows({"control": (20000, 2000), "test": (20000, 2400)}).assign(segment="active"),
            _rows({"control": (50000, 1000), "test": (50000, 1200)}).assign(segment="lapsed"),
        ],
        ignore_index=True,
    )
    by = lift_by(from_rows(table), "control", "segment", "conversion")
    assert heterogeneity(by)["p_value"].iloc[0] > 0.5
