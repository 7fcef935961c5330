"""Cross-sell: baskets, association rules, second orders, recommendations, holdout, what if.

Expected numbers are worked out by hand in each test (shown in the comments) and, for
the rules, cross-checked against a naive pandas count over every pair of items.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from core.charts.crosssell import (
    cooccurrence_heatmap,
    holdout_chart,
    recommended_items_chart,
    rules_map_chart,
    second_order_flows_chart,
    second_order_items_chart,
)
from core.crosssell import (
    NO_HOLDOUT_CUSTOMERS,
    NO_ITEMS,
    NO_MULTI_ITEM_BASKETS,
    NO_RULES,
    NO_SECOND_ORDERS,
    UNKNOWN_ITEM,
    association_rules,
    build_baskets,
    campaign_candidates,
    campaign_targets,
    cooccurrence_top,
    cross_sell_campaign,
    default_cutoff,
    fit_recommender,
    holdout_evaluation,
    item_levels,
    item_names,
    pair_rules,
    recommend,
    recommendation_reasons,
    recommendation_table,
    rule_items,
    rules_with_item,
    second_orders,
    strongest_flows,
    strongest_pairs,
)


def _lines(rows: list[tuple]) -> pd.DataFrame:
    """Order lines (order_id, customer_id, order_date, product, amount) as ingest leaves them."""
    frame = pd.DataFrame(
        rows, columns=["order_id", "customer_id", "order_date", "product", "amount"]
    )
    frame["customer_id"] = frame["customer_id"].astype("category")
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["product"] = frame["product"].astype("category")
    return frame


# Five baskets: O1 {A, B} (A on two lines), O2 {A, B, C}, O3 {A, C}, O4 {B}, O5 {C, D}.
HAND = _lines(
    [
        ("O1", "c1", "2024-01-01", "A", 10.0),
        ("O1", "c1", "2024-01-01", "A", 10.0),
        ("O1", "c1", "2024-01-01", "B", 4.0),
        ("O2", "c2", "2024-01-02", "A", 10.0),
        ("O2", "c2", "2024-01-02", "B", 6.0),
        ("O2", "c2", "2024-01-02", "C", 1.0),
        ("O3", "c3", "2024-01-03", "A", 10.0),
        ("O3", "c3", "2024-01-03", "C", 1.0),
        ("O4", "c4", "2024-01-04", "B", 5.0),
        ("O5", "c3", "2024-01-05", "C", 1.0),
        ("O5", "c3", "2024-01-05", "D", 2.0),
    ]
)


def _naive_rules(lines: pd.DataFrame) -> pd.DataFrame:
    """Every X → Y counted the slow way: a set of items per basket, pairs by brute force."""
    baskets = lines.groupby("order_id")["product"].apply(lambda s: set(s.astype(str)))
    n = len(baskets)
    items = sorted(set().union(*baskets))
    rows = []
    for x, y in itertools.permutations(items, 2):
        n_x = sum(x in b for b in baskets)
        n_y = sum(y in b for b in baskets)
        both = sum(x in b and y in b for b in baskets)
        if both == 0:
            continue
        confidence = both / n_x
        rows.append(
            {
                "antecedent": x,
                "consequent": y,
                "support": both / n,
                "confidence": confidence,
                "lift": confidence / (n_y / n),
                "conviction": (1 - n_y / n) / (1 - confidence) if confidence < 1 else math.inf,
            }
        )
    return pd.DataFrame(rows).set_index(["antecedent", "consequent"]).sort_index()


def test_baskets_count_an_item_once_per_order():
    baskets = build_baskets(HAND, "product")
    assert baskets.n_baskets == 5
    assert list(baskets.items) == ["A", "B", "C", "D"]
    assert baskets.item_baskets().tolist() == [3, 3, 3, 1]
    assert sorted(baskets.basket_sizes().tolist()) == [1, 2, 2, 2, 3]
    assert baskets.source == "order_id"
    # Average spend on B in a basket holding it: (4 + 6 + 5) / 3.
    assert baskets.average_price()[1] == pytest.approx(5.0)


def test_rules_known_answers_by_hand():
    rules = association_rules(HAND_BASKETS, min_support=0, min_confidence=0).rules
    by_rule = rules.set_index(["antecedent", "consequent"])
    # A → B: n(A,B) = 2 of N = 5 baskets, n(A) = 3, n(B) = 3.
    a_b = by_rule.loc[("A", "B")]
    assert a_b["baskets"] == 2
    assert a_b["support"] == pytest.approx(2 / 5)
    assert a_b["confidence"] == pytest.approx(2 / 3)
    assert a_b["lift"] == pytest.approx((2 / 3) / (3 / 5))  # 10/9
    assert a_b["conviction"] == pytest.approx((1 - 3 / 5) / (1 - 2 / 3))  # 1.2
    # D → C: every basket with D has C: confidence 1, lift 1 / (3/5), conviction infinite.
    d_c = by_rule.loc[("D", "C")]
    assert d_c["confidence"] == 1.0
    assert d_c["lift"] == pytest.approx(5 / 3)
    assert math.isinf(d_c["conviction"])
    # B → C: 1 of B's 3 baskets has C, below chance: lift (1/3) / (3/5) = 5/9.
    assert by_rule.loc[("B", "C"), "lift"] == pytest.approx(5 / 9)
    assert by_rule.loc[("B", "C"), "conviction"] == pytest.approx((1 - 3 / 5) / (1 - 1 / 3))
    # B and D never meet: no rule.
    assert ("B", "D") not in by_rule.index
    assert len(rules) == 8  # A-B, A-C, B-C, C-D, both directions
    # Sorted by lift: D → C and C → D (5/3) come first.
    assert set(rules.head(2)["antecedent"]) == {"C", "D"}


HAND_BASKETS = build_baskets(HAND, "product")


def test_rules_agree_with_a_naive_pandas_count():
    rules = association_rules(HAND_BASKETS, 0, 0).rules
    ours = rules.set_index(["antecedent", "consequent"]).sort_index()
    naive = _naive_rules(HAND)
    assert list(ours.index) == list(naive.index)
    for column in ("support", "confidence", "lift", "conviction"):
        np.testing.assert_allclose(ours[column], naive[column])


@pytest.mark.parametrize(
    ("min_support", "min_confidence", "min_baskets", "expected"),
    [
        # support >= 0.3 keeps pairs seen in 2 of 5 baskets: A-B and A-C, both ways.
        (0.3, 0, 1, {("A", "B"), ("B", "A"), ("A", "C"), ("C", "A")}),
        # confidence >= 0.5: A→B, B→A, A→C, C→A (2/3 each) and D→C (1).
        (0, 0.5, 1, {("A", "B"), ("B", "A"), ("A", "C"), ("C", "A"), ("D", "C")}),
        # at least 2 baskets with both: same as support 0.4.
        (0, 0, 2, {("A", "B"), ("B", "A"), ("A", "C"), ("C", "A")}),
    ],
    ids=["support", "confidence", "min-baskets"],
)
def test_thresholds_filter_rules(min_support, min_confidence, min_baskets, expected):
    rules = association_rules(HAND_BASKETS, min_support, min_confidence, min_baskets).rules
    assert set(zip(rules["antecedent"], rules["consequent"], strict=True)) == expected


def test_minimum_lift_keeps_positive_associations():
    # Lifts: A-B and A-C 10/9, C-D 5/3 (above 1); B-C 5/9 (below 1): dropped.
    rules = association_rules(HAND_BASKETS, 0, 0, min_lift=1.0).rules
    expected = {("A", "B"), ("B", "A"), ("A", "C"), ("C", "A"), ("C", "D"), ("D", "C")}
    assert set(zip(rules["antecedent"], rules["consequent"], strict=True)) == expected
    rules = association_rules(HAND_BASKETS, 0, 0, min_lift=1.5).rules
    assert set(zip(rules["antecedent"], rules["consequent"], strict=True)) == {
        ("C", "D"),
        ("D", "C"),
    }


def test_no_rule_passing_gives_a_message():
    result = association_rules(HAND_BASKETS, min_support=0.9)
    assert result.rules.empty
    assert result.problem.key == NO_RULES


def test_two_item_rules_by_hand_and_against_a_naive_count():
    rules = pair_rules(HAND_BASKETS, 0, 0).set_index(["antecedent", "consequent"])
    # {A, B} in O1, O2; with C only O2: confidence 1/2, lift (1/2) / (3/5) = 5/6.
    ab_c = rules.loc[("A + B", "C")]
    assert ab_c["baskets"] == 1
    assert ab_c["support"] == pytest.approx(1 / 5)
    assert ab_c["confidence"] == pytest.approx(1 / 2)
    assert ab_c["lift"] == pytest.approx(5 / 6)
    # Gain: 1/2 minus the better of A → C (2/3) and B → C (1/3).
    assert ab_c["gain"] == pytest.approx(1 / 2 - 2 / 3)
    # {B, C} only in O2, which holds A: confidence 1, conviction infinite.
    assert rules.loc[("B + C", "A"), "confidence"] == 1.0
    assert math.isinf(rules.loc[("B + C", "A"), "conviction"])
    baskets = HAND.groupby("order_id")["product"].apply(lambda s: set(s.astype(str)))
    naive = {}
    for x1, x2 in itertools.combinations("ABCD", 2):
        for y in set("ABCD") - {x1, x2}:
            has_pair = [b for b in baskets if {x1, x2} <= b]
            both = sum(y in b for b in has_pair)
            if both:
                naive[(f"{x1} + {x2}", y)] = both / len(has_pair)
    assert {k: round(v, 9) for k, v in rules["confidence"].to_dict().items()} == {
        k: round(v, 9) for k, v in naive.items()
    }
    # Thresholds: at least 2 baskets with all three items leaves nothing here.
    assert pair_rules(HAND_BASKETS, 0, 0, min_baskets=2).empty


def test_strongest_pairs_keep_one_direction_and_filter_by_item():
    rules = association_rules(HAND_BASKETS, 0, 0).rules
    pairs = strongest_pairs(rules, 10)
    assert len(pairs) == 4
    # C-D: D → C has confidence 1 against 1/3 for C → D.
    assert ("D", "C") in set(zip(pairs["antecedent"], pairs["consequent"], strict=True))
    with_d = rules_with_item(rules, "D")
    assert len(with_d) == 2
    assert rules_with_item(rules, None) is rules


def test_items_left_out_leave_the_matrix_but_not_the_baskets():
    # Without D, O5 holds C alone; all five baskets remain.
    baskets = build_baskets(HAND, "product", leave_out=("D", "nothing"))
    assert list(baskets.items) == ["A", "B", "C"]
    assert baskets.n_baskets == 5
    assert sorted(baskets.basket_sizes().tolist()) == [1, 1, 2, 2, 3]
    assert item_names(HAND, "product")[0] == "A"  # A has the most lines (4)


def test_without_order_id_a_basket_is_a_customer_day():
    lines = HAND.drop(columns="order_id").copy()
    # c1 buys again on 2024-01-01 at another time: the same basket.
    extra = _lines([("x", "c1", "2024-01-01 18:00", "C", 1.0)]).drop(columns="order_id")
    lines = pd.concat([lines, extra], ignore_index=True)
    lines["customer_id"] = lines["customer_id"].astype("category")
    lines["product"] = lines["product"].astype("category")
    baskets = build_baskets(lines, "product")
    assert baskets.source == "customer_day"
    # c3 bought on 01-03 and 01-05 (two baskets): five baskets in all.
    assert baskets.n_baskets == 5
    assert sorted(baskets.basket_sizes().tolist()) == [1, 2, 2, 3, 3]


def test_data_without_items_or_multi_item_baskets_gives_messages():
    no_items = HAND.drop(columns="product")
    assert item_levels(no_items) == []
    baskets = build_baskets(no_items, "product")
    assert baskets.problem.key == NO_ITEMS
    assert association_rules(baskets).problem.key == NO_ITEMS
    assert second_orders(baskets).problem.key == NO_ITEMS
    single = _lines(
        [(f"O{i}", f"c{i % 3}", f"2024-01-0{i + 1}", "AB"[i % 2], 1.0) for i in range(6)]
    )
    result = association_rules(build_baskets(single, "product"))
    assert result.problem.key == NO_MULTI_ITEM_BASKETS
    assert result.n_baskets == 6


def test_category_level_uses_the_category_column():
    lines = HAND.assign(category=HAND["product"].map({"A": "X", "B": "X", "C": "Y", "D": "Y"}))
    assert item_levels(lines) == ["product", "category"]
    baskets = build_baskets(lines, "category")
    assert list(baskets.items) == ["X", "Y"]
    # X in O1, O2, O3, O4; Y in O2, O3, O5: both in 2 of 5 baskets.
    rules = association_rules(baskets, 0, 0).rules.set_index(["antecedent", "consequent"])
    assert rules.loc[("X", "Y"), "support"] == pytest.approx(2 / 5)
    assert rules.loc[("X", "Y"), "confidence"] == pytest.approx(2 / 4)


def _generated(seed: int = 7, customers: int = 1000, orders: int = 3000) -> pd.DataFrame:
    """Random baskets of 30 products with planted pairs P0 → P1 (60%) and P2 → P3 (40%).

    Customers have tastes: customer c mostly buys from products 6..29 whose number
    modulo 3 equals c modulo 3, so what a customer bought says what they buy next.
    """
    rng = np.random.default_rng(seed)
    base = rng.dirichlet(np.ones(30))
    tastes = []
    for group in range(3):
        weights = base.copy()
        weights[[i for i in range(6, 30) if i % 3 == group]] *= 8
        weights[[0, 2]] = 0
        weights = weights / weights.sum() * 0.9
        weights[[0, 2]] = 0.05  # the planted pairs' first items are common
        tastes.append(weights)
    rows = []
    for order in range(orders):
        number = int(rng.integers(customers))
        day = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(365)))
        size = 1 + rng.poisson(1.0)
        items = set(rng.choice(30, size=size, replace=False, p=tastes[number % 3]).tolist())
        if 0 in items and rng.random() < 0.6:
            items.add(1)
        if 2 in items and rng.random() < 0.4:
            items.add(3)
        rows += [(f"O{order}", f"c{number}", day, f"P{i}", 10.0 + i) for i in items]
    return _lines(rows)


def test_planted_pairs_are_recovered_on_generated_data():
    lines = _generated()
    baskets = build_baskets(lines, "product")
    rules = association_rules(baskets, 0.005, 0.3, 5).rules
    found = set(zip(rules["antecedent"], rules["consequent"], strict=True))
    assert {("P0", "P1"), ("P2", "P3")} <= found
    by_rule = rules.set_index(["antecedent", "consequent"])
    # The planted share adds to P1's own chance of being drawn: confidence ≈ 0.6 + a bit.
    assert 0.55 < by_rule.loc[("P0", "P1"), "confidence"] < 0.8
    assert 0.35 < by_rule.loc[("P2", "P3"), "confidence"] < 0.6
    assert by_rule.loc[("P0", "P1"), "lift"] > 2
    strongest = strongest_pairs(rules, 2)
    top_pairs = {
        frozenset(p) for p in zip(strongest["antecedent"], strongest["consequent"], strict=True)
    }
    assert top_pairs == {frozenset({"P0", "P1"}), frozenset({"P2", "P3"})}


def test_cooccurrence_top_matches_the_rules():
    pairs = cooccurrence_top(HAND_BASKETS, top=3).set_index(["row", "column"])
    # Top 3 by baskets: A, B, C (3 each; ties keep the item order).
    assert set(pairs.index.get_level_values("row")) == {"A", "B", "C"}
    assert pairs.loc[("A", "B"), "baskets"] == 2
    assert pairs.loc[("B", "C"), "lift"] == pytest.approx(5 / 9)
    assert pairs.loc[("C", "A"), "confidence"] == pytest.approx(2 / 3)
    assert len(pairs) == 6
    # The items of the strongest rules: D-C (lift 5/3) first, then A-B / A-C (10/9).
    rules = association_rules(HAND_BASKETS, 0, 0).rules
    assert rule_items(rules, 2) == ["D", "C"]
    chosen = cooccurrence_top(HAND_BASKETS, items=["D", "C", "nothing"])
    assert chosen.set_index(["row", "column"]).loc[("D", "C"), "confidence"] == 1.0
    assert len(chosen) == 2


def test_second_orders_known_answer():
    # c1: Tea then Infuser; c2: Tea then Infuser + Coffee; c3: Coffee then Press;
    # c4: Coffee then Infuser; c5 ordered once. The file lists second orders first.
    lines = _lines(
        [
            ("O2", "c1", "2024-02-01", "Infuser", 5.0),
            ("O1", "c1", "2024-01-01", "Tea", 5.0),
            ("O4", "c2", "2024-02-03", "Infuser", 5.0),
            ("O4", "c2", "2024-02-03", "Coffee", 5.0),
            ("O3", "c2", "2024-01-02", "Tea", 5.0),
            ("O5", "c3", "2024-01-03", "Coffee", 5.0),
            ("O6", "c3", "2024-03-01", "Press", 5.0),
            ("O7", "c4", "2024-01-04", "Coffee", 5.0),
            ("O8", "c4", "2024-01-09", "Infuser", 5.0),
            ("O9", "c5", "2024-01-05", "Tea", 5.0),
        ]
    )
    result = second_orders(build_baskets(lines, "product"), min_customers=1)
    assert result.n_customers == 4
    items = result.items.set_index("item")
    assert items.loc["Infuser", "customers"] == 3
    assert items.loc["Infuser", "share"] == pytest.approx(3 / 4)
    flows = result.flows.set_index(["first_item", "second_item"])
    # Tea first (c1, c2): both bought Infuser second; of the 2 others (c3, c4) one did.
    tea = flows.loc[("Tea", "Infuser")]
    assert (tea["customers"], tea["first_customers"]) == (2, 2)
    assert tea["share"] == 1.0
    assert tea["share_others"] == pytest.approx(1 / 2)
    assert tea["lift"] == pytest.approx(2.0)
    # Coffee first (c3, c4): Press 1 of 2, never among the others: infinite lift.
    assert math.isinf(flows.loc[("Coffee", "Press"), "lift"])
    strongest = strongest_flows(result.flows).set_index("first_item")
    assert set(strongest.index) == {"Tea", "Coffee"}
    # Extra customers: Coffee → Press (1/2 - 0) × 2 = 1; Coffee → Infuser (1/2 - 1) × 2 < 0.
    assert strongest.loc["Coffee", "second_item"] == "Press"
    assert strongest.loc["Coffee", "extra_customers"] == pytest.approx(1.0)
    # Buying the same product again is not a cross-sell flow.
    again = _lines(
        [(f"O{i}{k}", f"c{i}", f"2024-01-0{k + 1}", "Tea", 5.0) for i in range(6) for k in (0, 1)]
    )
    assert second_orders(build_baskets(again, "product"), min_customers=1).flows.empty
    one_order = _lines([("O1", "c1", "2024-01-01", "Tea", 5.0)])
    assert second_orders(build_baskets(one_order, "product")).problem.key == NO_SECOND_ORDERS


def test_recommendations_known_answer():
    # c1 {A, B}, c2 {A, B}, c3 {A, C}, c4 {A}: customers per item A 4, B 2, C 1;
    # both A and B: 2, A and C: 1. Cosine: sim(A,B) = 2/sqrt(4·2) = 0.707, sim(A,C) = 1/2.
    lines = _lines(
        [
            ("O1", "c1", "2024-01-01", "A", 1.0),
            ("O1", "c1", "2024-01-01", "B", 1.0),
            ("O2", "c2", "2024-01-01", "A", 1.0),
            ("O3", "c2", "2024-01-02", "B", 1.0),
            ("O4", "c3", "2024-01-01", "A", 1.0),
            ("O4", "c3", "2024-01-01", "C", 1.0),
            ("O5", "c4", "2024-01-01", "A", 1.0),
        ]
    )
    model = fit_recommender(build_baskets(lines, "product"))
    recs = recommend(model, top_n=5)
    by_customer = recs.groupby("customer_id")["item"].apply(list).to_dict()
    assert by_customer == {"c1": ["C"], "c2": ["C"], "c3": ["B"], "c4": ["B", "C"]}
    c4 = recs[recs["customer_id"] == "c4"].set_index("item")["score"]
    assert c4["B"] == pytest.approx(2 / math.sqrt(8), rel=1e-5)
    assert c4["C"] == pytest.approx(0.5, rel=1e-4)
    # c1 scores C by sim(A,C) + sim(B,C) = 0.5 + 0.
    assert recs.loc[recs["customer_id"] == "c1", "score"].iloc[0] == pytest.approx(0.5, rel=1e-4)
    wide = recommendation_table(recs, model).set_index("customer_id")
    assert wide.loc["c4", "item_1"] == "B"
    # c3 gets B because of A (sim 0.707), not C (sim(C,B) = 0); c1's C goes with A.
    assert wide.loc["c3", "reason_1"] == "A"
    assert wide.loc["c1", "reason_1"] == "A"
    reasons = recommendation_reasons(model, recs)
    assert reasons[(recs["customer_id"] == "c4") & (recs["item"] == "C")].tolist() == ["A"]
    assert wide.loc["c4", "item_2"] == "C"
    assert pd.isna(wide.loc["c1", "item_2"])


def test_recommendations_never_include_what_a_customer_bought():
    lines = _generated(seed=3)
    baskets = build_baskets(lines, "product")
    model = fit_recommender(baskets)
    bought = set(zip(lines["customer_id"].astype(str), lines["product"].astype(str), strict=True))
    for popular_only in (False, True):
        recs = recommend(model, top_n=10, popular_only=popular_only)
        assert len(recs) > 0
        offered = set(zip(recs["customer_id"], recs["item"], strict=True))
        assert offered.isdisjoint(bought)
        assert recs.groupby("customer_id")["rank"].max().max() == 10
    some = recommend(model, top_n=3, customers=["c1", "c2", "nobody"])
    assert set(some["customer_id"]) == {"c1", "c2"}


def test_planted_pair_drives_recommendations():
    lines = _generated(seed=11)
    model = fit_recommender(build_baskets(lines, "product"))
    owners = lines.groupby("customer_id", observed=True)["product"].apply(
        lambda s: set(s.astype(str))
    )
    # Customers with P0 but not P1: P1 should be near the top of their list.
    targets = [c for c, items in owners.items() if "P0" in items and "P1" not in items]
    assert len(targets) > 20
    recs = recommend(model, top_n=5, customers=targets)
    assert (recs["item"] == "P1").groupby(recs["customer_id"]).any().mean() > 0.5


# Before the cut-off: c1 {A}; c2 {A, B}; c3 {C, D}; c4 {D}. After: c1's next order is C,
# and five new customers buy A with C. A model that saw the later orders would link A to
# C and recommend C to c1 (a hit); fitted on the earlier orders only, it offers B.
LEAK = _lines(
    [
        ("O1", "c1", "2024-01-01", "A", 1.0),
        ("O2", "c2", "2024-01-02", "A", 1.0),
        ("O2", "c2", "2024-01-02", "B", 1.0),
        ("O3", "c3", "2024-01-03", "C", 1.0),
        ("O3", "c3", "2024-01-03", "D", 1.0),
        ("O4", "c4", "2024-01-04", "D", 1.0),
        ("O5", "c1", "2024-03-01", "C", 1.0),
        *[(f"N{i}", f"n{i}", "2024-03-02", item, 1.0) for i in range(5) for item in ("A", "C")],
    ]
)


def test_holdout_uses_only_data_before_the_cutoff():
    baskets = build_baskets(LEAK, "product")
    result = holdout_evaluation(baskets, "2024-02-01", top_n=1)
    assert result.customers == 1  # only c1 bought before and after
    assert result.train_baskets == 4
    # Fitted on the earlier orders: c1 gets B (similar to A), not C: a miss.
    assert result.hit_rate == 0.0
    # The baseline offers c1 the most popular item they lack before the cut-off: D (2 customers).
    assert result.baseline_hit_rate == 0.0
    # Had the later orders leaked into the model, A would go with C more than with B.
    leaked = fit_recommender(baskets).similarity.toarray()
    a, b, c = (baskets.items.get_loc(i) for i in "ABC")
    assert leaked[a, c] > leaked[a, b]
    # Top 3 holds B, then D and C by popularity: C is a hit for both.
    wider = holdout_evaluation(baskets, "2024-02-01", top_n=3)
    assert (wider.hit_rate, wider.baseline_hit_rate) == (1.0, 1.0)


def test_holdout_equals_a_model_fitted_on_truncated_data():
    lines = _generated(seed=5)
    cutoff = pd.Timestamp("2024-10-01")
    baskets = build_baskets(lines, "product")
    result = holdout_evaluation(baskets, cutoff, top_n=5)
    assert result.customers > 50
    # New customers after the cut-off, all buying P28 with P29: if these later orders
    # reached the model, P28 and P29 would top the popularity list and change the lists.
    newcomers = _lines(
        [
            (f"N{i}", f"new{i}", "2024-12-01", item, 1.0)
            for i in range(500)
            for item in ("P28", "P29")
        ]
    )
    changed = pd.concat([lines, newcomers], ignore_index=True)
    changed["customer_id"] = changed["customer_id"].astype("category")
    changed["product"] = changed["product"].astype("category")
    again = holdout_evaluation(build_baskets(changed, "product"), cutoff, top_n=5)
    assert (again.customers, again.hits, again.baseline_hits) == (
        result.customers,
        result.hits,
        result.baseline_hits,
    )
    # The fitted model equals one fitted on the earlier lines alone.
    truncated = fit_recommender(build_baskets(lines[lines["order_date"] < cutoff], "product"))
    model = fit_recommender(baskets.before(cutoff))
    for customer in ["c1", "c2", "c3"]:
        assert (
            recommend(model, 5, [customer])["item"].tolist()
            == recommend(truncated, 5, [customer])["item"].tolist()
        )


def test_holdout_on_generated_data_beats_popularity():
    lines = _generated(seed=9)
    baskets = build_baskets(lines, "product")
    result = holdout_evaluation(baskets, default_cutoff(baskets), top_n=5)
    assert result.customers > 100
    assert 0 <= result.baseline_hit_rate <= 1
    assert result.hit_rate > result.baseline_hit_rate


def test_holdout_without_later_orders_gives_a_message():
    result = holdout_evaluation(HAND_BASKETS, "2025-01-01")
    assert result.problem.key == NO_HOLDOUT_CUSTOMERS
    assert result.customers == 0


def test_default_cutoff_leaves_a_fifth_of_baskets_after_it():
    baskets = build_baskets(_generated(seed=1), "product")
    cutoff = default_cutoff(baskets)
    after = (baskets.basket_date >= np.datetime64(cutoff)).mean()
    assert 0.15 < after < 0.25


def test_campaign_what_if_by_hand():
    # A → B: customers with A are c1, c2, c3; with B c1, c2, c4: target c3 alone.
    # confidence 2/3, response 50%: 1 × 2/3 × 0.5 = 1/3 order; B averages 5.0 a basket.
    model = fit_recommender(HAND_BASKETS)
    estimate = cross_sell_campaign(HAND_BASKETS, model, "A", "B", 0.5)
    assert estimate.target_customers == 1
    assert estimate.confidence == pytest.approx(2 / 3)
    assert estimate.expected_orders == pytest.approx(1 / 3)
    assert estimate.average_price == pytest.approx(5.0)
    assert estimate.expected_revenue == pytest.approx(5 / 3)
    assert cross_sell_campaign(HAND_BASKETS, model, "A", "Z", 0.5).problem.key == UNKNOWN_ITEM
    assert list(campaign_targets(model, "A", "B")) == ["c3"]
    # As candidates: A → B reaches c3 with 2/3 × 5.0; D → C reaches nobody (c3 has C).
    rules = association_rules(HAND_BASKETS, 0, 0).rules
    ranked = campaign_candidates(HAND_BASKETS, model, rules).set_index(["antecedent", "consequent"])
    assert ranked.loc[("A", "B"), "target_customers"] == 1
    assert ranked.loc[("A", "B"), "potential_revenue"] == pytest.approx(2 / 3 * 5.0)
    assert ranked.loc[("D", "C"), "target_customers"] == 0
    assert ranked["potential_revenue"].is_monotonic_decreasing
    # C → A: C's customers are c2 and c3, both own A: nobody to target.
    assert list(campaign_targets(model, "C", "A")) == []


def test_chart_builders_give_vega_specs():
    rules = association_rules(HAND_BASKETS, 0, 0).rules
    pairs = cooccurrence_top(HAND_BASKETS, 3)
    lines = HAND.copy()
    seconds = second_orders(build_baskets(lines, "product"), min_customers=1)
    charts = [
        rules_map_chart(rules, "zh"),
        cooccurrence_heatmap(pairs, "en"),
        second_order_items_chart(seconds.items, "en"),
        second_order_flows_chart(strongest_flows(seconds.flows), "zh"),
        recommended_items_chart(pd.DataFrame({"item": ["A"], "customers": [3]}), "en"),
        holdout_chart(
            pd.DataFrame({"method": ["model", "popular"], "hit_rate": [0.5, 0.3], "hits": [5, 3]})
        ),
    ]
    for chart in charts:
        spec = chart.to_dict()
        assert "title" in spec or "layer" in spec
