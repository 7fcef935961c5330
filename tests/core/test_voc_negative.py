"""Key drivers of negative comments: feedback with a sentiment label and no score.

The outcome is "the comment is negative" (1 - label) regressed on topic presence by OLS
with HC3 errors (a linear probability model), in the same DriverResult as the score
drivers. Known answers are computed by hand from small made-up tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.i18n import CATALOGS
from core.voc.drivers import (
    MIN_ROWS,
    driver_key,
    driver_target,
    driver_targets,
    key_drivers,
    pulling_topics,
    resolve_topic,
    strongest_drivers,
)


def _hand_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    """40 labelled comments. Topic A (0) is mentioned in comments 0-9, all labelled
    negative; topic B (1) in comments 5-24. Of the 30 comments without A, 6 (10-15) are
    negative. A and B are uncorrelated in the sample: A in 10/40, B in 20/40, both in
    5/40 = 10/40 x 20/40."""
    n = 40
    label = np.ones(n)
    label[0:16] = 0.0  # negative: 0-9 (all of A) and 10-15
    presence = pd.DataFrame({0: np.arange(n) < 10, 1: (np.arange(n) >= 5) & (np.arange(n) < 25)})
    return pd.DataFrame({"text": ["comment"] * n, "sentiment_label": label}), presence


def test_a_topic_only_in_negative_comments_moves_the_share_by_the_difference_in_shares():
    feedback, presence = _hand_table()
    assert driver_targets(feedback) == ["negative"]
    outcome = driver_target(feedback, "negative")
    result = key_drivers(outcome, presence, "negative")
    assert result.problem is None and result.n == 40
    # By hand: comments with A are 10/10 negative, without A 6/30 = 20% negative: +0.80.
    # With B: 11/20 negative (5 of A's + 6), without B 5/20: +0.30.
    # OLS of a 0/1 outcome on a single 0/1 regressor gives the difference in means
    # (Wooldridge, Introductory Econometrics, 7.2, a single dummy independent variable);
    # with regressors uncorrelated in the sample each multiple-regression coefficient
    # equals its simple-regression one (Frisch-Waugh-Lovell), so both hold here.
    table = result.table.set_index("topic")
    assert table.loc[0, "impact"] == pytest.approx(10 / 10 - 6 / 30)
    assert table.loc[1, "impact"] == pytest.approx(11 / 20 - 5 / 20)
    assert result.intercept == pytest.approx(16 / 40 - 0.80 * 10 / 40 - 0.30 * 20 / 40)
    # More negatives is "down" (worse); the drag is A, shown as 80 percentage points.
    assert table.loc[0, "direction"] == "down" and table.loc[0, "ci_low"] > 0
    drag, lift = strongest_drivers(result)
    assert drag.topic == 0 and lift is None
    assert drag.impact * result.scale == pytest.approx(80.0)
    points = result.in_points().set_index("topic")
    assert points.loc[0, "impact"] == pytest.approx(80.0)
    assert points.loc[0, "ci_low"] == pytest.approx(100 * table.loc[0, "ci_low"])
    assert result.worse_up and pulling_topics(result) == [0, 1]


def test_resolving_the_topic_takes_the_share_to_that_of_the_comments_without_it():
    feedback, presence = _hand_table()
    outcome = driver_target(feedback, "negative")
    result = key_drivers(outcome, presence, "negative")
    fixed = resolve_topic(outcome, presence, result, 0)
    # Before: 16 of 40 negative = 40%. The mentions' share falls by 0.80, from 100% to
    # 20%: (6 + 10 x 0.20) / 40 = 20%, the share among comments without A.
    assert fixed.metric == "negative"
    assert fixed.before == pytest.approx(40.0)
    assert fixed.after == pytest.approx(20.0)
    assert fixed.affected == 10
    assert fixed.after_low <= fixed.after <= fixed.after_high
    # Half of them reached: halfway.
    assert resolve_topic(outcome, presence, result, 0, 0.5).after == pytest.approx(30.0)
    # The detractor share is a 0/1 outcome too: the same 0/1 values give the same answer.
    detractor = key_drivers(outcome, presence, "detractor")
    assert resolve_topic(outcome, presence, detractor, 0).after == pytest.approx(20.0)
    # B: 11 of its 20 comments negative; the impact moves each mention's chance, so B's
    # share falls by 0.30 and the total to 40% - 20 x 0.30 / 40 = 25%. (Shifting each
    # observed 0/1 and clipping it, as the detractor what-if did before, moved only B's
    # 11 negatives: 40% - 11 x 0.30 / 40 = 31.75%.)
    assert resolve_topic(outcome, presence, result, 1).after == pytest.approx(25.0)
    assert resolve_topic(outcome, presence, detractor, 1).after == pytest.approx(25.0)


def test_the_negative_outcome_is_one_minus_the_label_and_missing_labels_stay_out():
    feedback = pd.DataFrame({"sentiment_label": [1.0, 0.0, np.nan]})
    outcome = driver_target(feedback, "negative")
    assert outcome.iloc[:2].tolist() == [0.0, 1.0] and np.isnan(outcome.iloc[2])


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"sentiment_label": [1.0, 0.0]}, ["negative"]),
        ({"nps": [9.0, 3.0], "sentiment_label": [1.0, 0.0]}, ["nps", "detractor", "negative"]),
        ({"rating": [5.0, 1.0]}, ["rating"]),
        ({"nps": [9.0, 3.0], "rating": [5.0, 1.0]}, ["nps", "rating", "detractor"]),
        ({"sentiment_label": [np.nan, np.nan]}, []),
        ({"text": ["a", "b"]}, []),
    ],
    ids=["label only", "nps and label", "rating", "nps and rating", "empty label", "text only"],
)
def test_what_key_drivers_can_explain(columns, expected):
    assert driver_targets(pd.DataFrame(columns)) == expected


# ------------------------------------------------------------------ degenerate inputs
def _topics(n: int = 200, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({0: rng.random(n) < 0.3, 1: rng.random(n) < 0.3, 2: rng.random(n) < 0.3})


@pytest.mark.parametrize(
    ("label", "key"),
    [(0.0, "voc.no_variance_negative_all"), (1.0, "voc.no_variance_negative_none")],
    ids=["all negative", "all positive"],
)
def test_one_label_only_gives_no_drivers_and_says_so(label, key):
    presence = _topics()
    feedback = pd.DataFrame({"sentiment_label": [label] * 200})
    result = key_drivers(driver_target(feedback, "negative"), presence, "negative")
    assert result.problem.key == key and result.problem.params == {"n": 200}
    assert result.table.empty and result.r_squared is None and result.intercept is None
    assert strongest_drivers(result) == (None, None) and pulling_topics(result) == []


def test_too_few_labelled_comments_single_topic_and_rare_topics():
    presence = _topics()
    rng = np.random.default_rng(3)
    outcome = pd.Series((rng.random(200) < 0.3).astype(float))
    few = key_drivers(outcome.iloc[: MIN_ROWS - 1], presence.iloc[: MIN_ROWS - 1], "negative")
    assert few.problem.key == "voc.too_few_scored_negative"
    assert few.problem.params == {"n": MIN_ROWS - 1, "minimum": MIN_ROWS}
    single = key_drivers(outcome, presence[[0]], "negative")
    assert single.problem.key == "voc.single_topic" and single.table.empty
    rare = pd.DataFrame({0: [True] * 4 + [False] * 196, 1: [True] * 197 + [False] * 3})
    assert key_drivers(outcome, rare, "negative").problem.key == "voc.no_topics_negative"


def test_the_biggest_source_of_negatives_must_be_a_clear_one():
    presence = _topics(400, seed=6)
    rng = np.random.default_rng(8)
    # Topic 0 makes a negative comment 30 points more likely, topic 1 15 points less.
    chance = 0.3 + 0.3 * presence[0] - 0.15 * presence[1]
    negative = pd.Series((rng.random(400) < chance).astype(float))
    result = key_drivers(negative, presence, "negative")
    directions = result.table.set_index("topic")["direction"]
    assert directions[0] == "down" and directions[1] == "up" and directions[2] == "unclear"
    drag, lift = strongest_drivers(result)
    assert (drag.topic, lift.topic) == (0, 1)
    assert drag.impact == pytest.approx(0.3, abs=0.12)
    # "Resolving" a topic that comes with fewer negatives changes nothing.
    assert resolve_topic(negative, presence, result, 1).change == pytest.approx(0.0)
    # Labels that have nothing to do with the topics: no topic is named.
    design = np.column_stack([np.ones(400), presence.to_numpy(float)])
    noise = rng.normal(0, 0.4, 400)
    noise -= design @ np.linalg.lstsq(design, noise, rcond=None)[0]
    flat = key_drivers(pd.Series(0.3 + 0.01 * presence[0] + noise), presence, "negative")
    assert (flat.table["direction"] == "unclear").all()
    assert strongest_drivers(flat) == (None, None)


def test_negative_wording_keys_exist_in_both_languages():
    stems = ["drivers_intro", "drivers_chart_help", "impact_help", "whatif_intro"]
    stems += ["whatif_none", "whatif_affected", "too_few_scored", "no_topics"]
    stems += [f"driver_row_{d}" for d in ("down", "up", "unclear")]
    keys = {driver_key(s, "negative") for s in stems} | {driver_key(s, "rating") for s in stems}
    keys |= {f"voc.{k}_negative" for k in ("reading_driver", "reading_no_drag", "reading_lift")}
    keys |= {f"voc.{k}_negative" for k in ("target", "impact", "whatif_metric", "whatif_reading")}
    keys |= {"voc.no_variance_negative_all", "voc.no_variance_negative_none"}
    for catalog in CATALOGS.values():
        assert sorted(keys - set(catalog)) == []
    assert driver_key("whatif_none", "detractor") == "voc.whatif_none"
