"""The comment list's filters, topics per comment and the tone mix (core.voc.comments), and
sentiment by NPS group (core.voc.scores), on small hand-made tables."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from core.voc.comments import CommentFilter, filter_comments, tone_mix, topics_per_text
from core.voc.scores import sentiment_by_nps_group

INDEX = pd.Index([10, 11, 12, 13, 14])


@pytest.fixture
def comments() -> dict:
    feedback = pd.DataFrame(
        {
            "text": ["Late parcel", "Great COFFEE", "", "咖啡很好", "late again, great tea"],
            "rating": [1.0, 5.0, 3.0, 4.0, np.nan],
            "date": pd.to_datetime(
                [
                    "2025-01-01 00:00",
                    "2025-01-31 23:59",
                    "2025-02-01 00:00",
                    None,
                    "2025-01-15 00:00",
                ]
            ),
        },
        index=INDEX,
    )
    # Topics are found only for comments with words: the presence table skips row 12.
    presence = pd.DataFrame(
        {0: [True, False, False, True], 1: [False, True, True, True]}, index=[10, 11, 13, 14]
    )
    return {
        "feedback": feedback,
        "texts": feedback["text"],
        "languages": pd.Series(["en", "en", "none", "zh", "en"], index=INDEX),
        "tone": pd.Series(["negative", "positive", np.nan, "positive", "neutral"], index=INDEX),
        "topic_lists": topics_per_text(presence, INDEX),
    }


def _kept(comments: dict, **chosen) -> list[int]:
    keep = filter_comments(
        comments["feedback"],
        comments["texts"],
        comments["languages"],
        comments["tone"],
        comments["topic_lists"],
        CommentFilter(**chosen),
    )
    return list(keep[keep].index)


def test_topics_per_text(comments):
    assert comments["topic_lists"].tolist() == [[0], [1], [], [1], [0, 1]]


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ({}, [10, 11, 12, 13, 14]),
        ({"only_text": True}, [10, 11, 13, 14]),
        ({"topics": (0,)}, [10, 14]),
        ({"topics": (0, 1)}, [10, 11, 13, 14]),
        ({"tones": ("positive", "neutral")}, [11, 13, 14]),
        ({"keyword": "  LATE "}, [10, 14]),
        ({"keyword": "咖啡"}, [13]),
        ({"keyword": "(", "only_text": True}, []),  # plain text, not a pattern
        (
            {"score_column": "rating", "score_range": (1, 5), "scale": (1, 5)},
            [10, 11, 12, 13, 14],
        ),  # the whole scale keeps unrated rows
        ({"score_column": "rating", "score_range": (3, 5), "scale": (1, 5)}, [11, 12, 13]),
        ({"period": (dt.date(2025, 1, 1), dt.date(2025, 1, 31))}, [10, 11, 14]),
        ({"topics": (1,), "tones": ("positive",), "keyword": "coffee"}, [11]),
    ],
    ids=[
        "nothing",
        "only text",
        "one topic",
        "any of two topics",
        "tones",
        "keyword ignores case and blanks",
        "Chinese keyword",
        "keyword is literal",
        "full score scale",
        "score range",
        "period includes its last day",
        "combined",
    ],
)
def test_filters(comments, chosen, expected):
    assert _kept(comments, **chosen) == expected


def test_tone_mix_shares_within_each_language(comments):
    mix = tone_mix(comments["languages"], comments["tone"]).set_index(["language", "tone"])
    assert mix.loc[("en", "negative"), "texts"] == 1
    assert mix.loc[("en", "positive"), "share"] == pytest.approx(1 / 3)
    assert mix.loc[("zh", "positive"), "share"] == pytest.approx(1.0)
    assert mix.loc[("en", "neutral"), "tone_order"] == 1
    assert len(mix) == 4  # the comment without a tone is left out


def test_sentiment_by_nps_group():
    nps = pd.Series([10, 9, 8, 3, np.nan, 0])
    sentiment = pd.Series([0.8, 0.6, 0.1, -0.5, 0.9, np.nan])
    groups = sentiment_by_nps_group(nps, sentiment)
    assert list(groups.index) == ["promoter", "passive", "detractor"]
    assert groups.to_numpy() == pytest.approx([0.7, 0.1, -0.5])
    assert sentiment_by_nps_group(pd.Series([10.0, 9.0]), pd.Series([0.5, 0.7])).index.tolist() == [
        "promoter"
    ]
