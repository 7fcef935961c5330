"""The Voice of the customer page's views: one entry point per part of the page.

Each takes the canonical feedback table (and the results it builds on) plus its
settings, and returns a frozen result: numbers, tables ready to draw (codes, not
labels: the page translates them), readings as `Problem`s of severity "info", and
problems. The page caches each by the data's fingerprint and the settings.

    base = feedback_base(feedback)                  # languages, lexicon, what the data has
    check = in_domain_check(base)                   # the in-domain model and its accuracy
    method = method_used(check, "auto")
    sentiment = sentiment_view(feedback, base, check, method)
    scores = score_view(feedback, base, sentiment)
    topics = find_topics(base.texts, k, base.languages)
    drivers = driver_view(feedback, topics, "nps")
    lines = readings(scores, sentiment, drivers, names)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from core.format import fmt_share
from core.problems import Problem, problem
from core.voc.comments import CommentFilter, filter_comments, tone_mix
from core.voc.drivers import (
    Driver,
    DriverResult,
    Target,
    driver_target,
    driver_targets,
    key_drivers,
    pulling_topics,
    strongest_drivers,
)
from core.voc.language import detect_language, language_counts, text_notes
from core.voc.mask import count_personal_data, mask_texts
from core.voc.scores import (
    MIN_RESPONSES,
    NpsResult,
    ScoreKind,
    ShareResult,
    available_scores,
    breakdown_scores,
    csat_summary,
    lowest_months,
    monthly_scores,
    nps_summary,
    score_distribution,
    sentiment_by_nps_group,
)
from core.voc.sentiment import (
    InDomainResult,
    LabelSource,
    Method,
    in_domain_scores,
    lexicon_scores,
    sentiment_label,
    train_in_domain,
    training_labels,
)
from core.voc.topics import TopicResult, representative_texts, topic_table

MethodChoice = Literal["auto", "lexicon", "in_domain"]
TREND_METRICS = ("nps", "avg_rating", "csat", "avg_sentiment")
MIN_TREND_MONTHS = 6  # the lowest months are named only when there are this many months
SCALES: dict[str, tuple[int, int]] = {"nps": (0, 10), "rating": (1, 5)}
TONES = ("positive", "neutral", "negative")
SCORE_GROUPS = ("promoter", "passive", "detractor", "satisfied", "other")


# ---------------------------------------------------------------- values in readings
@dataclass(frozen=True)
class Percent:
    """A share (0..1) in a message, written as `core.format.fmt_share` writes it.

    Readings carry numbers, not text: `t()` formats this one when it fills the message.
    """

    value: float
    digits: int = 1

    def __format__(self, spec: str) -> str:
        return fmt_share(self.value, self.digits)

    def __str__(self) -> str:
        return fmt_share(self.value, self.digits)


@dataclass(frozen=True)
class MonthScores:
    """Months and their NPS in a message: "2024-12 (+12), 2026-01 (+16)"."""

    months: tuple[tuple[pd.Timestamp, float], ...]

    def __format__(self, spec: str) -> str:
        return ", ".join(f"{month:%Y-%m} ({value:+.0f})" for month, value in self.months)

    def __str__(self) -> str:
        return format(self)


# ---------------------------------------------------------------- the data set
@dataclass(frozen=True)
class FeedbackBase:
    """What a feedback table holds, computed once per data set.

    `texts` are the comments ("" where none), `languages` one of core.voc.language's
    LANGUAGES per row, `lexicon` the no-label sentiment per row (NaN where not scored),
    `labels` the 1/0 labels the in-domain model learns from (`label_source` says
    whether from a sentiment label column or from scores), `notes` the facts about the
    texts (`text_notes`), `personal` how many comments hold an e-mail address or phone
    number, `date_range` the first and last day with feedback.
    """

    texts: pd.Series
    languages: pd.Series
    counts: Mapping[str, int]
    notes: tuple[Problem, ...]
    scores: tuple[ScoreKind, ...]
    labels: pd.Series
    label_source: LabelSource
    lexicon: pd.Series
    targets: tuple[Target, ...]
    personal: int
    date_range: tuple[dt.date, dt.date] | None
    has_channel: bool

    @property
    def has_text(self) -> bool:
        return not any(note.key == "voc.no_text" for note in self.notes)

    @property
    def written(self) -> int:
        """Rows with a comment in any language."""
        return self.counts["en"] + self.counts["zh"] + self.counts["other"]

    @property
    def primary(self) -> ScoreKind | None:
        """The score the page ranks topics and filters comments by: NPS, else the rating."""
        return next((kind for kind in ("nps", "rating") if kind in self.scores), None)

    @property
    def scale(self) -> tuple[int, int] | None:
        return SCALES.get(self.primary) if self.primary else None

    @property
    def trainable(self) -> bool:
        """Whether there are comments with a label to train and check the in-domain model."""
        return self.has_text and bool(self.labels.notna().any())

    @property
    def no_scores(self) -> Problem | None:
        """Said when the feedback has no score column (worded for labelled comments)."""
        if self.scores:
            return None
        key = "voc.no_scores_labelled" if self.label_source == "label" else "voc.no_scores"
        return problem(key, "info")

    @property
    def nothing_to_show(self) -> bool:
        return not self.has_text and not self.scores


def feedback_base(feedback: pd.DataFrame) -> FeedbackBase:
    """Languages, no-label sentiment, labels, scores and notes of a feedback table."""
    texts = feedback["text"] if "text" in feedback else pd.Series("", index=feedback.index)
    languages = detect_language(texts)
    notes = text_notes(feedback, languages)
    labels, source = training_labels(feedback)
    has_text = not any(note.key == "voc.no_text" for note in notes)
    dates = feedback.get("date")
    return FeedbackBase(
        texts=texts,
        languages=languages,
        counts=language_counts(languages),
        notes=notes,
        scores=tuple(available_scores(feedback)),
        labels=labels,
        label_source=source,
        lexicon=lexicon_scores(texts, languages),
        targets=tuple(driver_targets(feedback)),
        personal=count_personal_data(texts) if has_text else 0,
        date_range=(
            (dates.min().date(), dates.max().date())
            if dates is not None and dates.notna().any()
            else None
        ),
        has_channel="channel" in feedback,
    )


# ---------------------------------------------------------------- sentiment
def in_domain_check(base: FeedbackBase) -> InDomainResult | None:
    """The in-domain model trained and cross-validated on the labelled comments (None
    without comments or labels)."""
    if not base.trainable:
        return None
    return train_in_domain(base.texts, base.labels, base.lexicon, source=base.label_source)


def sentiment_methods(check: InDomainResult | None) -> tuple[MethodChoice, ...]:
    """The methods a user can choose: all three once an in-domain model exists."""
    if check is not None and check.model is not None:
        return ("auto", "lexicon", "in_domain")
    return ("lexicon",)


def method_used(check: InDomainResult | None, chosen: MethodChoice) -> Method:
    """The method the page shows: the in-domain model when chosen, or on "auto" when its
    cross-validated accuracy beats the no-label method's (`InDomainResult.better`)."""
    if check is None or check.model is None:
        return "lexicon"
    if chosen == "in_domain" or (chosen == "auto" and check.better):
        return "in_domain"
    return "lexicon"


@dataclass(frozen=True)
class SentimentView:
    """Sentiment per comment by one method, and what the page says about it.

    `scores` in -1..1 (NaN: not scored), `tone` positive/neutral/negative, `mix` the
    tone mix per language (`core.voc.comments.tone_mix`, language codes), `by_group`
    the average sentiment of promoters, passives and detractors (empty without NPS),
    `negative_share` the share of scored comments that are negative, `average` the mean
    sentiment (None without comments).
    """

    method: Method
    scores: pd.Series
    tone: pd.Series
    mix: pd.DataFrame
    by_group: pd.Series
    negative_share: float
    average: float | None


def sentiment_view(
    feedback: pd.DataFrame, base: FeedbackBase, check: InDomainResult | None, method: Method
) -> SentimentView:
    """Sentiment by `method` (`method_used`): the no-label scores of `base`, or the
    in-domain model's (which needs `check` with a model)."""
    if method == "in_domain":
        if check is None or check.model is None:
            raise ValueError("the in-domain method needs a trained model")
        scores = in_domain_scores(check.model, base.texts, base.lexicon)
    else:
        scores = base.lexicon
    tone = sentiment_label(scores)
    by_group = (
        sentiment_by_nps_group(feedback["nps"], scores)
        if "nps" in base.scores
        else pd.Series(dtype=float)
    )
    scored = int(tone.notna().sum())
    return SentimentView(
        method=method,
        scores=scores,
        tone=tone,
        mix=tone_mix(base.languages, tone),
        by_group=by_group,
        negative_share=float((tone == "negative").sum() / max(scored, 1)),
        average=float(scores.mean()) if base.has_text and scores.notna().any() else None,
    )


# ---------------------------------------------------------------- scores
@dataclass(frozen=True)
class ScoreView:
    """The headline scores, their distributions and monthly trend.

    `distributions`: per available score kind, `score_distribution`'s table; `monthly`:
    `monthly_scores` (with the chosen sentiment); `trend_metrics`: the columns of
    `monthly` a trend can show; `low_months`: the two months with the lowest NPS among
    months with enough answers.
    """

    nps: NpsResult | None
    csat: ShareResult
    avg_rating: float | None
    distributions: Mapping[str, pd.DataFrame]
    monthly: pd.DataFrame
    trend_metrics: tuple[str, ...]
    low_months: pd.DataFrame


def score_view(feedback: pd.DataFrame, base: FeedbackBase, sentiment: SentimentView) -> ScoreView:
    """NPS, CSAT and average rating of every response, and the monthly trend with `sentiment`."""
    monthly = monthly_scores(feedback, sentiment.scores)
    return ScoreView(
        nps=nps_summary(feedback["nps"]) if "nps" in base.scores else None,
        csat=csat_summary(feedback),
        avg_rating=float(feedback["rating"].mean()) if "rating" in base.scores else None,
        distributions={kind: score_distribution(feedback[kind], kind) for kind in base.scores},
        monthly=monthly,
        trend_metrics=tuple(c for c in TREND_METRICS if c in monthly),
        low_months=lowest_months(monthly, "nps"),
    )


# ---------------------------------------------------------------- breakdowns
def breakdown_options(base: FeedbackBase, attributes: pd.DataFrame) -> tuple[str, ...]:
    """What scores can be broken down by: the feedback channel, the comment's language,
    and the linked customer attributes ("customer:<name>", "rfm_segment")."""
    options = ["channel"] if base.has_channel else []
    options += ["language"] if base.has_text else []
    return (*options, *attributes.columns)


@dataclass(frozen=True)
class BreakdownView:
    """Scores per group (`breakdown_scores`, groups labelled) and the groups drawn: those
    with at least MIN_RESPONSES answers. `metrics`: the columns a chart can show."""

    table: pd.DataFrame
    drawn: pd.DataFrame
    metrics: tuple[str, ...]


def breakdown_view(
    feedback: pd.DataFrame,
    base: FeedbackBase,
    sentiment: SentimentView,
    attributes: pd.DataFrame,
    by: str,
    label: Callable[[str], str] | None = None,
    unknown: str = "unknown",
    other: str = "other",
) -> BreakdownView:
    """Scores per value of `by` (one of `breakdown_options`).

    `label` names each distinct value (called once per value, not per row: language
    codes and segment names are translated by the page); `unknown` and `other` name the
    groups of missing values and of pooled small groups.
    """
    if by == "channel":
        groups = feedback["channel"]
    elif by == "language":
        groups = base.languages
    else:
        groups = attributes[by]
    if label is not None:
        groups = groups.map({value: label(value) for value in groups.dropna().unique()})
    table = breakdown_scores(feedback, groups, sentiment.scores if base.has_text else None)
    table["group"] = table["group"].replace({"unknown": unknown, "other": other})
    return BreakdownView(
        table=table,
        drawn=table[table["responses"] >= MIN_RESPONSES],
        metrics=tuple(c for c in TREND_METRICS if c in table),
    )


# ---------------------------------------------------------------- topics
@dataclass(frozen=True)
class TopicView:
    """Per topic: number (1-based), terms (its top words), texts, share, share_pct,
    avg_sentiment, negative_share and avg_score (with a score). `least_happy` is the topic
    to read first: the lowest average score, or sentiment without scores."""

    summary: pd.DataFrame
    least_happy: int
    has_score: bool

    def table(self, names: Sequence[str]) -> pd.DataFrame:
        """The topic table the page shows (and lets the user rename topics in)."""
        summary = self.summary
        columns = {
            "topic": summary["number"],
            "terms": summary["terms"],
            "name": list(names),
            "texts": summary["texts"],
            "share": summary["share_pct"],
            "avg_sentiment": summary["avg_sentiment"],
        }
        if self.has_score:
            columns["avg_score"] = summary["avg_score"]
        return pd.DataFrame(columns)

    def named(self, names: Sequence[str]) -> pd.DataFrame:
        """`summary` with the topics' names, for the topic chart."""
        return self.summary.assign(name=list(names))


def topic_view(
    feedback: pd.DataFrame, base: FeedbackBase, topics: TopicResult, sentiment: SentimentView
) -> TopicView:
    """`topic_table` with the topics' words, and the topic to read first (`topics.k` > 0)."""
    primary = base.primary
    summary = topic_table(topics, sentiment.scores, feedback[primary] if primary else None)
    ranking = "avg_score" if primary else "avg_sentiment"
    least_happy = int(summary.sort_values(ranking, na_position="last")["topic"].iloc[0])
    summary = summary.assign(
        number=summary["topic"] + 1,
        terms=topics.terms["label"].to_numpy(),
        share_pct=summary["share"] * 100,
    )
    return TopicView(summary, least_happy, primary is not None)


def topic_names(topics: TopicResult, saved: Mapping[int, str]) -> tuple[str, ...]:
    """Each topic's name: the user's (`saved`, by topic number) or its top words."""
    terms = topics.terms
    return tuple(
        saved.get(int(topic)) or label
        for topic, label in zip(terms["topic"], terms["label"], strict=True)
    )


def clause_sentiment(topics: TopicResult) -> pd.Series:
    """No-label sentiment of each clause of `topics.clauses` (the tone of a comment's part
    about one topic)."""
    return lexicon_scores(topics.clauses["clause"])


@dataclass(frozen=True)
class TopicExamples:
    """The comments that speak most of a topic positively and negatively: columns text
    (masked when asked) and sentiment (the tone of the clause about the topic)."""

    positive: pd.DataFrame
    negative: pd.DataFrame


def topic_examples(
    topics: TopicResult,
    base: FeedbackBase,
    sentiment: SentimentView,
    clauses: pd.Series,
    topic: int,
    masked: bool,
) -> TopicExamples:
    """`representative_texts` of `topic` in each tone; `clauses` is `clause_sentiment(topics)`."""
    found = {}
    for tone in ("positive", "negative"):
        examples = representative_texts(
            topics, base.texts, sentiment.scores, topic, tone, clause_sentiment=clauses
        )
        shown = mask_texts(examples["text"]) if masked else examples["text"]
        found[tone] = pd.DataFrame({"text": shown, "sentiment": examples["tone"]})
    return TopicExamples(**found)


# ---------------------------------------------------------------- key drivers
@dataclass(frozen=True)
class DriverView:
    """Key drivers of one target and what the page needs around them.

    `outcome` per feedback row (the what-if recomputes the score from it), `drag` and
    `lift` the topics that clearly pull the score down most and lift it most, `pulling`
    the topics a what-if can resolve (worst first), `table` the drivers in the unit the
    page shows (points; percentage points for 0/1 targets), worst first, with
    frequency_pct (frequency in percent).
    """

    result: DriverResult
    outcome: pd.Series
    drag: Driver | None
    lift: Driver | None
    pulling: tuple[int, ...]
    table: pd.DataFrame = field(repr=False)

    @property
    def target(self) -> Target:
        return self.result.target


def driver_view(feedback: pd.DataFrame, topics: TopicResult, target: Target) -> DriverView:
    """`key_drivers` of `target` on the topics, with the strongest drag and lift."""
    outcome = driver_target(feedback, target)
    result = key_drivers(outcome, topics.presence, target)
    drag, lift = strongest_drivers(result)
    points = result.in_points()
    table = points.sort_values("impact", ascending=not result.worse_up).assign(
        frequency_pct=points["frequency"] * 100
    )
    return DriverView(result, outcome, drag, lift, tuple(pulling_topics(result)), table)


# ---------------------------------------------------------------- what this means
def readings(
    scores: ScoreView,
    sentiment: SentimentView | None,
    drivers: DriverView | None,
    names: Sequence[str],
) -> tuple[Problem, ...]:
    """The page's plain-language summary, one reading per line, most important first.

    "voc.reading_nps" (NPS, its interval and the shares of promoters and detractors),
    "voc.reading_low_months" (with at least MIN_TREND_MONTHS months), the key drivers'
    problem or "voc.reading_driver_<target>" / "voc.reading_lift_<target>" (the topics
    that clearly pull the score down and lift it most; "voc.reading_no_drag_<target>"
    when none pulls it down), and "voc.reading_sentiment_<method>" (the share of negative
    comments). `sentiment` is None without comments; `names` are the topics' names.
    """
    lines: list[Problem] = []
    nps = scores.nps
    if nps is not None and nps.nps is not None:
        lines.append(
            problem(
                "voc.reading_nps",
                "info",
                nps=nps.nps,
                low=nps.ci_low,
                high=nps.ci_high,
                promoters=Percent(nps.promoters / nps.n, 0),
                detractors=Percent(nps.detractors / nps.n, 0),
            )
        )
        low = scores.low_months
        if len(low) and len(scores.monthly) >= MIN_TREND_MONTHS:
            months = tuple(zip(low["month"], low["nps"], strict=True))
            lines.append(
                problem("voc.reading_low_months", "info", months=MonthScores(months), nps=nps.nps)
            )
    if drivers is not None:
        lines.extend(_driver_readings(drivers, names))
    if sentiment is not None:
        lines.append(
            problem(
                f"voc.reading_sentiment_{sentiment.method}",
                "info",
                negative=Percent(sentiment.negative_share, 0),
            )
        )
    return tuple(lines)


def _driver_readings(drivers: DriverView, names: Sequence[str]) -> list[Problem]:
    result = drivers.result
    if result.problem is not None:
        return [result.problem]
    target = drivers.target
    lines = [] if drivers.drag is not None else [problem(f"voc.reading_no_drag_{target}", "info")]
    for kind, driver in (("driver", drivers.drag), ("lift", drivers.lift)):
        if driver is not None:
            lines.append(
                problem(
                    f"voc.reading_{kind}_{target}",
                    "info",
                    topic=names[driver.topic],
                    share=Percent(driver.frequency, 0),
                    impact=abs(driver.impact) * result.scale,
                )
            )
    return lines


# ---------------------------------------------------------------- the comment list
def comment_list(
    feedback: pd.DataFrame,
    base: FeedbackBase,
    sentiment: SentimentView,
    topic_lists: pd.Series | None,
    chosen: CommentFilter,
    masked: bool,
    names: Sequence[str],
) -> pd.DataFrame:
    """The responses that pass `chosen` (`filter_comments`), one row each, in table order.

    Columns: date (a day; with dates), text (e-mail addresses and phone numbers masked
    when `masked`), tone (code), sentiment (2 decimals), topics (the topics' `names`
    joined by " / "; with topics), one column per score kind, channel and customer_id
    (when the feedback has them), language (code). `localise` names the codes.
    """
    keep = filter_comments(
        feedback, base.texts, base.languages, sentiment.tone, topic_lists, chosen
    )
    rows = feedback[keep]
    texts = base.texts[keep]
    table = pd.DataFrame(index=rows.index)
    if "date" in rows:
        table["date"] = rows["date"].dt.date
    table["text"] = mask_texts(texts) if masked else texts
    table["tone"] = sentiment.tone[keep]
    table["sentiment"] = sentiment.scores[keep].round(2)
    if topic_lists is not None:
        table["topics"] = topic_lists[keep].map(lambda found: " / ".join(names[t] for t in found))
    for kind in base.scores:
        table[kind] = rows[kind]
    for column in ("channel", "customer_id"):
        if column in rows:
            table[column] = rows[column]
    table["language"] = base.languages[keep]
    return table


# ---------------------------------------------------------------- labels
def localise(
    frame: pd.DataFrame,
    headers: Mapping[str, str],
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """`frame` with codes replaced by labels (`values`: column -> code -> label; missing
    stays missing) and columns renamed (`headers`): labels translated once per code, not
    once per row."""
    values = values or {}
    coded = {c: frame[c].map(labels) for c, labels in values.items() if c in frame}
    return frame.assign(**coded).rename(columns=dict(headers))
