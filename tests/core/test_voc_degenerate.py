"""Sentiment labels and degenerate inputs of the Voice of the customer (core.voc): the
in-domain model trains on a label column, accuracies come with the majority-class
baseline and balanced accuracy, and inputs that cannot support a result (no variance,
one topic, one class, too few comments, no customer ID) say what they are.

Labelled texts: tests/core/data/voc/{en,zh}_labelled.csv (written for this project).
Expected accuracies are computed here with scikit-learn's own metrics on the same texts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, balanced_accuracy_score

from core.i18n import CATALOGS
from core.ingest import build_table, guess_mapping, read_raw
from core.voc.drivers import (
    driver_target,
    key_drivers,
    pulling_topics,
    resolve_topic,
    strongest_drivers,
)
from core.voc.scores import customer_attributes, customer_link_problem
from core.voc.sentiment import (
    MIN_PER_CLASS,
    MIN_RATED,
    is_positive,
    lexicon_scores,
    train_in_domain,
    training_labels,
)
from core.voc.topics import find_topics

DATA = Path(__file__).parent / "data" / "voc"


def _ingest(csv: str) -> pd.DataFrame:
    raw = read_raw(csv.encode("utf-8"), "labelled.csv")
    result = build_table(raw, "feedback", guess_mapping(raw.frame, "feedback").columns)
    assert result.table is not None
    return result.table


@pytest.fixture(scope="module")
def labelled() -> pd.DataFrame:
    """English and Chinese labelled comments as a user would load them: header label,review,
    labels written positive/negative and 正面/负面, one extra positive in three (imbalanced)."""
    frames = [pd.read_csv(DATA / f"{lang}_labelled.csv") for lang in ("en", "zh")]
    both = pd.concat(frames, ignore_index=True)
    both = pd.concat([both, both[both["label"] == 1].iloc[::2]], ignore_index=True)
    words = np.where(both.index % 2, "positive", "正面")
    words = np.where(both["label"] == 1, words, np.where(both.index % 2, "negative", "负面"))
    lines = [
        "label,review",
        *(f'{w},"{t}"' for w, t in zip(words, both["text"], strict=True)),
    ]
    return _ingest("\n".join(lines) + "\n")


# ------------------------------------------------------------------ sentiment labels
def test_a_label_column_maps_to_the_sentiment_label_and_trains_the_model(labelled):
    assert set(labelled.columns) == {"text", "sentiment_label"}
    assert "customer_id" not in labelled and "rating" not in labelled
    labels, source = training_labels(labelled)
    assert source == "label"
    assert labels.value_counts().to_dict() == {1.0: 72, 0.0: 48}
    result = train_in_domain(labelled["text"], labels, source=source)
    assert result.problem is None and result.model is not None
    assert (result.n_rated, result.checked, result.positives, result.negatives) == (
        120,
        120,
        72,
        48,
    )
    assert result.majority == "positive" and result.baseline == pytest.approx(72 / 120)
    # The no-label method's figures are scikit-learn's metrics on its +0.05 cut.
    y = labels.to_numpy(int)
    guess = is_positive(np.nan_to_num(lexicon_scores(labelled["text"]).to_numpy())).astype(int)
    assert result.lexicon_accuracy == pytest.approx(accuracy_score(y, guess))
    assert result.lexicon_balanced_accuracy == pytest.approx(balanced_accuracy_score(y, guess))
    # Both methods beat always guessing "positive" (60%) on these clear-cut comments.
    assert result.lexicon_accuracy > result.baseline
    assert result.accuracy > result.baseline and 0.5 < result.balanced_accuracy <= 1


def test_the_label_wins_over_ratings_and_ratings_are_used_without_one():
    feedback = pd.DataFrame(
        {"rating": [5.0, 5.0, 1.0, 3.0], "sentiment_label": [0.0, 1.0, np.nan, 1.0]}
    )
    labels, source = training_labels(feedback)
    assert source == "label" and labels.tolist()[:2] == [0.0, 1.0] and np.isnan(labels[2])
    labels, source = training_labels(feedback.drop(columns="sentiment_label"))
    assert source == "score" and labels.tolist()[:3] == [1.0, 1.0, 0.0]
    # An empty label column does not count as a label.
    empty = feedback.assign(sentiment_label=np.nan)
    assert training_labels(empty)[1] == "score"


def test_every_rating_five_trains_on_the_label_not_on_the_ratings(labelled):
    # With ratings that are all 5 the rating-derived target has one class; the label has two.
    with_ratings = labelled.assign(rating=5.0)
    labels, source = training_labels(with_ratings)
    result = train_in_domain(with_ratings["text"], labels, source=source)
    assert source == "label" and result.problem is None and result.accuracy is not None
    ratings_only = with_ratings.drop(columns="sentiment_label")
    labels, source = training_labels(ratings_only)
    rated = train_in_domain(ratings_only["text"], labels, source=source)
    assert rated.problem.key == "voc.one_class_rated_positive"
    assert rated.model is None and rated.accuracy is None and rated.lexicon_accuracy is None


@pytest.mark.parametrize(
    ("keep", "key", "params"),
    [
        ("positive", "voc.one_class_labelled_positive", {"n": 72}),
        ("negative", "voc.one_class_labelled_negative", {"n": 48}),
        ("few", "voc.too_few_labelled", {"n": MIN_RATED - 1, "minimum": MIN_RATED}),
        (
            "unbalanced",
            "voc.few_per_class_labelled",
            {"positive": 72, "negative": MIN_PER_CLASS - 1, "minimum": MIN_PER_CLASS},
        ),
    ],
    ids=["only positive", "only negative", "too few", "one class too small"],
)
def test_labels_that_cannot_train_a_model_say_why(labelled, keep, key, params):
    positive = labelled["sentiment_label"] == 1
    if keep == "positive":
        frame = labelled[positive]
    elif keep == "negative":
        frame = labelled[~positive]
    elif keep == "few":
        frame = pd.concat([labelled[positive].head(20), labelled[~positive].head(MIN_RATED - 21)])
    else:
        frame = pd.concat([labelled[positive], labelled[~positive].head(MIN_PER_CLASS - 1)])
    result = train_in_domain(frame["text"], frame["sentiment_label"], source="label")
    assert result.problem.key == key and result.problem.params == params
    assert result.model is None and result.accuracy is None and not result.better
    two_classes = keep in ("few", "unbalanced")
    # With both classes the no-label method can still be checked (and is, honestly).
    assert (result.lexicon_accuracy is not None) == two_classes
    if two_classes:
        assert result.baseline == pytest.approx(
            frame["sentiment_label"].mean() if keep == "unbalanced" else 20 / (MIN_RATED - 1)
        )


def test_every_voc_message_key_family_exists_in_both_languages():
    keys = {
        f"voc.{kind}_{noun}"
        for kind in ("too_few", "few_per_class")
        for noun in ("labelled", "rated")
    }
    keys |= {
        f"voc.one_class_{n}_{t}" for n in ("labelled", "rated") for t in ("positive", "negative")
    }
    keys |= {f"voc.no_variance_{t}" for t in ("nps", "rating", "detractor_all", "detractor_none")}
    keys |= {f"voc.reading_no_drag_{t}" for t in ("nps", "rating", "detractor")}
    for source in ("label", "score"):
        keys |= {f"voc.accuracy_reading_{source}", f"voc.checked_texts_{source}"}
        keys |= {f"voc.{m}_accuracy_help_{source}" for m in ("lexicon", "in_domain")}
    keys |= {"voc.majority_positive", "voc.majority_negative", "voc.single_topic"}
    keys |= {"voc.one_topic", "voc.no_customer_id", "voc.no_scores_labelled"}
    keys |= {f"voc.driver_row_{d}" for d in ("down", "up", "unclear")}
    for catalog in CATALOGS.values():
        assert sorted(keys - set(catalog)) == []


# ------------------------------------------------------------------ key drivers
def _topics(n: int = 200, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({0: rng.random(n) < 0.3, 1: rng.random(n) < 0.3, 2: rng.random(n) < 0.3})


@pytest.mark.parametrize(
    ("target", "value", "key"),
    [
        ("rating", 5.0, "voc.no_variance_rating"),
        ("nps", 10.0, "voc.no_variance_nps"),
        ("detractor", 1.0, "voc.no_variance_detractor_all"),
        ("detractor", 0.0, "voc.no_variance_detractor_none"),
    ],
    ids=["every rating 5", "every NPS 10", "all detractors", "no detractor"],
)
def test_every_score_equal_gives_no_drivers_and_says_so(target, value, key):
    # Before: OLS on a constant gave impact -0.00, p 0.000, R² -inf and "The biggest drag is ...".
    presence = _topics()
    outcome = pd.Series(value, index=presence.index)
    result = key_drivers(outcome, presence, target)
    assert result.problem.key == key and result.problem.params["n"] == 200
    assert result.table.empty and result.r_squared is None and result.intercept is None
    assert strongest_drivers(result) == (None, None) and pulling_topics(result) == []


def test_every_rating_five_from_a_feedback_table():
    feedback = pd.DataFrame({"rating": [5.0] * 60})
    result = key_drivers(driver_target(feedback, "rating"), _topics(60), "rating")
    assert result.problem.key == "voc.no_variance_rating"
    assert result.problem.params == {"n": 60, "value": "5"}


def test_a_single_topic_has_nothing_to_compare():
    presence = _topics()[[0]]
    outcome = pd.Series(np.where(presence[0], 2.0, 4.0), index=presence.index)
    result = key_drivers(outcome, presence, "rating")
    assert result.problem.key == "voc.single_topic" and result.table.empty


def test_topics_in_almost_every_comment_are_left_out_and_nothing_is_nan():
    # A topic missing from a single comment gives that comment leverage 1: HC3 is undefined.
    presence = _topics()
    presence[3] = True
    presence.loc[0, 3] = False
    rng = np.random.default_rng(2)
    outcome = pd.Series(4 - 1.5 * presence[0] + rng.normal(0, 0.5, 200), index=presence.index)
    result = key_drivers(outcome, presence, "rating")
    assert 3 not in result.table["topic"].tolist()
    numbers = result.table[["impact", "ci_low", "ci_high", "p_value"]].to_numpy(float)
    assert np.isfinite(numbers).all() and np.isfinite(result.r_squared)
    everywhere = pd.DataFrame({0: [True] * 200, 1: [True] * 199 + [False]})
    assert key_drivers(outcome, everywhere, "rating").problem.key == "voc.no_topics"


def test_the_biggest_drag_must_be_a_clear_one():
    presence = _topics(300, seed=4)
    rng = np.random.default_rng(5)
    # Topic 0 pulls clearly (-1.5 stars); topic 1 a little (-0.05, lost in the noise).
    score = 4 - 1.5 * presence[0] - 0.05 * presence[1] + rng.normal(0, 0.8, 300)
    result = key_drivers(pd.Series(score), presence, "rating")
    drag, lift = strongest_drivers(result)
    assert drag.topic == 0 and drag.impact == pytest.approx(-1.5, abs=0.3)
    assert lift is None
    assert result.table.set_index("topic").loc[1, "direction"] == "unclear"
    # Without the clear puller no topic is named as the drag, though some estimate is < 0.
    # Noise made orthogonal to the topics, so the estimate of topic 0 is exactly -0.05.
    design = np.column_stack([np.ones(300), presence.to_numpy(float)])
    noise = rng.normal(0, 0.8, 300)
    noise -= design @ np.linalg.lstsq(design, noise, rcond=None)[0]
    noise = key_drivers(pd.Series(4 - 0.05 * presence[0] + noise), presence, "rating")
    assert noise.table.set_index("topic").loc[0, "impact"] == pytest.approx(-0.05)
    assert (noise.table["direction"] == "unclear").all()
    assert strongest_drivers(noise) == (None, None)


def test_detractor_target_reads_more_detractors_as_down():
    presence = _topics(400, seed=6)
    rng = np.random.default_rng(7)
    # Topic 0 makes a detractor 40 points more likely; topic 1 makes one 20 points less likely.
    chance = 0.2 + 0.4 * presence[0] - 0.15 * presence[1]
    detractor = pd.Series((rng.random(400) < chance).astype(float))
    result = key_drivers(detractor, presence, "detractor")
    directions = result.table.set_index("topic")["direction"]
    assert directions[0] == "down" and directions[1] == "up"
    drag, lift = strongest_drivers(result)
    assert (drag.topic, lift.topic) == (0, 1) and drag.impact > 0 > lift.impact
    assert pulling_topics(result)[0] == 0 and 1 not in pulling_topics(result)
    # Resolving the drag lowers the detractor share; "resolving" a protective topic does nothing.
    fixed = resolve_topic(detractor, presence, result, 0)
    assert fixed.after < fixed.before == pytest.approx(100 * detractor.mean())
    assert resolve_topic(detractor, presence, result, 1).change == pytest.approx(0.0)


# ------------------------------------------------------------------ topics and customers
def test_comments_with_two_words_form_one_topic():
    result = find_topics(pd.Series(["coffee beans", "coffee fresh"] * 15), k=9)
    assert result.k == 1 and result.problem.key == "voc.one_topic"


def test_feedback_without_customer_ids_says_why_breakdowns_are_missing(labelled):
    assert customer_link_problem(labelled, other_tables=True).key == "voc.no_customer_id"
    assert customer_link_problem(labelled, other_tables=False) is None
    with_ids = labelled.assign(customer_id="C1")
    assert customer_link_problem(with_ids, other_tables=True) is None
    customers = pd.DataFrame({"customer_id": ["C1"], "region": ["North"]})
    assert customer_attributes(labelled, customers).columns.empty
    assert customer_attributes(with_ids, customers)["customer:region"].eq("North").all()
