"""Cross-sell's page views in core: one entry point per tab, readings as Problems, exports.

Expected numbers come from the hand-counted baskets of tests/core/test_crosssell.py
(worked out again in the comments) and, for the demo, from the figures the Cross-sell
page showed before its views moved into core (commit ce3c7c3, page defaults: support
0.2%, confidence 20%, top 5, response 25%).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.crosssell import (
    DEFAULT_RESPONSE,
    HOLDOUT_TOP_N,
    MAX_MAP_RULES,
    MAX_TABLE_RULES,
    MIN_FLOW_CUSTOMERS,
    MIN_PAIR_GAIN,
    NO_CAMPAIGNS,
    NO_FLOWS,
    NO_HOLDOUT_CUSTOMERS,
    NO_PAIR_RULES,
    NO_RULES,
    PAIR_TABLE_COLUMNS,
    BasketSettings,
    RuleSettings,
    _top_n,
    association_rules,
    basket_summary,
    baskets_for,
    build_baskets,
    campaign_audience,
    campaign_candidates,
    campaign_choices,
    campaign_estimate,
    campaign_ranking,
    campaign_reading,
    cross_sell_campaign,
    default_cutoff,
    fit_recommender,
    heatmap,
    holdout_check,
    holdout_evaluation,
    holdout_span,
    labelled,
    next_best,
    next_best_list,
    pair_rules,
    pair_rules_view,
    recommend,
    recommendation_table,
    rule_table,
    rules_view,
    second_order_view,
)
from core.export import ExcelFit, excel_fit
from core.ingest import ingest_file
from core.problems import Problem
from tests.core.test_crosssell import HAND, _generated, _lines

ROOT = Path(__file__).resolve().parents[2]
ALL = RuleSettings(min_support=0, min_confidence=0, min_baskets=1, min_lift=0)


@pytest.fixture(scope="module")
def hand():
    return build_baskets(HAND, "product")


@pytest.fixture(scope="module")
def demo():
    data = (ROOT / "sample_data" / "transactions.csv").read_bytes()
    table = ingest_file(data, "transactions.csv", "transactions").table
    baskets = baskets_for(table, BasketSettings("product"))
    return table, baskets, fit_recommender(baskets)


# --- Baskets ---------------------------------------------------------------------------


def _multiindex_numbering(lines: pd.DataFrame) -> np.ndarray:
    """The basket numbering as build_baskets made it before (a MultiIndex factorized)."""
    customer = lines["customer_id"].cat.codes.to_numpy(np.int64)
    day = lines["order_date"].to_numpy("datetime64[ns]").astype("datetime64[D]").view("i8")
    order = lines["order_id"]
    has_order = order.notna().to_numpy()
    order_codes = np.full(len(lines), -1)
    order_codes[has_order] = pd.factorize(order.to_numpy()[has_order])[0]
    key = pd.MultiIndex.from_arrays(
        [customer, np.where(has_order, order_codes, -1), np.where(has_order, 0, day)]
    )
    codes = np.where(customer >= 0, pd.factorize(key)[0], -1)
    _, dense = np.unique(codes[customer >= 0], return_inverse=True)
    return dense


def test_baskets_are_numbered_as_before_with_and_without_order_ids():
    # Lines 2 and 6 have no order id (a customer-day basket each: c1 on 01-01 twice,
    # c2 on 01-02); line 5 has no customer (no basket at all).
    lines = _lines(
        [
            ("O1", "c1", "2024-01-01 08:00", "A", 1.0),
            (None, "c1", "2024-01-01 09:00", "B", 1.0),
            ("O2", "c2", "2024-01-01 08:00", "A", 1.0),
            ("O1", "c2", "2024-01-03 08:00", "C", 1.0),  # the same order id, another customer
            (None, None, "2024-01-02 08:00", "D", 1.0),
            (None, "c1", "2024-01-01 18:00", "C", 1.0),
            (None, "c2", "2024-01-02 08:00", "B", 1.0),
            ("O2", "c2", "2024-01-01 08:00", "B", 1.0),
        ]
    )
    baskets = build_baskets(lines, "product")
    # Baskets: c1/O1, c1/01-01, c2/O2, c2/O1, c2/01-02 (in order of first appearance).
    assert baskets.n_baskets == 5
    assert baskets.basket_customer.tolist() == [0, 0, 1, 1, 1]
    assert sorted(baskets.basket_sizes().tolist()) == [1, 1, 1, 2, 2]
    per_line = _multiindex_numbering(lines)
    assert per_line.tolist() == [0, 1, 2, 3, 1, 4, 2]
    rows, cols = baskets.matrix.nonzero()
    assert set(zip(rows.tolist(), cols.tolist(), strict=True)) == {
        (per_line[i], list(baskets.items).index(item))
        for i, item in enumerate(lines["product"].dropna()[lines["customer_id"].notna()])
    }


def test_basket_summary_of_the_hand_baskets(hand):
    # Five baskets of four items; O1, O2, O3, O5 hold two or more: 4/5.
    summary = basket_summary(hand)
    assert (summary.n_baskets, summary.n_items, summary.source) == (5, 4, "order_id")
    assert summary.multi_item_share == pytest.approx(0.8)


# --- Ranking ---------------------------------------------------------------------------


def test_top_n_breaks_ties_by_item_and_a_shorter_list_is_the_start_of_a_longer():
    scores = np.array(
        [
            [0.5, 0.9, 0.5, 0.5, -np.inf, 0.5],
            [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
            [-np.inf, 0.2, -np.inf, -np.inf, 0.1, -np.inf],
        ]
    )
    picks, values = _top_n(scores, 3)
    assert picks.tolist() == [[1, 0, 2], [0, 1, 2], [1, 4, 0]]
    assert values[2, 2] == -np.inf  # the caller drops places that are not finite
    longer, _ = _top_n(scores, 5)
    assert longer[:, :3].tolist() == picks.tolist()
    assert longer[0].tolist() == [1, 0, 2, 3, 5]


def test_next_best_lists_are_the_start_of_the_longest_list():
    model = fit_recommender(build_baskets(_generated(seed=3), "product"))
    longest = recommendation_table(recommend(model, 10), model).set_index("customer_id")
    for top_n in (1, 3, 5):
        short = recommendation_table(recommend(model, top_n), model).set_index("customer_id")
        columns = ["item_1", "reason_1", *[f"item_{r}" for r in range(2, top_n + 1)]]
        pd.testing.assert_frame_equal(short[columns], longest.loc[short.index, columns])


# --- Rules -----------------------------------------------------------------------------


def test_rules_view_reads_the_strongest_pairs(hand):
    view = rules_view(hand, ALL)
    pd.testing.assert_frame_equal(view.rules, association_rules(hand, 0, 0).rules)
    assert view.items == ("A", "B", "C", "D")
    assert view.heatmap_default == "rules"
    assert all(isinstance(r, Problem) and r.severity == "info" for r in view.readings)
    # The strongest pair: C-D, lift (1/1) / (3/5) = 1.67, read in the D → C direction
    # (confidence 1 against 1/3 for C → D).
    first = view.readings[0]
    assert first.key == "crosssell.rule_sentence"
    assert dict(first.params) == {"x": "D", "y": "C", "lift": "1.7", "confidence": "100.0%"}
    assert len(view.readings) == 4  # one per pair of items bought together


def test_rules_view_without_rules_says_so(hand):
    view = rules_view(hand, RuleSettings(min_support=0.9))
    assert view.problem.key == NO_RULES
    assert view.readings == () and view.items == ()
    assert view.heatmap_default == "popular"


def test_rule_table_in_points_capped_and_filtered(hand):
    rules = association_rules(hand, 0, 0).rules
    table = rule_table(rules)
    assert not table.capped
    assert "antecedent_support" not in table.shown.columns
    np.testing.assert_allclose(table.shown["support"], rules["support"] * 100)
    np.testing.assert_allclose(table.shown["confidence"], rules["confidence"] * 100)
    np.testing.assert_allclose(table.shown["consequent_support"], rules["consequent_support"] * 100)
    assert table.download is rules
    with_d = rule_table(rules, "D")
    assert len(with_d.download) == len(with_d.shown) == 2  # C → D and D → C
    many = pd.concat([rules] * (MAX_TABLE_RULES // len(rules) + 1), ignore_index=True)
    capped = rule_table(many)
    assert capped.capped and len(capped.shown) == MAX_TABLE_RULES
    assert len(capped.chart) == MAX_MAP_RULES and len(capped.download) == len(many)
    assert not rule_table(many, "D").capped  # said only for the table of all rules


def test_pair_rules_view_keeps_rules_that_add_confidence(hand):
    two_items = pair_rules(hand, 0, 0)
    view = pair_rules_view(hand, RuleSettings(0, 0, 1))
    helpful = two_items[two_items["gain"] >= MIN_PAIR_GAIN]
    assert list(view.table.columns) == PAIR_TABLE_COLUMNS
    np.testing.assert_allclose(view.table["gain"], helpful["gain"] * 100)
    # {B, C} → A: only O2 holds B and C, and it holds A: confidence 1, against 2/3 for
    # B → A and for C → A: knowing both adds 1/3, "+33" points. The other pairs lose
    # confidence ({A, B} → C: 1/2 against 2/3), so this is the one rule shown.
    assert len(view.table) == len(view.readings) == 1
    assert dict(view.readings[0].params) == {
        "x": "B",
        "z": "C",
        "y": "A",
        "confidence": "100.0%",
        "gain": "+33",
    }
    none = pair_rules_view(hand, RuleSettings(0, 0, 2))  # no triple in two baskets
    assert none.problem.key == NO_PAIR_RULES and none.table.empty


def test_heatmap_falls_back_to_the_most_bought_items(hand):
    rules = association_rules(hand, 0, 0).rules
    shown = heatmap(hand, rules, "rules", 2)
    # The two items of the strongest rule (D → C) first.
    assert set(shown.pairs["row"]) == {"D", "C"}
    popular = heatmap(hand, rules.iloc[0:0], "rules", 3)
    assert set(popular.pairs["row"]) == {"A", "B", "C"}  # three baskets each
    assert heatmap(hand, rules, "popular", 1).problem.key == "crosssell.no_multi_item_baskets"


# --- Second orders ---------------------------------------------------------------------


def test_second_order_view_reads_the_strongest_flows():
    # Six customers: Tea first and Infuser second (c0..c4), c5 Coffee then Press.
    rows = []
    for i in range(5):
        rows += [(f"A{i}", f"c{i}", "2024-01-01", "Tea", 5.0)]
        rows += [(f"B{i}", f"c{i}", "2024-02-01", "Infuser", 5.0)]
    rows += [("A5", "c5", "2024-01-01", "Coffee", 5.0), ("B5", "c5", "2024-02-01", "Press", 5.0)]
    baskets = build_baskets(_lines(rows), "product")
    view = second_order_view(baskets, baskets)
    assert view.n_customers == 6
    assert view.items.set_index("item")["customers"].to_dict() == {"Infuser": 5, "Press": 1}
    # Tea → Infuser: 5 of 5 Tea customers, 0 of the one other: 100% against 0%.
    assert len(view.flows) == 1 and view.flows_problem is None
    assert dict(view.readings[0].params) == {
        "first": "Tea",
        "second": "Infuser",
        "share": "100.0%",
        "others": "0.0%",
    }
    # One customer fewer: no first item has MIN_FLOW_CUSTOMERS customers with a flow.
    fewer = build_baskets(_lines(rows[2:]), "product")
    few = second_order_view(fewer, fewer)
    assert few.flows.empty and few.readings == ()
    assert few.flows_problem == Problem(NO_FLOWS, {"minimum": MIN_FLOW_CUSTOMERS}, "info")


# --- Next best product -----------------------------------------------------------------


def test_next_best_lists_by_segment_with_labels(hand):
    model = fit_recommender(hand)
    segment_of = pd.Series(
        ["champions", "at_risk", "champions"], index=pd.Index(["c1", "c2", "c3"])
    )
    best = next_best(model, segment_of)
    assert best.segments == ("champions", "at_risk")  # in SEGMENTS order
    table = best.table.set_index("customer_id")
    assert table.loc["c4", "segment"] is pd.NA or pd.isna(table.loc["c4", "segment"])
    # c4 bought B only: D is never bought with B, so A and C (both linked to B) lead.
    short = next_best_list(
        best,
        2,
        ("champions",),
        {"customer_id": "Customer", "segment": "Segment", "item_1": "#1", "item_2": "#2"},
        {"champions": "Champions"},
    )
    assert list(short.export.columns) == ["Customer", "Segment", "#1", "reason_1", "#2"]
    assert short.export["Customer"].tolist() == ["c1", "c3"]
    assert set(short.export["Segment"]) == {"Champions"}
    counts = short.first_choice.set_index("item")["customers"]
    assert counts.sum() == 2
    every = next_best_list(best, 3, (), None, {"champions": "Champions", "at_risk": "At risk"})
    assert len(every.export) == 4 and "item_3" in every.export.columns
    assert every.export.loc[every.export["customer_id"] == "c4", "segment"].tolist() == [""]


def test_next_best_lists_know_what_excel_cuts_without_checking_every_cell(hand):
    best = next_best(fit_recommender(hand))
    assert best.excel_clean
    shown = next_best_list(best, 2)
    assert shown.excel == excel_fit(shown.export) == ExcelFit()
    # An item name with a control character: every list holding it is checked in full.
    lines = HAND.assign(product=HAND["product"].cat.rename_categories({"B": "B\x0b"}))
    dirty = next_best(fit_recommender(build_baskets(lines, "product")))
    assert not dirty.excel_clean
    for top_n in (1, 3):
        shown = next_best_list(dirty, top_n)
        assert shown.excel == excel_fit(shown.export)
    assert next_best_list(dirty, 3).excel.cleaned > 0


def test_labelled_renames_columns_and_segments():
    frame = pd.DataFrame({"customer_id": ["c1", "c2"], "segment": ["champions", None]})
    shown = labelled(frame, {"customer_id": "客户ID"}, {"champions": "冠军客户"})
    assert shown.to_dict("list") == {"客户ID": ["c1", "c2"], "segment": ["冠军客户", ""]}


# --- Holdout check ---------------------------------------------------------------------


def test_holdout_span_and_check_on_generated_data():
    baskets = build_baskets(_generated(seed=9), "product")
    span = holdout_span(baskets)
    assert span.default_cutoff == default_cutoff(baskets).date()
    assert span.first_day < span.default_cutoff < span.last_day
    check = holdout_check(baskets, span.default_cutoff)
    result = holdout_evaluation(baskets, default_cutoff(baskets), HOLDOUT_TOP_N)
    assert check.result == result
    assert check.difference == pytest.approx(result.hit_rate - result.baseline_hit_rate)
    assert check.rates["method"].tolist() == ["model", "popular"]
    assert check.rates["hits"].tolist() == [result.hits, result.baseline_hits]
    assert check.reading.key == "crosssell.check_reading_better"
    assert dict(check.reading.params)["top"] == HOLDOUT_TOP_N
    assert check.few_items is None  # 30 products > 2 × 5


def test_holdout_with_few_items_or_one_day(hand):
    assert holdout_span(hand).problem is None
    check = holdout_check(hand, "2024-01-05")
    # c3 bought A and C before, then C and D on 01-05: D is new. Nobody bought D
    # before the cut-off, so neither list can hold it: 0 hits for both.
    assert check.result.customers == 1
    assert check.result.hit_rate == check.result.baseline_hit_rate == 0.0
    # Four items: a top-5 list holds all that were bought, so the check says little.
    assert check.few_items == Problem("crosssell.check_few_items", {"n": 4, "top": 5}, "info")
    one_day = build_baskets(HAND.assign(order_date=pd.Timestamp("2024-01-01")), "product")
    assert holdout_span(one_day).problem.key == NO_HOLDOUT_CUSTOMERS
    assert holdout_check(hand, "2025-01-01").problem.key == NO_HOLDOUT_CUSTOMERS


# --- What if ---------------------------------------------------------------------------


def test_campaign_estimate_equals_cross_sell_campaign_for_every_candidate(hand):
    model = fit_recommender(hand)
    rules = association_rules(hand, 0, 0).rules
    choices = campaign_choices(hand, model, rules)
    assert len(choices.options) == len(choices.candidates)
    for index, rule in enumerate(choices.candidates.itertuples()):
        for response in (0.05, DEFAULT_RESPONSE, 1.0):
            quick = campaign_estimate(choices.candidates, index, response)
            full = cross_sell_campaign(
                hand, model, rule.antecedent, rule.consequent, response, rule.confidence
            )
            assert quick == full
    # A → B: c3 alone, 2/3 confidence, B's 5.0: 1 × 2/3 × 0.5 = 1/3 order, 5/3 revenue.
    a_b = next(i for i, r in enumerate(choices.candidates.itertuples()) if r[1:3] == ("A", "B"))
    estimate = campaign_estimate(choices.candidates, a_b, 0.5)
    assert estimate.expected_revenue == pytest.approx(5 / 3)
    reading = campaign_reading(estimate)
    assert dict(reading.params) == {
        "n": "1",
        "x": "A",
        "y": "B",
        "confidence": "66.7%",
        "response": "50%",
        "orders": "0.3",
        "price": "5.00",
        "revenue": "1.67",
    }
    option = choices.options[a_b]
    assert dict(option.params) == {"x": "A", "y": "B", "confidence": "66.7%", "n": "1"}
    assert campaign_choices(hand, model, rules.iloc[0:0]).problem.key == NO_CAMPAIGNS


def test_campaign_ranking_and_audience(hand):
    model = fit_recommender(hand)
    candidates = campaign_candidates(hand, model, association_rules(hand, 0, 0).rules)
    ranking = campaign_ranking(candidates, 0.5, top=3)
    assert len(ranking) == 3
    np.testing.assert_allclose(ranking["revenue"], candidates["potential_revenue"][:3] * 0.5)
    np.testing.assert_allclose(ranking["confidence"], candidates["confidence"][:3] * 100)
    audience = campaign_audience(model, "A", "B", pd.Series({"c3": "loyal"}))
    assert audience.to_dict("list") == {
        "customer_id": ["c3"],
        "segment": ["loyal"],
        "offer": ["B"],
        "because": ["A"],
    }


# --- The demo: the figures the page showed before (commit ce3c7c3) ---------------------


def test_demo_figures_as_the_page_showed_them(demo):
    table, baskets, model = demo
    view = rules_view(baskets)
    assert len(view.rules) == 9
    first = dict(view.readings[0].params)
    assert (first["x"], first["y"], first["lift"]) == ("Bamboo Whisk", "Matcha Powder", "11.7")
    check = holdout_check(baskets, holdout_span(baskets).default_cutoff)
    assert check.result.customers == 947
    assert (check.result.hits, check.result.baseline_hits) == (455, 353)
    assert check.result.hit_rate == pytest.approx(0.4804646251319958)
    choices = campaign_choices(baskets, model, view.rules)
    estimate = campaign_estimate(choices.candidates, 0, DEFAULT_RESPONSE)
    assert (estimate.antecedent, estimate.consequent) == ("Paper Filters 100", "Pour-over Kettle")
    assert estimate.target_customers == 454
    assert estimate.expected_orders == pytest.approx(34.24723538704582)
    assert estimate.expected_revenue == pytest.approx(1717.1982805199812)
    best = next_best(model)
    first_rows = best.table.head(2).set_index("customer_id")
    assert first_rows.loc["C00001", ["item_1", "reason_1", "item_2"]].tolist() == [
        "Paper Filters 100",
        "Travel Mug",
        "Ceramic Dripper",
    ]
    assert len(best.table) == 5000
