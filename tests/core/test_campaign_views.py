"""The Campaign page's views in core: what each tab shows, as numbers, figures and readings.

Expected numbers come from hand calculations written next to them, or from the demo as
the page showed it before its sentences and figures moved to core (sample_data/README.md
gives the demo's planted figures).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.campaign.abtest import EXAMPLE_SUMMARY, from_rows, from_totals
from core.campaign.money import (
    EXAMPLE_CHANNELS,
    MoneySettings,
    RolloutSettings,
    channels_view,
    money_view,
    rollout_view,
)
from core.campaign.power import (
    PlanSettings,
    detectable_view,
    plan_defaults,
    plan_view,
    power_at,
    power_curve,
    sample_size,
)
from core.campaign.readings import Figure, p_phrase, points, signed_points
from core.campaign.result import chances, result_view, with_chances
from core.campaign.segments import SegmentSettings, segments_view
from core.campaign.trust import intended_split, srm_view, trust_view
from core.campaign.typed import content_key, typed_summary
from core.ingest import ingest_file
from core.problems import Problem

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo():
    table = ingest_file((ROOT / "sample_data" / "campaign.csv").read_bytes(), "c.csv", "campaign")
    return from_rows(table.table)


def _two_arms():
    """10,000 recipients each: 300 vs 360 conversions, revenue 1.50 vs 1.90 per recipient (SD 12, 13)."""
    return from_totals(
        pd.DataFrame(
            {
                "group": ["control", "test"],
                "recipients": [10000, 10000],
                "conversions": [300, 360],
                "revenue": [15000.0, 19000.0],
                "revenue_sd": [12.0, 13.0],
                "cost": [0.0, 500.0],
            }
        )
    )


def _said(parts: tuple[Problem, ...]) -> list[tuple[str, dict]]:
    return [(p.key, dict(p.params)) for p in parts]


# --- figures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "p, expected",
    [(0.0312, "= 0.031"), (0.5, "= 0.500"), (0.00004, "< 0.001"), (1e-12, "< 0.001")],
)
def test_p_values_read_through_fmt_p_never_as_zero(p, expected):
    assert p_phrase(p) == expected and isinstance(p_phrase(p), Figure)
    assert p_phrase(math.nan) == "–"


def test_points():
    assert points(0.0066) == "0.66" and signed_points(-0.0066) == "-0.66"
    assert signed_points(0.006) == "+0.60" and points(math.nan) == "–"


# --- result --------------------------------------------------------------------------------


def test_result_readings_by_hand():
    view = result_view(_two_arms(), "control")
    # Hand: pooled p 0.033, z = 0.006 / sqrt(0.033 x 0.967 x 2 / 10,000) = 2.375, p = 0.0175;
    # Wald interval 0.006 +- 1.96 sqrt(0.036 x 0.964 / 1e4 + 0.03 x 0.97 / 1e4) = 0.10 to 1.10 points.
    # Revenue: Welch t = 0.4 / sqrt((13^2 + 12^2) / 1e4) = 2.26, p = 0.0238, 0.053 to 0.747.
    # One variant: Holm leaves p as it is, and p < 0.05 reads "unlikely to be chance".
    assert [_said(line) for line in view.readings] == [
        [
            ("campaign.verdict_conversion_up", {"variant": "test", "lift": "0.60"}),
            ("campaign.verdict_interval_conversion", {"low": "0.10", "high": "1.10"}),
            ("campaign.strength_unlikely", {"p": "= 0.018"}),
        ],
        [
            ("campaign.verdict_revenue_up", {"variant": "test", "lift": "0.40"}),
            ("campaign.verdict_interval_revenue", {"low": "0.05", "high": "0.75"}),
            ("campaign.strength_unlikely", {"p": "= 0.024"}),
        ],
    ]
    assert view.variants_tested == 0  # no Holm note with one variant
    assert [(r.group, r.rate, r.difference) for r in view.rates] == [
        ("control", "3.00%", None),
        ("test", "3.60%", "+0.60"),
    ]
    assert view.table["metric"].tolist() == ["conversion", "revenue"]
    assert view.table["p_text"].tolist() == ["0.018", "0.024"]
    assert view.intervals["conversion"]["is_control"].tolist() == [True, False]
    # Forest charts in points for conversion, with the p-value as text.
    forest = view.forests["conversion"]
    assert forest["abs_lift"].iloc[0] == pytest.approx(0.6)
    assert forest["p_text"].iloc[0] == "0.018"


def test_result_on_the_demo_as_the_page_showed_it(demo):
    view = result_view(demo, "control")
    # sample_data/README.md: 2.95% / 3.61% / 3.72%; variant_a +0.66 points, p about 0.03.
    assert [r.rate for r in view.rates] == ["2.95%", "3.61%", "3.72%"]
    first = view.readings[0]
    assert first[0].params == {"variant": "variant_a", "lift": "0.66"}
    assert view.variants_tested == 2  # Holm across two variants
    assert len(view.table) == 4
    assert not view.table[["p_text", "p_adjusted_text"]].isin(["0.000", "0.0000"]).any().any()


def test_revenue_from_totals_without_sd_says_it_cannot_be_tested():
    data = from_totals(EXAMPLE_SUMMARY.drop(columns="revenue_sd"))
    view = result_view(data, "control")
    assert ("campaign.revenue_not_testable", {}) in [_said(line)[0] for line in view.readings]
    assert "revenue" not in view.intervals  # no interval without a standard deviation


def test_chance_to_beat_column_on_conversion_rows_only():
    data = _two_arms()
    view = result_view(data, "control")
    chance = chances(data, "control", ["test"])
    table = with_chances(view.table, chance)
    assert table["chance_to_beat"].iloc[0] == pytest.approx(chance["test"])
    assert chance["test"] == pytest.approx(99.1, abs=0.3)  # P(z > -2.375) ~ 0.991
    assert math.isnan(table["chance_to_beat"].iloc[1])


# --- trust ---------------------------------------------------------------------------------


def test_split_check_by_hand():
    data = from_totals(EXAMPLE_SUMMARY)
    view = srm_view(data, intended_split(data.groups))
    # Hand: expected 6,666.67 each; chi2 = (15.33^2 + 21.67^2 + 6.33^2) / 6,666.67 = 0.1117;
    # with 2 degrees of freedom p = exp(-chi2 / 2) = 0.946.
    assert (view.chi2, view.p) == ("0.11", "0.946")
    assert view.reading == Problem("campaign.srm_ok", {"p": "= 0.946"}, "info")
    assert view.table["share"].sum() == pytest.approx(100)
    assert view.table["intended"].tolist() == pytest.approx([100 / 3] * 3, abs=0.01)
    # README: chi2 3.2 against the intended 34/33/33 (not flagged).
    intended = pd.DataFrame({"group": data.groups, "share": [34, 33, 33]})
    assert srm_view(data, intended).chi2 == "3.16"  # the README rounds it to 3.2


def test_trust_view_on_the_demo(demo):
    lifts = result_view(demo, "control").lifts
    view = trust_view(demo, "control", lifts)
    assert view.small == ()  # every arm has thousands of recipients
    assert view.capped is not None and len(view.capped.side) == 2
    # README: CUPED cuts the variance of revenue by about 13%.
    revenue = next(c for c in view.cuped if c.metric == "revenue")
    assert revenue.reduction.params == {"share": "13.0%"}
    assert (revenue.side["narrower"] > 0).all()
    assert view.cuped_available
    # p-values as fmt_p writes them: "0.031" or "< 0.001", never "0.0000".
    assert revenue.side["adj_p_text"].str.fullmatch(r"< 0\.001|[01]\.\d{3}").all()


# --- money ---------------------------------------------------------------------------------


def test_money_and_rollout_figures_by_hand():
    data = _two_arms()
    lifts = result_view(data, "control").lifts
    view = money_view(data, lifts, MoneySettings(0.5))
    test = view.variants[0]
    # Hand (as tests/core/test_campaign_plan.py): 60 extra conversions, 4,000 revenue,
    # profit 4,000 x 0.5 - 500 = 1,500, ROI 300%, break-even 0.05 / 0.5 = 0.10 per recipient.
    assert test.inc_conversions[0] == "60" and test.inc_revenue[0] == "4,000.00"
    assert test.net_profit[0] == "1,500.00" and test.roi[0] == "300%"
    assert test.reading.params["break_even"] == "0.10"
    assert view.winner == "test" and view.default_base == 20000
    plan = rollout_view(data, lifts, MoneySettings(0.5), RolloutSettings("test", 50000, 0.5))
    # Hand: half of 0.006 x 50,000 = 150 conversions; cost per recipient = 500 / 10,000.
    assert plan.conversions[0] == "150"
    assert plan.plan.cost == pytest.approx(0.05 * 50000)
    assert plan.reading.params["cost"] == "2,500.00"


def test_channels_view_reads_the_best_and_cheapest_channel():
    view = channels_view(EXAMPLE_CHANNELS, margin=0.4)
    # Hand: App push 240 conversions for 600 (2.50 each, the cheapest); ROI (8,400 x 0.4 - 600)
    # / 600 = 4.6 = 460%, the best.
    assert view.reading.params == {
        "best": "App push",
        "roi": "460%",
        "cheap": "App push",
        "cpa": "2.50",
    }
    assert view.shown["roi"].iloc[0] == pytest.approx(460)
    blank = channels_view(pd.DataFrame({"channel": [None], "spend": [None]}), 0.4)
    assert blank.empty and blank.reading is None


# --- segments ------------------------------------------------------------------------------


def test_segments_view_on_the_demo(demo):
    view = segments_view(demo, "control", SegmentSettings("segment", "conversion"))
    # README: variant_b works only for lapsed customers, +5.8 points.
    (uneven,) = view.uneven
    assert uneven.params["variant"] == "variant_b" and uneven.params["level"] == "lapsed"
    assert uneven.params["attribute"] == Problem("campaign.in_text_segment", {}, "info")
    lapsed = view.table.set_index(["level", "variant"]).loc[("lapsed", "variant_b")]
    assert lapsed["abs_lift"] == pytest.approx(5.8, abs=0.1)  # in points
    # 6 comparisons, 0.3 expected below 0.05 by chance (tests/core/test_campaign_abtest.py).
    assert view.warning.params["n"] == 6 and view.warning.params["chance"] == "0.3"
    assert view.warning.params["alpha"] == "0.05"
    assert view.best.params["level"] == "lapsed"
    assert dict(view.levels) == {"active": None, "lapsed": None, "subscriber": None}


def test_segment_levels_from_the_history_are_named_by_message():
    rng = np.random.default_rng(1)
    rows = pd.DataFrame(
        {
            "group": rng.choice(["control", "b"], 800),
            "converted": rng.random(800) < 0.2,
            "rfm_segment": rng.choice(["champions", "not_a_customer"], 800),
        }
    )
    view = segments_view(from_rows(rows), "control", SegmentSettings("rfm_segment", "conversion"))
    assert dict(view.levels) == {
        "champions": "segment.champions",
        "not_a_customer": "campaign.not_a_customer",
    }


# --- plan ----------------------------------------------------------------------------------


def test_power_curve_is_power_at_each_size():
    # The vectorised curve gives power_at's numbers (statsmodels NormalIndPower) at each size.
    curve = power_curve(0.03, 0.005, 0.05, 0.3)
    expected = [power_at(0.03, 0.005, int(c), 0.05, 0.3) for c in curve["control"]]
    assert curve["power"].tolist() == pytest.approx(expected, rel=1e-12)


def test_plan_views():
    settings = PlanSettings(0.03, 0.005, daily_volume=2000)
    view = plan_view(settings)
    need = sample_size(0.03, 0.005, daily_volume=2000)  # its known answers: test_campaign_plan
    assert view.total == f"{need.total:,}" and view.days == f"{need.days:,}"
    assert view.reading.params["baseline"] == "3.00" and view.reading.params["target"] == "3.50"
    bad = plan_view(PlanSettings(0.99, 0.02))
    assert bad.problem.key == "campaign.power_bad_rates" and bad.reading is None
    reverse = detectable_view(settings, need.total)
    assert reverse.lift == pytest.approx(0.005, abs=1e-5) and reverse.shown == "0.50"


def test_plan_defaults_are_the_controls_rate_and_the_tests_size(demo):
    # The demo's control: 197 of 6,682 = 2.948% -> 2.95; 20,000 recipients.
    defaults = plan_defaults(demo, "control")
    assert (defaults.baseline_percent, defaults.total) == (2.95, 20000)
    assert plan_defaults(None, None).baseline_percent == 3.0


# --- typed tables ---------------------------------------------------------------------------


def test_typed_totals():
    example = typed_summary(EXAMPLE_SUMMARY)
    assert example.example and example.data.ok
    blank = pd.DataFrame({"group": [None], "recipients": [None]})
    assert typed_summary(blank).data is None
    typed = pd.concat([EXAMPLE_SUMMARY.head(2), blank], ignore_index=True)
    mine = typed_summary(typed)
    assert not mine.example and mine.data.groups == ["control", "variant_a"]
    # The key names what was typed: the same cells give the same key, other cells another.
    assert mine.key == typed_summary(typed.copy()).key
    assert mine.key != example.key and mine.key[0] == "typed"
    assert content_key(EXAMPLE_SUMMARY) == content_key(EXAMPLE_SUMMARY.copy())
