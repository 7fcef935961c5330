"""Churn-risk model: no leakage, honest holdout accuracy on planted and on signal-free data, the what-if."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from core.churn_model import (
    BASE_FEATURES,
    CATEGORY_PREFIX,
    LOW_RISK,
    MIN_REASON_RISK,
    MSG_NO_REASON,
    MSG_TOO_LITTLE_HISTORY,
    build_features,
    calibration_table,
    churn_labels,
    customer_value,
    feature_label_key,
    model_categories,
    precision_at_top,
    prepare_history,
    retention_offer,
    risk_bands,
    train_churn_model,
)
from core.summary import orders_table

START = pd.Timestamp("2024-01-01")
DAYS = 720
CATEGORIES = ("Coffee", "Tea", "Snacks")


def make_shop(n_customers: int, signal: bool, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Order lines and customers of a generated shop.

    signal=True: each customer buys at their own gamma-distributed rate and drops out
    for good at an exponential time whose mean depends on the acquisition channel
    (Paid social 90 days, Referral 900, others 300), the BG/NBD-like process of the
    demo data: recency and the channel tell who is gone. signal=False: everyone buys
    at the same rate for the whole window and never drops out, so future purchases are
    independent of the past (a Poisson process has no memory) and no model can beat 0.5.
    """
    rng = np.random.default_rng(seed)
    channel = rng.choice(["Paid social", "Referral", "Email"], size=n_customers)
    start = rng.integers(0, 400, size=n_customers)
    if signal:
        rate = rng.gamma(2.0, 1 / 40, size=n_customers)
        mean_life = np.select([channel == "Paid social", channel == "Referral"], [90, 900], 300)
        stop = np.minimum(start + rng.exponential(mean_life), DAYS)
    else:
        rate = np.full(n_customers, 1 / 30)
        stop = np.full(n_customers, float(DAYS))
    counts = rng.poisson(rate * np.maximum(stop - start, 0))
    owner = np.repeat(np.arange(n_customers), counts)
    day = rng.uniform(start[owner], stop[owner]).astype(int)
    # Every customer has a first order on their start day.
    owner = np.concatenate([np.arange(n_customers), owner])
    day = np.concatenate([start, day])
    ids = np.array([f"K{i:05d}" for i in range(n_customers)])
    lines = pd.DataFrame(
        {
            "customer_id": pd.Categorical(ids[owner]),
            "order_date": START + pd.to_timedelta(day, unit="D"),
            "amount": rng.gamma(2.0, 15.0, size=len(owner)).round(2),
            "category": pd.Categorical(rng.choice(CATEGORIES, size=len(owner))),
            "discount": np.where(rng.random(len(owner)) < 0.2, 2.0, 0.0),
        }
    ).sort_values("order_date", kind="stable", ignore_index=True)
    customers = pd.DataFrame(
        {"customer_id": ids, "channel": channel, "age": rng.integers(18, 80, n_customers)}
    )
    return lines, customers


@pytest.fixture(scope="module")
def planted():
    lines, customers = make_shop(5000, signal=True)
    return prepare_history(orders_table(lines), lines, customers)


def test_features_ignore_everything_after_the_cutoff():
    lines, customers = make_shop(800, signal=True, seed=3)
    cutoff = pd.Timestamp("2025-03-01")
    history = prepare_history(orders_table(lines), lines, customers)
    cut_day = int(cutoff.to_datetime64().astype("datetime64[D]").astype(np.int64))
    categories = model_categories(history, cut_day)
    before = build_features(history, cut_day, categories, 120)

    # Change the future in every way: other amounts, categories and discounts, dropped
    # orders, new orders of existing customers and a brand-new customer.
    altered = lines.copy()
    after = altered["order_date"] > cutoff + pd.Timedelta(days=1) - pd.Timedelta(1)
    rng = np.random.default_rng(0)
    altered.loc[after, "amount"] = rng.uniform(1, 500, after.sum())
    altered.loc[after, "discount"] = 9.0
    altered.loc[after, "category"] = "Coffee"
    altered = altered.drop(altered[after].sample(frac=0.3, random_state=1).index)
    extra = pd.DataFrame(
        {
            "customer_id": ["K00001", "K00002", "NEW01"],
            "order_date": pd.to_datetime(["2025-03-02", "2025-06-01", "2025-04-01"]),
            "amount": [999.0, 5.0, 50.0],
            "category": ["Tea", "Snacks", "Tea"],
            "discount": [0.0, 1.0, 0.0],
        }
    )
    altered = pd.concat([altered.astype({"customer_id": str}), extra], ignore_index=True)
    altered["customer_id"] = altered["customer_id"].astype("category")
    changed = prepare_history(orders_table(altered), altered, customers)
    assert model_categories(changed, cut_day) == categories
    after_change = build_features(changed, cut_day, categories, 120)
    pd.testing.assert_frame_equal(before, after_change)
    # ... while the labels do see the future (the test can fail).
    assert not churn_labels(history, before.index, cut_day, 90).equals(
        churn_labels(changed, before.index, cut_day, 90)
    )


def test_features_by_hand():
    lines = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b"],
            "order_date": pd.to_datetime(
                ["2024-01-01", "2024-01-11", "2024-01-31", "2024-03-01", "2024-02-20"]
            ),
            "amount": [10.0, 20.0, 30.0, 40.0, 5.0],
            "category": ["Tea", "Coffee", "Tea", "Tea", "Tea"],
            "discount": [1.0, 0.0, 0.0, 0.0, 0.0],
        }
    )
    history = prepare_history(orders_table(lines), lines)
    cut = int(np.datetime64("2024-02-10", "D").astype(np.int64))
    features = build_features(history, cut, ["Tea", "Coffee"])
    a = features.loc["a"]
    # Orders up to 02-10: 01-01, 01-11, 01-31 (the 03-01 order is after the cut-off).
    assert a["recency_days"] == 10 and a["frequency"] == 3 and a["total_spend"] == 60
    assert a["tenure_days"] == 40 and a["mean_gap_days"] == 15  # (30 days) / 2 gaps
    assert a["last_gap_days"] == 20 and a["gap_trend"] == 2.0  # 20 / 10
    assert a["overdue_ratio"] == pytest.approx(10 / 15)
    assert a["discount_share"] == pytest.approx(10 / 60) and a["first_discount"] == 1.0
    assert a[CATEGORY_PREFIX + "Tea"] == pytest.approx(40 / 60)
    assert "b" not in features.index  # b's first order is after the cut-off
    assert churn_labels(history, features.index, cut, 30).loc["a"] == 0  # 03-01 is within 30 days
    assert churn_labels(history, features.index, cut, 10).loc["a"] == 1
    assert customer_value(history, pd.Index(["a", "b"]), cut).tolist() == [60.0, 0.0]


def test_planted_signal_is_found_on_the_time_based_holdout(planted):
    steps = []
    result = train_churn_model(
        planted, churn_days=150, horizon_days=90, progress=lambda f, k: steps.append(k)
    )
    assert result.ok, result.message
    assert result.auc >= 0.8
    assert result.precision_top > result.base_rate
    assert steps[0] == "retention.step_features" and steps[-1] == "retention.step_done"
    # Training and test cut-offs are one horizon apart and end at the last day of data.
    assert (result.test_cutoff - result.train_cutoff).days == 90
    assert (result.as_of - result.test_cutoff).days == 90
    # Scores: current customers only, sorted by revenue at stake, each with a reason.
    scores = result.scores
    assert (scores["recency_days"] <= 150).all()
    assert scores["at_stake"].is_monotonic_decreasing
    np.testing.assert_allclose(scores["at_stake"], scores["risk"] * scores["value"])
    known = set(result.importance["feature"]) | {MSG_NO_REASON}
    assert set(scores.loc[scores["risk"] >= MIN_REASON_RISK, "reason"]) <= known
    assert (scores.loc[scores["risk"] < MIN_REASON_RISK, "reason"] == LOW_RISK).all()
    top = result.importance["feature"].head(3).tolist()
    assert {"recency_days", "overdue_ratio", "attr:channel"} & set(top)
    # Calibration covers the holdout.
    assert result.calibration["customers"].sum() == result.n_test


def test_no_signal_gives_about_chance():
    lines, customers = make_shop(6000, signal=False, seed=21)
    history = prepare_history(orders_table(lines), lines, customers)
    result = train_churn_model(history, churn_days=150, horizon_days=60)
    assert result.ok, result.message
    # 0.5 +- 0.05: with ~1,200 churners among ~6,000 customers the AUC's standard error is ~0.01.
    assert abs(result.auc - 0.5) < 0.05


def test_too_little_history_says_so():
    lines, customers = make_shop(300, signal=True)
    short = lines[lines["order_date"] < START + pd.Timedelta(days=200)]
    history = prepare_history(orders_table(short), short, customers)
    result = train_churn_model(history, churn_days=100, horizon_days=90)
    assert not result.ok and result.message == MSG_TOO_LITTLE_HISTORY
    assert result.params["needed"] == 270 and result.params["days"] < 270
    assert result.scores.empty


def test_precision_at_top_and_calibration_by_hand():
    labels = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 1])
    risk = np.array([0.9, 0.8, 0.7, 0.1, 0.2, 0.3, 0.1, 0.0, 0.4, 0.05])
    # Top 10% of 10 customers: the one at 0.9, a churner. Top 30%: 0.9, 0.8, 0.7 -> 2 of 3.
    assert precision_at_top(labels, risk, 0.1) == 1.0
    assert precision_at_top(labels, risk, 0.3) == pytest.approx(2 / 3)
    table = calibration_table(labels, risk, bins=2)
    # Sorted by risk: low half 0.0, 0.05, 0.1, 0.1, 0.2 (one churner); high half the rest.
    assert table["customers"].tolist() == [5, 5]
    assert table["predicted"].tolist() == pytest.approx([0.09, 0.62])
    assert table["observed"].tolist() == pytest.approx([0.2, 0.4])
    assert roc_auc_score(labels, risk) > 0.5


def test_retention_offer_by_hand():
    scores = pd.DataFrame(
        {"risk": [0.9, 0.5, 0.05, 0.2], "value": [100.0, 200.0, 1000.0, 50.0]},
        index=["a", "b", "c", "d"],
    )
    # Riskiest half: a (0.9) and b (0.5). 10 points off: kept 0.1 + 0.1 customers,
    # revenue 0.1 * 100 + 0.1 * 200 = 30; cost 2 * 4 = 8; net 30 * 0.5 - 8 = 7.
    offer = retention_offer(scores, 0.5, 10, 4.0, margin=0.5)
    assert offer.contacted == 2
    assert offer.expected_churners == pytest.approx(1.4)
    assert offer.kept == pytest.approx(0.2)
    assert offer.revenue_kept == pytest.approx(30.0)
    assert offer.cost == 8.0 and offer.net == pytest.approx(7.0)
    assert offer.roi == pytest.approx(7 / 8)
    # Risk cannot fall below zero: 60 points off c's 5% keeps only 0.05.
    everyone = retention_offer(scores, 1.0, 60, 0.0)
    assert everyone.kept == pytest.approx(0.6 + 0.5 + 0.05 + 0.2)
    assert np.isnan(everyone.roi)
    with pytest.raises(ValueError):
        retention_offer(scores, 1.5, 10, 1.0)


def test_risk_bands_by_hand():
    scores = pd.DataFrame({"risk": [0.05, 0.15, 0.95, 1.0], "at_stake": [1.0, 2.0, 3.0, 4.0]})
    bands = risk_bands(scores)
    assert len(bands) == 10
    assert bands["customers"].tolist() == [1, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert bands["at_stake"].iloc[-1] == 7.0


def test_every_feature_has_a_label_key():
    from core.i18n.en import MESSAGES

    for name in (
        *BASE_FEATURES,
        "discount_share",
        "first_discount",
        CATEGORY_PREFIX + "Tea",
        "attr:age",
    ):
        key, _ = feature_label_key(name)
        assert key in MESSAGES, name
