"""Customer features and k-means clustering (core.clustering)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from core import clustering
from core.clustering import (
    BASE_FEATURES,
    MESSAGE_KEYS,
    NAME_MIN_Z,
    breakdown_columns,
    cluster_customers,
    cluster_name,
    clustering_columns,
    customer_features,
    descriptor_keys,
    descriptor_message,
    feature_label,
)
from core.i18n import EN, ZH
from core.ingest import ingest_file
from core.problems import Problem
from core.summary import orders_table

ROOT = Path(__file__).resolve().parents[2]
RFM = ["recency_days", "frequency", "monetary", "average_order_value"]


# --------------------------------------------------------------------------- data


def _line(customer, date, amount, category, channel="web", region="North"):
    return {
        "customer_id": customer,
        "order_date": pd.Timestamp(date),
        "amount": amount,
        "category": category,
        "channel": channel,
        "region": region,
    }


@pytest.fixture
def small_transactions() -> pd.DataFrame:
    """Three customers; C's only order falls after the as-of date used below (2024-01-31)."""
    lines = [
        # A, first order 2024-01-01: Tea 10 + Tea 10 (= 20) beats Coffee 15, though Coffee is the largest line.
        _line("A", "2024-01-01 09:00", 10.0, "Tea", channel="app", region="North"),
        _line("A", "2024-01-01 09:00", 15.0, "Coffee", channel="web", region="East"),
        _line("A", "2024-01-01 09:00", 10.0, "Tea", channel="app", region="North"),
        _line("A", "2024-01-11 17:30", 25.0, "Coffee"),
        # B, one order.
        _line("B", "2024-01-21 12:00", 15.0, "Snacks", channel="store", region="South"),
        # C, after the as-of date.
        _line("C", "2024-02-05 08:00", 99.0, "Tea"),
    ]
    frame = pd.DataFrame(lines)
    for column in ("customer_id", "category", "channel", "region"):
        frame[column] = frame[column].astype("category")  # as ingest stores them
    return frame


@pytest.fixture
def small_customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D"],  # D never ordered
            "signup_date": pd.to_datetime(["2023-12-31", None, "2024-02-01", "2024-01-05"]),
            "region": pd.Categorical(["North", "South", "North", "West"]),
            "age": [40.0, np.nan, 51.0, 33.0],
            "segment_code": ["x1", "x2", "x3", "x4"],
        }
    )


def planted(seed: int = 7) -> tuple[pd.DataFrame, np.ndarray]:
    """Four well-separated groups of different sizes in (recency, frequency, monetary, aov).

    Group 0 (400 customers) are frequent high spenders: frequency and monetary
    are their most distinctive features; recency and aov are close to average.
    """
    centres = {  # recency_days, frequency, monetary, average_order_value
        0: (60, 30, 3000, 100),
        1: (400, 1.2, 20, 17),
        2: (12, 3, 30, 10),
        3: (150, 2, 600, 300),
    }
    sizes = {0: 400, 1: 300, 2: 250, 3: 150}
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for group, centre in centres.items():
        rows.append(np.exp(np.log(centre) + rng.normal(0, 0.12, size=(sizes[group], 4))))
        truth += [group] * sizes[group]
    values = np.vstack(rows)
    order = rng.permutation(len(values))
    index = pd.Index([f"P{i:05d}" for i in range(len(values))], name="customer_id", dtype="str")
    features = pd.DataFrame(values[order], columns=RFM, index=index)
    return features, np.asarray(truth)[order]


@pytest.fixture(scope="module")
def demo() -> tuple[pd.DataFrame, pd.DataFrame]:
    def load(name: str, kind: str) -> pd.DataFrame:
        return ingest_file((ROOT / "sample_data" / name).read_bytes(), name, kind).table

    transactions = load("transactions.csv", "transactions")
    customers = load("customers.csv", "customers")
    return customer_features(orders_table(transactions), transactions, customers), transactions


# --------------------------------------------------------------------------- customer_features


def test_customer_features_known_answer(small_transactions, small_customers):
    orders = orders_table(small_transactions)
    features = customer_features(orders, small_transactions, small_customers, as_of="2024-01-31")

    # Hand-computed: as of 2024-01-31, A ordered on Jan 1 (35) and Jan 11 (25); B on Jan 21 (15).
    assert list(features.index) == ["A", "B"]  # C ordered after the as-of date, D never
    assert features.index.name == "customer_id"
    assert pd.api.types.is_string_dtype(features.index)
    expected = pd.DataFrame(
        {
            "recency_days": [20, 10],
            "frequency": [2, 1],
            "monetary": [60.0, 15.0],
            "average_order_value": [30.0, 15.0],
            "tenure_days": [30, 10],
        },
        index=features.index,
    )
    pd.testing.assert_frame_equal(features[list(BASE_FEATURES)], expected)

    # Category shares of spend: A 20 Tea + 40 Coffee; B all Snacks.
    shares = features.filter(like="category_share:")
    assert list(shares.columns) == [
        "category_share:Coffee",
        "category_share:Tea",
        "category_share:Snacks",
    ]
    assert shares.loc["A"].round(6).tolist() == [round(40 / 60, 6), round(20 / 60, 6), 0.0]
    assert shares.loc["B"].tolist() == [0.0, 0.0, 1.0]
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)

    assert features.loc["A", "first_purchase_category"] == "Tea"  # largest spend by category
    assert features.loc["B", "first_purchase_category"] == "Snacks"
    assert features.loc["A", "first_order_channel"] == "web"  # on the largest line (Coffee 15)
    assert features.loc["A", "first_order_region"] == "East"
    assert features.loc["B", "first_order_channel"] == "store"

    # Attributes: numbers stay numbers, dates become days before as-of, the rest is text.
    assert features.loc["A", "age"] == 40.0 and np.isnan(features.loc["B", "age"])
    assert features.loc["A", "days_since:signup_date"] == 31.0
    assert np.isnan(features.loc["B", "days_since:signup_date"])
    assert features.loc["B", "region"] == "South"
    assert features.loc["A", "segment_code"] == "x1"


def test_default_as_of_is_the_last_order(small_transactions):
    features = customer_features(orders_table(small_transactions))
    assert features.loc["C", "recency_days"] == 0
    assert features.loc["A", "recency_days"] == 25  # Jan 11 -> Feb 5
    assert features.loc["A", "tenure_days"] == 35
    assert list(features.columns) == list(BASE_FEATURES)  # no transactions, no customers: base only


def test_top_categories_and_other():
    # Ten categories: spend 10, 9, ..., 1 for one customer; the two smallest go to "other".
    lines = [_line("A", "2024-01-01", float(10 - i), f"cat{i}") for i in range(10)]
    lines.append(
        {
            "customer_id": "A",
            "order_date": pd.Timestamp("2024-01-02"),
            "amount": 5.0,
            "category": None,
            "channel": "web",
            "region": "North",
        }
    )  # no category: "other"
    transactions = pd.DataFrame(lines)
    features = customer_features(orders_table(transactions), transactions)
    shares = features.filter(like="category_share:")
    assert list(shares.columns) == [f"category_share:cat{i}" for i in range(8)] + [
        "category_share:other"
    ]
    total = sum(range(1, 11)) + 5.0
    assert shares.loc["A", "category_share:other"] == pytest.approx((2 + 1 + 5) / total)
    assert shares.loc["A", "category_share:cat0"] == pytest.approx(10 / total)
    assert shares.sum(axis=1).iloc[0] == pytest.approx(1.0)


def test_feature_choices_and_breakdowns(small_transactions, small_customers):
    features = customer_features(
        orders_table(small_transactions), small_transactions, small_customers
    )
    numeric = clustering_columns(features)
    assert numeric[:5] == list(BASE_FEATURES)
    assert (
        "age" in numeric and "days_since:signup_date" in numeric and "category_share:Tea" in numeric
    )
    assert "region" not in numeric
    assert breakdown_columns(features) == [
        "first_purchase_category",
        "first_order_channel",
        "first_order_region",
        "region",
        "segment_code",
    ]
    # A column with too many levels (e-mails, names) is no breakdown.
    # (first_order_region has East, South, North; segment_code x1, x2, x3.)
    assert breakdown_columns(features, max_levels=2) == [
        "first_purchase_category",
        "first_order_channel",
        "region",
    ]


def test_attribute_named_like_a_feature_gets_a_prefix(small_transactions):
    customers = pd.DataFrame(
        {"customer_id": ["A", "B", "C"], "frequency": ["weekly", "monthly", "weekly"]}
    )
    features = customer_features(orders_table(small_transactions), customers=customers)
    assert features["frequency"].tolist() == [2, 1, 1]
    assert features["customer:frequency"].tolist() == ["weekly", "monthly", "weekly"]


# --------------------------------------------------------------------------- clustering


def test_planted_clusters_are_recovered_with_automatic_k():
    features, truth = planted()
    result = cluster_customers(features, RFM)
    assert result.problem is None and result.notes == ()
    assert result.chosen_k == 4 and result.k == 4
    assert adjusted_rand_score(truth, result.labels.to_numpy()) >= 0.9
    assert result.silhouette["k"].tolist() == list(range(2, 11))
    assert result.silhouette.set_index("k")["silhouette"].idxmax() == 4


def test_planted_clusters_are_recovered_with_fixed_k():
    features, truth = planted(seed=11)
    result = cluster_customers(features, RFM, k=4)
    assert result.k == 4
    assert adjusted_rand_score(truth, result.labels.to_numpy()) >= 0.9


def test_clusters_are_numbered_by_size_and_profiled():
    features, truth = planted()
    result = cluster_customers(features, RFM)
    sizes = result.profiles["customers"].tolist()
    assert sizes == sorted(sizes, reverse=True) == [400, 300, 250, 150]
    assert result.profiles["share"].sum() == pytest.approx(1.0)
    assert result.profiles["revenue_share"].sum() == pytest.approx(1.0)
    # Means are in original units: cluster means weighted by size give the overall mean.
    weighted = (result.profiles["mean:monetary"] * result.profiles["customers"]).sum() / len(
        features
    )
    assert weighted == pytest.approx(features["monetary"].mean())
    assert result.profiles["ratio:monetary"].tolist() == pytest.approx(
        (result.profiles["mean:monetary"] / features["monetary"].mean()).tolist()
    )
    assert result.transforms == dict.fromkeys(RFM, "log1p")
    # Planted group 0 (400 customers) became cluster 0.
    assert (result.labels.to_numpy()[truth == 0] == 0).mean() > 0.95


def test_frequent_high_spenders_are_named_so():
    features, _ = planted()
    result = cluster_customers(features, RFM)
    descriptors = result.names[0]  # the planted frequent high spenders
    assert descriptors[0] == ("frequency", "high")
    assert descriptors[1] in {("monetary", "high"), ("average_order_value", "high")}
    for names, (_, z_row) in zip(
        result.names, result.profiles.filter(like="z:").iterrows(), strict=True
    ):
        assert len(names) <= 2
        for feature, direction in names:
            z = z_row[f"z:{feature}"]
            assert abs(z) >= NAME_MIN_Z and (z > 0) == (direction == "high")


def test_same_input_gives_same_labels():
    features, _ = planted()
    first = cluster_customers(features, RFM, seed=3)
    second = cluster_customers(features, RFM, seed=3)
    pd.testing.assert_series_equal(first.labels, second.labels)
    pd.testing.assert_frame_equal(first.silhouette, second.silhouette)
    pd.testing.assert_frame_equal(first.projection, second.projection)


def test_sampled_search_matches_on_large_data():
    # More customers than the sample: k is still found and every customer is labelled.
    features, truth = planted()
    big = pd.concat([features] * 5)
    big.index = pd.Index([f"Q{i:06d}" for i in range(len(big))], name="customer_id", dtype="str")
    result = cluster_customers(big, RFM, sample_size=1000)
    assert result.sample_size == 1000
    assert result.chosen_k == 4
    assert adjusted_rand_score(np.tile(truth, 5), result.labels.to_numpy()) >= 0.9
    assert result.projection_sampled and len(result.projection) <= clustering.PROJECTION_POINTS
    assert set(result.projection["cluster"]) == set(range(result.k))
    assert set(result.projection.columns) == {"customer_id", "x", "y", "cluster"}
    assert result.projection["customer_id"].isin(big.index).all()


# --------------------------------------------------------------------------- expected problems


def _features(n: int = 60, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "recency_days": rng.integers(0, 300, n),
            "frequency": rng.integers(1, 20, n),
            "monetary": rng.gamma(2.0, 50.0, n),
            "constant": np.full(n, 7.0),
            "region": pd.Categorical(rng.choice(["North", "South"], n)),
        },
        index=pd.Index([f"C{i:04d}" for i in range(n)], name="customer_id", dtype="str"),
    )


@pytest.mark.parametrize(
    ("columns", "n", "key"),
    [
        ([], 60, "clustering.no_columns"),
        (["frequency"], 60, "clustering.too_few_columns"),
        (["frequency", "constant"], 60, "clustering.too_few_varying_columns"),
        (["recency_days", "frequency"], 12, "clustering.too_few_customers"),
    ],
    ids=["empty selection", "one column", "one varying column", "too few customers"],
)
def test_expected_problems_come_back_as_messages(columns, n, key):
    result = cluster_customers(_features(n), columns)
    assert result.problem is not None and result.problem.key == key
    assert result.problem.severity == "error"
    assert result.k == 0 and result.labels.empty and result.notes == ()


def test_zero_variance_column_is_dropped_with_a_message():
    result = cluster_customers(_features(), ["recency_days", "frequency", "constant"])
    assert result.problem is None and result.k > 0
    assert result.notes == (
        Problem("clustering.constant_columns", {"columns": ["constant"]}, "info"),
    )
    assert result.dropped_columns == ("constant",) and result.columns == (
        "recency_days",
        "frequency",
    )
    assert "mean:constant" not in result.profiles


def test_k_above_distinct_points_is_lowered_with_a_message():
    base = _features(30)
    features = base.assign(recency_days=np.tile([1, 50, 300], 10), frequency=np.tile([1, 5, 9], 10))
    result = cluster_customers(features, ["recency_days", "frequency"], k=5)
    assert result.problem is None
    assert result.notes == (Problem("clustering.k_too_large", {"k": 5, "distinct": 3}, "info"),)
    assert result.k == 3
    assert result.silhouette["k"].tolist() == [2, 3]  # the search stops at the distinct points
    assert result.chosen_k == 3
    assert sorted(result.profiles["customers"]) == [10, 10, 10]


def test_missing_values_are_filled_with_the_median_and_reported():
    features = _features().assign(
        age=lambda f: np.where(np.arange(len(f)) % 10 == 0, np.nan, 20 + np.arange(len(f)))
    )
    result = cluster_customers(features, ["recency_days", "age"])
    assert result.problem is None and result.k > 0
    assert result.filled_missing == {"age": 6}
    assert result.notes == (
        Problem("clustering.missing_filled", {"columns": ["age"], "customers": 6}, "info"),
    )
    assert result.labels.notna().all() and len(result.labels) == len(features)


@pytest.mark.parametrize(
    ("columns", "k", "match"),
    [
        (["recency_days", "nope"], None, "Column nope missing"),
        (["recency_days", "region"], None, "Column region is not numeric"),
        (["recency_days", "frequency"], 1, "k must be at least 2"),
    ],
    ids=["unknown column", "text column", "k below 2"],
)
def test_contract_breaks_raise(columns, k, match):
    with pytest.raises(ValueError, match=match):
        cluster_customers(_features(), columns, k=k)


def test_every_message_key_is_declared():
    source = (ROOT / "core" / "clustering.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"(clustering\.[a-z_]+)"', source))
    assert used == set(MESSAGE_KEYS)


# --------------------------------------------------------------------------- names


def test_descriptor_messages():
    assert descriptor_message(("frequency", "high")) == ("cluster.frequency.high", {})
    assert descriptor_message(("monetary", "low"), "mod") == ("cluster.monetary.low.mod", {})
    assert descriptor_message(("category_share:Tea", "high")) == (
        "cluster.category_share.high",
        {"category": "Tea"},
    )
    assert descriptor_message(("category_share:other", "low")) == ("cluster.category_other.low", {})
    assert descriptor_message(("age", "high"), "mod") == (
        "cluster.attribute.high.mod",
        {"name": "age"},
    )
    assert descriptor_message(("days_since:signup_date", "high")) == (
        "cluster.days_since.high",
        {"name": "signup_date"},
    )
    keys = set(descriptor_keys())
    for feature in BASE_FEATURES:
        for direction in ("high", "low"):
            assert {f"cluster.{feature}.{direction}", f"cluster.{feature}.{direction}.mod"} <= keys


@pytest.fixture
def name_texts(monkeypatch):
    """Suggested catalog texts for a few keys, until core.i18n carries them."""
    texts = {
        "cluster.name": ("{mod} {head}", "{mod}{head}"),
        "cluster.typical": ("Typical customers", "接近平均水平的客户"),
        "cluster.frequency.high": ("frequent buyers", "高频客户"),
        "cluster.monetary.high.mod": ("High-spending", "高消费"),
        "cluster.category_share.high": ("{category} lovers", "偏爱{category}的客户"),
        "cluster.recency_days.low.mod": ("Recent", "近期活跃的"),
        "cluster.attribute.high.mod": ("High-{name}", "{name}偏高的"),
        "cluster.days_since.high": ("customers with an early {name}", "{name}较早的客户"),
    }
    for key, (en, zh) in texts.items():
        monkeypatch.setitem(EN, key, en)
        monkeypatch.setitem(ZH, key, zh)


def test_cluster_names_combine_a_modifier_and_a_head(name_texts):
    pair = (("frequency", "high"), ("monetary", "high"))
    assert cluster_name(pair, "en") == "High-spending frequent buyers"
    assert cluster_name(pair, "zh") == "高消费高频客户"
    tea = (("category_share:Tea", "high"), ("recency_days", "low"))
    assert cluster_name(tea, "en") == "Recent Tea lovers"
    assert cluster_name(tea, "zh") == "近期活跃的偏爱Tea的客户"
    assert cluster_name((("frequency", "high"),), "en") == "Frequent buyers"
    assert cluster_name((), "zh") == "接近平均水平的客户"
    # Attribute names come from the field labels, lower-cased mid-sentence in English.
    age = (("frequency", "high"), ("age", "high"))
    assert cluster_name(age, "en") == "High-age frequent buyers"
    assert cluster_name(age, "zh") == "年龄偏高的高频客户"
    signup = (("days_since:signup_date", "high"),)
    assert cluster_name(signup, "en") == "Customers with an early sign-up date"


def test_feature_labels_fall_back_to_field_labels():
    assert feature_label("region", "en") == "Region"
    assert feature_label("customer:frequency", "en") == "frequency"
    assert feature_label("loyalty_tier", "zh") == "loyalty_tier"


# --------------------------------------------------------------------------- demo data


def test_demo_data_features(demo):
    features, transactions = demo
    assert len(features) == transactions["customer_id"].nunique()
    np.testing.assert_allclose(features.filter(like="category_share:").sum(axis=1), 1.0)
    assert features["monetary"].sum() == pytest.approx(transactions["amount"].sum())
    assert {"first_purchase_category", "region", "gender"} <= set(breakdown_columns(features))


@pytest.mark.parametrize(
    "columns",
    [
        list(clustering.DEFAULT_CLUSTER_FEATURES),
        list(BASE_FEATURES),
        ["frequency", "monetary", "category_share:Tea", "category_share:Coffee", "age"],
    ],
    ids=["rfm", "base", "mix and age"],
)
def test_demo_data_clusters(demo, columns):
    features, _ = demo
    result = cluster_customers(features, columns)
    assert result.problem is None and result.notes == ()
    assert 2 <= result.chosen_k <= 10 and result.k == result.chosen_k
    assert result.profiles["customers"].sum() == len(features)
    assert result.labels.index.equals(features.index)
    assert set(result.labels) == set(range(result.k))
    assert len(result.names) == result.k
    assert result.projection_sampled and len(result.projection) <= 3000
    assert 0 < sum(result.projection_variance) <= 1


@pytest.mark.parametrize("k", [3, 200], ids=["few clusters", "many clusters"])
def test_projection_sample_keeps_small_clusters_visible(k):
    rng = np.random.default_rng(0)
    n = 10_000
    labels = np.sort(rng.integers(1, k, size=n))
    labels[:5] = 0  # a cluster of 5 customers
    labels = np.sort(labels)
    scaled = rng.normal(size=(n, 3))
    index = pd.Index([f"C{i:05d}" for i in range(n)], name="customer_id", dtype="str")
    projection, sampled, variance = clustering._projection(index, scaled, labels, k, seed=0)
    assert sampled and len(projection) <= clustering.PROJECTION_POINTS
    assert (projection["cluster"] == 0).sum() == 5
    assert set(projection["cluster"]) == set(range(k))
    assert projection["customer_id"].is_unique
    assert 0 < variance[1] <= variance[0] < 1


# --------------------------------------------------------------------------- the page's tables


def test_silhouette_curve_is_scikit_learns_on_the_same_subsample():
    # The distances are computed once for every k and each score is one matrix product
    # (core.clustering._silhouette_scores, _mean_silhouette): each score must stay the
    # plain silhouette_score call it replaces, singletons included.
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(3)
    points = rng.normal(size=(2_500, 3))
    labelings = {k: rng.integers(0, k, size=len(points)) for k in (2, 3, 5)}
    singleton = rng.integers(0, 3, size=len(points))
    sample = np.random.RandomState(0).permutation(len(points))[: clustering.SILHOUETTE_POINTS]
    singleton[sample[0]] = 3  # a cluster of one point in the scored subsample: s = 0 there
    labelings[4] = singleton
    scores = clustering._silhouette_scores(points, labelings, seed=0)
    for k, labels in labelings.items():
        expected = silhouette_score(
            points, labels, sample_size=clustering.SILHOUETTE_POINTS, random_state=0
        )
        assert scores[k] == pytest.approx(expected, abs=1e-12)


def test_demo_clusters_as_the_page_showed_them(demo):
    # The numbers the Segmentation page showed on the demo before its tables moved to
    # core (commit ce3c7c3): default features, automatic k.
    features, _ = demo
    choices = clustering.feature_choices(features)
    assert choices.default == clustering.DEFAULT_CLUSTER_FEATURES
    assert "first_purchase_category" in choices.breakdown and "region" in choices.breakdown
    assert set(choices.default) <= set(choices.clustering)
    result = cluster_customers(features, list(choices.default))
    assert result.silhouette["silhouette"].round(6).tolist() == [
        0.483347,
        0.393867,
        0.400174,
        0.355924,
        0.358766,
        0.327518,
        0.321151,
        0.327776,
        0.315807,
    ]
    assert clustering.cluster_labels(result, "en") == {
        0: "1 · Low-spending occasional buyers",
        1: "2 · High-spending frequent buyers",
    }
    table = clustering.cluster_table(result, "en")
    assert table["cluster"].tolist() == [
        "1 · Low-spending occasional buyers",
        "2 · High-spending frequent buyers",
        "All customers (average)",
    ]
    assert table["customers"].tolist() == [3220, 1780, 5000]
    assert table["Days since last purchase"].tolist() == [364.36, 105.96, 272.37]
    assert table["Orders"].tolist() == [2.42, 20.06, 8.7]
    assert table["Total spend"].tolist() == [74.69, 708.04, 300.16]
    assert table["share"].iloc[-1] == 100.0
    assert table["share"].iloc[:2].sum() == pytest.approx(100.0)
    points = clustering.cluster_points(result, "zh")
    assert set(points["label"]) == set(clustering.cluster_labels(result, "zh").values())
