"""Churn-risk model: no leakage, honest holdout accuracy on planted and on signal-free data, the what-if.

Both modes: purchase histories (time-based holdout) and a subscription table with a
churn flag (stratified random holdout), the latter on a generated table shaped like
the public telecom churn set (sample_data.subscriptions.make_telco).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from core.churn_model import (
    BASE_FEATURES,
    CATEGORY_PREFIX,
    COLUMN_PREFIX,
    LEFT_OUT_ANSWER,
    LEFT_OUT_DATE,
    LEFT_OUT_LEVELS,
    LEFT_OUT_OUTCOME,
    LOW_RISK,
    MIN_REASON_RISK,
    MIN_SUB_CLASS,
    MSG_NO_REASON,
    MSG_SUB_NO_FEATURES,
    MSG_SUB_TOO_FEW,
    MSG_TOO_LITTLE_HISTORY,
    SUBSCRIPTION_TEXTS,
    at_risk_list,
    auc_interval,
    build_features,
    calibration_table,
    churn_labels,
    customer_value,
    drivers_markdown,
    feature_label_key,
    feature_name,
    holdout_split,
    left_out_text,
    model_categories,
    precision_at_top,
    prepare_history,
    prepare_subscribers,
    retention_offer,
    risk_bands,
    train_churn_model,
    train_subscription_model,
)
from core.ingest import ingest_file
from core.problems import Problem
from core.summary import orders_table
from sample_data.subscriptions import make_telco

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
    assert result.problem is None, result.problem
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
    assert result.problem is None, result.problem
    # 0.5 +- 0.05: with ~1,200 churners among ~6,000 customers the AUC's standard error is ~0.01.
    assert abs(result.auc - 0.5) < 0.05


def test_too_little_history_says_so():
    lines, customers = make_shop(300, signal=True)
    short = lines[lines["order_date"] < START + pd.Timedelta(days=200)]
    history = prepare_history(orders_table(short), short, customers)
    result = train_churn_model(history, churn_days=100, horizon_days=90)
    assert result.problem is not None and result.problem.key == MSG_TOO_LITTLE_HISTORY
    assert result.problem.params["needed"] == 270 and result.problem.params["days"] < 270
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
    from core.i18n import EN as MESSAGES

    for name in (
        *BASE_FEATURES,
        "discount_share",
        "first_discount",
        CATEGORY_PREFIX + "Tea",
        "attr:age",
    ):
        key, _ = feature_label_key(name)
        assert key in MESSAGES, name


# ---------------------------------------------------------------------------
# AUC interval (DeLong)
# ---------------------------------------------------------------------------


def test_delong_interval_by_hand():
    # Churners at 0.9 and 0.4, stayers at 0.5, 0.2, 0.1: 5 of 6 pairs ordered right.
    # V10 (churners) = [1, 2/3], V01 (stayers) = [1/2, 1, 1]; var = (1/18)/2 + (1/12)/3
    # = 1/18, se = 0.2357; 0.8333 - 1.96 * 0.2357 = 0.3713, the top clipped at 1.
    auc, low, high = auc_interval(np.array([1, 1, 0, 0, 0]), np.array([0.9, 0.4, 0.5, 0.2, 0.1]))
    assert auc == pytest.approx(5 / 6)
    assert low == pytest.approx(5 / 6 - 1.959964 * np.sqrt(1 / 18), abs=1e-5)
    assert high == 1.0
    assert np.isnan(auc_interval(np.array([0, 0]), np.array([0.1, 0.2]))[0])


def test_delong_agrees_with_sklearn_and_the_bootstrap():
    rng = np.random.default_rng(5)
    labels = (rng.random(1500) < 0.3).astype(int)
    risk = rng.normal(labels * 0.8, 1.0)
    risk[:100] = np.round(risk[:100])  # some ties
    auc, low, high = auc_interval(labels, risk)
    assert auc == pytest.approx(roc_auc_score(labels, risk))
    boot = []
    for _ in range(1000):
        rows = rng.integers(0, len(labels), len(labels))
        boot.append(roc_auc_score(labels[rows], risk[rows]))
    # DeLong's standard error within 10% of the bootstrap's (1,000 resamples).
    assert (high - low) / (2 * 1.959964) == pytest.approx(np.std(boot), rel=0.10)


# ---------------------------------------------------------------------------
# Subscription mode
# ---------------------------------------------------------------------------


def _ingested(frame: pd.DataFrame) -> pd.DataFrame:
    """A generated subscription table through the real intake, as a customers table."""
    result = ingest_file(frame.to_csv(index=False).encode(), "subscribers.csv", "customers")
    assert result.table is not None, result.problem
    return result.table


@pytest.fixture(scope="module")
def telco():
    raw = make_telco()
    table = _ingested(raw)
    subscribers = prepare_subscribers(table)
    return raw, table, subscribers, train_subscription_model(subscribers)


def _logistic_auc(raw: pd.DataFrame, subscribers) -> float:
    """A plain logistic regression on one-hot attributes (numbers standardised), same split."""
    rows = raw.set_index("customerID").loc[subscribers.features.index]
    numbers = ["tenure", "MonthlyCharges", "TotalCharges"]
    x = pd.get_dummies(rows.drop(columns=["Churn", *numbers]).astype(str)).astype(float)
    for column in numbers:
        x[column] = pd.to_numeric(rows[column], errors="coerce").fillna(0)
    y = subscribers.churned.to_numpy()
    train, test = holdout_split(y)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    model.fit(x.iloc[train], y[train])
    return float(roc_auc_score(y[test], model.predict_proba(x.iloc[test])[:, 1]))


def test_telco_shaped_table_reads_its_attributes(telco):
    raw, table, subscribers, _ = telco
    features = subscribers.features
    assert len(features) == 7000 and subscribers.churned.mean() == pytest.approx(
        (raw["Churn"] == "Yes").mean()
    )
    # Mapped fields, text columns read as numbers (0/1, Yes/No, amounts) or categories.
    assert {"attr:tenure", "attr:monthly_charge", "attr:gender"} <= set(features)
    assert features[COLUMN_PREFIX + "SeniorCitizen"].isin([0.0, 1.0]).all()
    assert features[COLUMN_PREFIX + "Partner"].isin([0.0, 1.0]).all()
    assert features[COLUMN_PREFIX + "TotalCharges"].dtype == float
    assert list(features[COLUMN_PREFIX + "Contract"].cat.categories) == [
        "Month-to-month",
        "One year",
        "Two year",
    ]
    assert subscribers.left_out == (("attr:churned", LEFT_OUT_OUTCOME),)
    assert subscribers.monthly_charge.tolist() == table["monthly_charge"].tolist()


def test_subscription_model_reaches_logistic_regression(telco):
    raw, table, subscribers, result = telco
    assert result.problem is None and result.mode == "subscription"
    logistic = _logistic_auc(raw, subscribers)
    # Measured: gradient boosting 0.833, logistic regression 0.836 (seed 20240915).
    assert result.auc >= logistic - 0.02
    assert 0.8 <= result.auc <= 0.87
    assert result.auc_low < result.auc < result.auc_high and result.auc_high - result.auc_low < 0.06
    assert (result.n_train, result.n_test) == (4900, 2100)
    assert result.base_rate == pytest.approx(subscribers.churned.mean(), abs=0.001)
    assert result.precision_top > 2 * result.base_rate
    assert result.quality == "good"
    assert result.calibration["customers"].sum() == 2100
    # Calibrated enough to read: predicted within 5 points of observed in every decile.
    gap = (result.calibration["predicted"] - result.calibration["observed"]).abs()
    assert gap.max() < 0.05
    drivers = result.drivers.set_index("feature")
    assert result.importance["feature"].iloc[0] == COLUMN_PREFIX + "Contract"
    assert drivers.loc[COLUMN_PREFIX + "Contract", "high_value"] == "Month-to-month"
    assert drivers.loc[COLUMN_PREFIX + "Contract", "low_value"] == "Two year"
    assert float(drivers.loc["attr:tenure", "high_value"]) < float(
        drivers.loc["attr:tenure", "low_value"]
    )  # short tenure, higher risk
    text = drivers_markdown(result)
    assert "- **Contract** Month-to-month: higher risk" in text


def test_subscription_scores_are_the_subscribers_still_subscribed(telco):
    raw, table, subscribers, result = telco
    scores = result.scores
    still = set(table.loc[table["churned"] == 0, "customer_id"])
    assert set(scores.index) == still
    charge = table.set_index("customer_id")["monthly_charge"]
    np.testing.assert_allclose(scores["value"], charge.loc[scores.index])
    np.testing.assert_allclose(scores["at_stake"], scores["risk"] * scores["value"])
    assert scores["at_stake"].is_monotonic_decreasing
    listed = at_risk_list(result, 0.5)
    assert (listed["risk"] >= 50).all() and list(listed.columns) == [
        "customer_id",
        "risk",
        "value",
        "at_stake",
        "reason",
        "tenure",
    ]
    assert listed["reason"].str.contains("typical for subscribers who stay").mean() > 0.9
    assert "典型值" in at_risk_list(result, 0.5, "zh")["reason"].iloc[0]
    everyone = at_risk_list(result, 0.0)["reason"]
    assert (everyone == "Low risk").any() and not everyone.str.contains("retention.").any()
    # The what-if counts a year of monthly charges: 12 x the risk removed x the charge.
    offer = retention_offer(scores, 0.1, 10, 5.0, 0.4, result.value_to_year)
    top = scores.sort_values("risk", ascending=False).head(offer.contacted)
    removed = top["risk"] - np.maximum(top["risk"] - 0.1, 0)
    assert offer.revenue_kept == pytest.approx(12 * (removed * top["value"]).sum())


def test_subscription_without_signal_is_chance_and_says_so():
    subscribers = prepare_subscribers(_ingested(make_telco(signal=False)))
    result = train_subscription_model(subscribers)
    assert result.problem is None
    # 0.5 +- 0.05: ~560 churners among 2,100 held out, the AUC's standard error is ~0.013.
    assert abs(result.auc - 0.5) < 0.05 and result.auc_low < 0.5
    assert result.quality == "none" and result.drivers.empty


def test_subscription_without_monthly_charge_ranks_by_risk():
    raw = make_telco(n=1500, seed=3).drop(columns=["MonthlyCharges", "TotalCharges"])
    result = train_subscription_model(prepare_subscribers(_ingested(raw)))
    assert result.problem is None and not result.has_value
    assert result.scores["risk"].is_monotonic_decreasing
    assert "value" not in at_risk_list(result, 0.0)
    offer = retention_offer(result.scores, 0.1, 10, 5.0, 0.4, result.value_to_year)
    assert offer.kept > 0 and np.isnan(offer.revenue_kept)


def test_columns_that_give_the_answer_away_are_left_out():
    raw = make_telco(n=1500, seed=4)
    churned = raw["Churn"] == "Yes"
    raw["Customer Status"] = np.where(churned, "Left", "Stayed")
    raw["Churn Reason"] = np.where(churned, "Competitor", "")
    raw["Notes"] = [f"note {i}" for i in range(len(raw))]
    raw["signup date"] = "2024-01-01"
    raw.loc[::2, "signup date"] = "2024-06-01"
    table = _ingested(raw)
    assert "signup_date" in table
    subscribers = prepare_subscribers(table)
    left_out = dict(subscribers.left_out)
    assert left_out[COLUMN_PREFIX + "Customer Status"] == LEFT_OUT_ANSWER
    assert left_out[COLUMN_PREFIX + "Churn Reason"] == LEFT_OUT_OUTCOME
    assert left_out[COLUMN_PREFIX + "Notes"] == LEFT_OUT_LEVELS
    assert left_out["attr:signup_date"] == LEFT_OUT_DATE
    assert not {c for c in subscribers.features if "Status" in c or "Reason" in c}
    result = train_subscription_model(subscribers)
    assert result.auc < 0.9  # no leak left: the planted signal alone gives ~0.84
    text = left_out_text(result)
    assert "Customer Status (on its own it tells who cancelled" in text
    assert "Sign-up date (a date" in text


def test_too_few_churners_says_how_many():
    raw = make_telco(n=600, seed=6)
    churned = np.flatnonzero(raw["Churn"] == "Yes")
    raw.loc[churned[MIN_SUB_CLASS - 10 :], "Churn"] = "No"  # 40 churners left
    result = train_subscription_model(prepare_subscribers(_ingested(raw)))
    assert result.problem == Problem(
        MSG_SUB_TOO_FEW, {"churners": 40, "stayers": 560, "needed": MIN_SUB_CLASS}
    )
    assert result.scores.empty


def test_blank_churn_flags_are_left_out_not_counted_as_stayers():
    raw = make_telco(n=800, seed=8)
    raw.loc[:49, "Churn"] = ""
    subscribers = prepare_subscribers(_ingested(raw))
    assert subscribers.unknown == 50 and len(subscribers.features) == 750


def test_subscription_texts_exist_in_both_languages():
    from core.i18n import EN, ZH

    for name in SUBSCRIPTION_TEXTS:
        for catalog in (EN, ZH):
            assert f"retention.{name}" in catalog and f"retention.sub_{name}" in catalog, name
    assert feature_name(COLUMN_PREFIX + "PaymentMethod") == "PaymentMethod"
    assert feature_name("attr:monthly_charge", "zh") == ZH["field.monthly_charge"]


def test_a_churn_flag_alone_has_nothing_to_learn_from():
    raw = make_telco(n=400, seed=9)[["customerID", "Churn"]]
    result = train_subscription_model(prepare_subscribers(_ingested(raw)))
    assert result.problem == Problem(MSG_SUB_NO_FEATURES)
