"""The comment list and the sentiment mix: which topics each comment is about, the filters
of the comment list, and the share of each tone per language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

TONE_ORDER = {"positive": 0, "neutral": 1, "negative": 2}
WRITTEN = ("en", "zh", "other")  # languages of comments with words (not "none")


@dataclass(frozen=True)
class CommentFilter:
    """What the user narrowed the comment list to; empty fields do not filter.

    score_range applies to `score_column` and only when it is narrower than the scale
    (`scale`); period is inclusive of both days.
    """

    topics: tuple[int, ...] = ()
    tones: tuple[str, ...] = ()
    keyword: str = ""
    score_column: str | None = None
    score_range: tuple[float, float] | None = None
    scale: tuple[float, float] | None = None
    period: tuple[dt.date, dt.date] | None = None
    only_text: bool = False


def topics_per_text(presence: pd.DataFrame, index: pd.Index) -> pd.Series:
    """The topic numbers each row is about (a list, empty for rows without topics)."""
    aligned = presence.reindex(index, fill_value=False)
    columns = list(aligned.columns)
    return pd.Series(
        [[columns[j] for j in row.nonzero()[0]] for row in aligned.to_numpy(bool)],
        index=index,
        dtype="object",
    )


def filter_comments(
    feedback: pd.DataFrame,
    texts: pd.Series,
    languages: pd.Series,
    tone: pd.Series,
    topic_lists: pd.Series | None,
    chosen: CommentFilter,
) -> pd.Series:
    """Which feedback rows pass the filter (a boolean Series on feedback's index).

    A row passes the topic filter when it is about any of the chosen topics; the keyword
    is matched as plain text, ignoring case.
    """
    keep = pd.Series(True, index=feedback.index)
    if chosen.only_text:
        keep &= languages.reindex(feedback.index).isin(WRITTEN)
    if chosen.topics and topic_lists is not None:
        wanted = set(chosen.topics)
        keep &= topic_lists.reindex(feedback.index).map(
            lambda found: isinstance(found, list) and bool(wanted & set(found))
        )
    if chosen.tones:
        keep &= tone.reindex(feedback.index).isin(chosen.tones)
    word = chosen.keyword.strip()
    if word:
        keep &= texts.reindex(feedback.index).fillna("").str.contains(word, case=False, regex=False)
    if (
        chosen.score_column is not None
        and chosen.score_range is not None
        and tuple(chosen.score_range) != chosen.scale
    ):
        keep &= feedback[chosen.score_column].between(*chosen.score_range)
    if chosen.period is not None and "date" in feedback:
        start = pd.Timestamp(chosen.period[0])
        end = pd.Timestamp(chosen.period[1]) + pd.Timedelta(days=1) - pd.Timedelta(1)
        keep &= feedback["date"].between(start, end)
    return keep


def tone_mix(languages: pd.Series, tone: pd.Series) -> pd.DataFrame:
    """Comments per language and tone: language, tone, texts, share (within the language),
    tone_order (positive, neutral, negative). Rows without a tone are left out."""
    scored = tone.notna()
    mix = (
        pd.DataFrame({"language": languages[scored], "tone": tone[scored]})
        .value_counts()
        .rename("texts")
        .reset_index()
    )
    mix["share"] = mix["texts"] / mix.groupby("language")["texts"].transform("sum")
    mix["tone_order"] = mix["tone"].map(TONE_ORDER)
    return mix
