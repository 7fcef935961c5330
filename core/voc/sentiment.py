"""Sentiment of English and Chinese texts: a no-label lexicon method and an in-domain model.

No-label ("lexicon"):
- English: VADER (Hutto & Gilbert 2014, "VADER: A Parsimonious Rule-based Model for
  Sentiment Analysis of Social Media Text", ICWSM), its compound score.
- Chinese: this module's own rules on the word lists in core/voc/data (positive and
  negative words with weights, negators, degree adverbs, contrast words), in the spirit
  of VADER: a negator within a few characters flips and damps the word, a degree adverb
  scales it, a contrast word ("但是") halves what came before and weighs what follows
  by 1.5, and the sum is squashed to -1..1 by x / sqrt(x^2 + 15) as VADER does.

In-domain: TF-IDF of character 1-3-grams (they work for English and for unsegmented
Chinese alike; counted with numpy, once per training set) with logistic regression
(liblinear), its logit shifted by a cross-fitted multiple
of the lexicon score, 5-fold cross-validated on the user's texts that carry a sentiment
label (1/0, positive/negative) or else a rating or an NPS answer. It is used when its
cross-validated accuracy beats the lexicon's on the same texts. Both accuracies are
reported next to the majority-class baseline (always guessing the commoner label) and
balanced accuracy (the mean of the hit rates on positive and on negative texts).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from core.problems import Problem, problem
from core.voc.language import clean_texts, detect_language, load_words

Method = Literal["lexicon", "in_domain"]
LabelSource = Literal["label", "score"]  # a sentiment label column, or NPS / rating
Tone = Literal["positive", "negative"]
NEUTRAL_BAND = 0.05  # |score| below this is neutral (VADER's own convention)
NEGATION_FACTOR = -0.6
CONTRAST_BEFORE, CONTRAST_AFTER = 0.5, 1.5
VADER_ALPHA = 15.0
MODIFIER_GAP = 1  # characters allowed between a negator or degree adverb and its word
MIN_RATED = 40  # rated texts needed to train and cross-validate an in-domain model
MIN_PER_CLASS = 10
FOLDS = 5
MAX_TRAIN = (
    20_000  # larger labelled sets are sampled for training and checking (accuracy barely moves)
)
BLENDS = np.array([0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0])  # lexicon weight in the logit
_CLAUSE_END = "，。！？；,.!?;\n、：:"
_VADER_LOCK = threading.Lock()


# ------------------------------------------------------------------- Chinese lexicon
@dataclass(frozen=True)
class ZhLexicon:
    """The word lists and one compiled pattern that finds all of them in a text."""

    kinds: dict[str, tuple[str, float]]  # word -> (kind, value)
    pattern: re.Pattern[str]


def _trie_pattern(words: list[str]) -> str:
    """A regex equivalent to `|`.join(words, longest first) but built as a prefix trie (much faster)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in node.items() if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return f"(?:{body})?"
        return body

    return build(trie)


@cache
def zh_lexicon() -> ZhLexicon:
    kinds: dict[str, tuple[str, float]] = {}
    # Later lists win a clash: a neutral entry deliberately shadows its sentiment character.
    for kind, name in (
        ("pos", "zh_positive.txt"),
        ("neg", "zh_negative.txt"),
        ("degree", "zh_degree.txt"),
        ("negator", "zh_negators.txt"),
        ("contrast", "zh_contrast.txt"),
        ("neutral", "zh_neutral.txt"),
    ):
        for word, value in load_words(name).items():
            kinds[word] = (kind, -value if kind == "neg" else value)
    return ZhLexicon(kinds, re.compile(_trie_pattern(sorted(kinds, key=len, reverse=True))))


def zh_sentiment_raw(text: str, lexicon: ZhLexicon | None = None) -> float:
    """The unsquashed lexicon sum of one Chinese text (positive > 0)."""
    lexicon = lexicon or zh_lexicon()
    kinds = lexicon.kinds
    text = text.lower()
    total = 0.0  # clauses before the last contrast word
    negate = False
    degree = 1.0
    chain_end = -10  # end of the last negator/degree adverb of the current chain
    after_contrast = False
    last_end = 0
    for match in lexicon.pattern.finditer(text):
        start = match.start()
        if start - chain_end > MODIFIER_GAP or any(c in _CLAUSE_END for c in text[last_end:start]):
            negate, degree = False, 1.0
        last_end = match.end()
        kind, value = kinds[match.group()]
        if kind in ("pos", "neg"):
            score = value * degree * (NEGATION_FACTOR if negate else 1.0)
            total += score * (CONTRAST_AFTER if after_contrast else 1.0)
            negate, degree = False, 1.0
        elif kind == "negator":
            negate = not negate
            chain_end = match.end()
        elif kind == "degree":
            degree *= value
            chain_end = match.end()
        elif kind == "contrast":
            total *= CONTRAST_BEFORE
            after_contrast = True
            negate, degree = False, 1.0
    return total


def squash(raw: np.ndarray | float) -> np.ndarray | float:
    """VADER's normalisation of a sum of word scores to -1..1: x / sqrt(x^2 + 15)."""
    return raw / np.sqrt(np.square(raw) + VADER_ALPHA)


@cache
def _vader():  # noqa: ANN202 - a vaderSentiment analyzer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    with _VADER_LOCK:
        return SentimentIntensityAnalyzer()


def lexicon_scores(texts: pd.Series, languages: pd.Series | None = None) -> pd.Series:
    """No-label sentiment in -1..1 per text: VADER for English, the Chinese lexicon for Chinese.

    Texts in another language or without letters get NaN (not scored).
    """
    clean = clean_texts(texts)
    languages = detect_language(clean) if languages is None else languages
    scores = np.full(len(clean), np.nan)
    values = clean.to_numpy()
    lang = languages.to_numpy()
    en = np.flatnonzero(lang == "en")
    if len(en):
        vader = _vader().polarity_scores
        scores[en] = [vader(values[i])["compound"] for i in en]
    zh = np.flatnonzero(lang == "zh")
    if len(zh):
        lexicon = zh_lexicon()
        raw = np.fromiter((zh_sentiment_raw(values[i], lexicon) for i in zh), float, len(zh))
        scores[zh] = squash(raw)
    return pd.Series(scores, index=texts.index, name="sentiment")


def sentiment_label(scores: pd.Series) -> pd.Series:
    """ "positive", "neutral" or "negative" (NaN stays missing), split at +-NEUTRAL_BAND."""
    values = scores.to_numpy(float)
    labels = np.where(
        values > NEUTRAL_BAND, "positive", np.where(values < -NEUTRAL_BAND, "negative", "neutral")
    )
    return pd.Series(labels, index=scores.index, dtype="object").where(scores.notna())


def is_positive(scores: np.ndarray) -> np.ndarray:
    """The binary reading used for accuracy: positive when the score is above the neutral band."""
    return np.asarray(scores, float) > NEUTRAL_BAND


# ------------------------------------------------------------------ in-domain model
def rated_labels(feedback: pd.DataFrame) -> pd.Series:
    """1 (positive) / 0 (negative) / NaN per row from the score the row carries.

    NPS 9-10 is positive and 0-6 negative; otherwise a rating of 4-5 is positive and
    1-2 negative. Passives (NPS 7-8) and 3-star ratings stay unlabelled: their texts
    are mixed by nature and would blur the model.
    """
    labels = pd.Series(np.nan, index=feedback.index)
    if "rating" in feedback:
        rating = feedback["rating"]
        labels = labels.mask(rating >= 4, 1.0).mask(rating <= 2, 0.0)
    if "nps" in feedback:
        nps = feedback["nps"]
        labels = labels.mask(nps.notna(), np.nan).mask(nps >= 9, 1.0).mask(nps <= 6, 0.0)
    return labels


def training_labels(feedback: pd.DataFrame) -> tuple[pd.Series, LabelSource]:
    """The 1/0 labels the in-domain model learns from, and where they come from.

    The table's sentiment label (1/0, positive/negative, 正面/负面) when it has one with
    at least one value ("label"); otherwise the labels `rated_labels` derives from NPS
    answers and ratings ("score").
    """
    if "sentiment_label" in feedback and feedback["sentiment_label"].notna().any():
        return feedback["sentiment_label"].astype(float), "label"
    return rated_labels(feedback), "score"


_SPACES = re.compile(r"\s\s+")
_GRAM_BITS = 21  # a Unicode code point + 1 fits in 21 bits, so three of them fit in 63
NGRAM_MAX = 3
MIN_DF = 2


def char_ngram_ids(docs: list[str], n_max: int = NGRAM_MAX) -> tuple[np.ndarray, np.ndarray]:
    """Every character 1..n_max-gram of every text, as (text number, gram id) arrays.

    The same grams as scikit-learn's CountVectorizer(analyzer="char") (lower-cased, runs
    of blanks collapsed to one), computed with numpy on the code points of all texts at
    once instead of a Python loop per text: a gram's id packs its code points (+1, so
    that shorter grams differ from longer ones) in 21 bits each.
    """
    text = "\x00".join(_SPACES.sub(" ", d.replace("\x00", " ").lower()) for d in docs) + "\x00"
    code = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    is_sep = code == 0
    doc = np.cumsum(is_sep) - is_sep
    code += np.uint64(1)
    numbers, ids = [], []
    for n in range(1, n_max + 1):
        m = len(code) - n + 1
        gram, crosses = code[:m].copy(), is_sep[:m].copy()
        for j in range(1, n):
            gram |= code[j : j + m] << np.uint64(_GRAM_BITS * j)
            crosses |= is_sep[j : j + m]
        numbers.append(doc[:m][~crosses])
        ids.append(gram[~crosses])
    return np.concatenate(numbers), np.concatenate(ids)


def char_ngram_counts(
    docs: list[str], vocabulary: np.ndarray | None = None
) -> tuple[Any, np.ndarray]:
    """Texts x grams count matrix (CSR, float32) and its vocabulary (sorted gram ids).

    With `vocabulary`, grams outside it are dropped (transforming new texts)."""
    from scipy import sparse

    number, gram = char_ngram_ids(docs)
    if vocabulary is None:
        vocabulary, column = np.unique(gram, return_inverse=True)
    else:
        column = np.minimum(np.searchsorted(vocabulary, gram), max(len(vocabulary) - 1, 0))
        hit = vocabulary[column] == gram if len(vocabulary) else np.zeros(len(gram), bool)
        number, column = number[hit], column[hit]
    counts = sparse.csr_matrix(
        (np.ones(len(number), np.float32), (number, column)),
        shape=(len(docs), len(vocabulary)),
    )
    counts.sum_duplicates()
    return counts, vocabulary


def _classifier(seed: int = 0):  # noqa: ANN202 - a scikit-learn estimator
    from sklearn.linear_model import LogisticRegression

    # liblinear's dual solver: the same L2 logistic regression as lbfgs, several times
    # faster with far more features (n-grams) than texts.
    return LogisticRegression(
        C=10.0, solver="liblinear", dual=True, max_iter=1000, random_state=seed
    )


@dataclass(frozen=True)
class _Fitted:
    """TF-IDF (vocabulary: grams in MIN_DF+ training texts) and logistic regression."""

    vocabulary: np.ndarray
    tfidf: Any
    classifier: Any

    def decision_function(self, texts: list[str]) -> np.ndarray:
        counts, _ = char_ngram_counts(texts, self.vocabulary)
        return self.classifier.decision_function(self.tfidf.transform(counts))


def _fit(counts: Any, vocabulary: np.ndarray, y: np.ndarray, seed: int = 0) -> _Fitted:
    """TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True) +
    logistic regression, fitted from the texts' count matrix (tokenised once)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = np.flatnonzero(frequency >= MIN_DF)
    tfidf = TfidfTransformer(sublinear_tf=True)
    features = tfidf.fit_transform(counts[:, keep])
    return _Fitted(vocabulary[keep], tfidf, _classifier(seed).fit(features, y))


@dataclass(frozen=True)
class InDomainModel:
    """TF-IDF + logistic regression, its decision shifted by `blend` times the lexicon score."""

    pipeline: Any  # has decision_function(list of texts)
    blend: float

    def scores(self, texts: list[str], lexicon: np.ndarray) -> np.ndarray:
        logit = self.pipeline.decision_function(texts) + self.blend * np.nan_to_num(lexicon)
        return 2.0 / (1.0 + np.exp(-logit)) - 1.0


@dataclass(frozen=True)
class InDomainResult:
    """Accuracy of the no-label method and of the in-domain model on the same labelled texts.

    `accuracy` (in-domain) is 5-fold cross-validated; `baseline` is the share of the
    majority class (`majority`), what always guessing it would score; balanced accuracy
    is the mean of the recall on positive and on negative texts (0.5 = guessing).
    Lexicon figures are given whenever both classes are labelled, in-domain ones only
    when there are enough texts to train (otherwise `problem` says why).
    """

    n_rated: int
    source: LabelSource = "score"
    positives: int = 0  # among the checked texts
    n_checked: int | None = None  # texts the accuracies are measured on (default n_rated)
    accuracy: float | None = None  # in-domain, 5-fold cross-validated
    balanced_accuracy: float | None = None
    lexicon_accuracy: float | None = None
    lexicon_balanced_accuracy: float | None = None
    model: InDomainModel | None = None  # fitted on all labelled texts
    problem: Problem | None = None

    @property
    def checked(self) -> int:
        return self.n_rated if self.n_checked is None else self.n_checked

    @property
    def negatives(self) -> int:
        return self.checked - self.positives

    @property
    def majority(self) -> Tone:
        return "positive" if self.positives >= self.negatives else "negative"

    @property
    def baseline(self) -> float | None:
        """Accuracy of always guessing the majority class (None without labelled texts)."""
        if self.checked == 0:
            return None
        return max(self.positives, self.negatives) / self.checked

    @property
    def better(self) -> bool:
        return (
            self.accuracy is not None
            and self.lexicon_accuracy is not None
            and self.accuracy > self.lexicon_accuracy
        )


def _label_problem(n: int, positives: int, source: LabelSource) -> Problem | None:
    """Why `n` labelled texts (`positives` of them positive) cannot train a model, if so.

    Severity "info": the no-label method is used instead, and the page says so.
    """
    noun = "labelled" if source == "label" else "rated"
    negatives = n - positives
    if n and min(positives, negatives) == 0:
        tone = "positive" if positives else "negative"
        return problem(f"voc.one_class_{noun}_{tone}", "info", n=n)
    if n < MIN_RATED:
        return problem(f"voc.too_few_{noun}", "info", n=n, minimum=MIN_RATED)
    if min(positives, negatives) < MIN_PER_CLASS:
        return problem(
            f"voc.few_per_class_{noun}",
            "info",
            positive=positives,
            negative=negatives,
            minimum=MIN_PER_CLASS,
        )
    return None


def _best_blend(logit: np.ndarray, lexicon: np.ndarray, y: np.ndarray) -> float:
    accuracy = [((logit + b * lexicon > 0) == y).mean() for b in BLENDS]
    return float(BLENDS[int(np.argmax(accuracy))])


def train_in_domain(
    texts: pd.Series,
    labels: pd.Series,
    lexicon: pd.Series | None = None,
    folds: int = FOLDS,
    seed: int = 0,
    source: LabelSource = "score",
) -> InDomainResult:
    """Cross-validate and fit the in-domain model on texts with a 0/1 label.

    The model is TF-IDF of character 1-3-grams with logistic regression; its logit is
    then shifted by `blend` x the lexicon score, which carries what a few hundred
    rated texts cannot teach (English words never seen in training). The blend is
    chosen from BLENDS by cross-fitting: each fold's predictions use the blend that
    is best on the out-of-fold predictions of the other folds, so the reported
    accuracy stays an out-of-sample one.

    `lexicon` is `lexicon_scores(texts)` when already computed; `source` says whether
    the labels are a sentiment label column or derived from scores (it only changes the
    wording of messages). Rows without text or label are left out. Problems
    ("labelled" or "rated" by source): "voc.one_class_<labelled|rated>_<positive|negative>"
    (every text has the same label), "voc.too_few_<...>" (fewer than MIN_RATED texts),
    "voc.few_per_class_<...>" (fewer than MIN_PER_CLASS in a class); the thresholds are
    passed as the param minimum.
    """
    from sklearn.metrics import accuracy_score, balanced_accuracy_score
    from sklearn.model_selection import StratifiedKFold

    clean = clean_texts(texts)
    lexicon = lexicon_scores(clean) if lexicon is None else lexicon
    keep = (labels.notna() & clean.ne("")).to_numpy()
    n_rated = int(keep.sum())
    y = labels[keep].to_numpy(int)
    positives = int(y.sum())
    lex = np.nan_to_num(lexicon[keep].to_numpy(float))
    cannot = _label_problem(n_rated, positives, source)
    if cannot is not None:
        both = 0 < positives < n_rated
        guess = is_positive(lex).astype(int)
        return InDomainResult(
            n_rated,
            source,
            positives,
            lexicon_accuracy=float(accuracy_score(y, guess)) if both else None,
            lexicon_balanced_accuracy=float(balanced_accuracy_score(y, guess)) if both else None,
            problem=cannot,
        )
    docs = clean[keep].to_numpy()
    if len(docs) > MAX_TRAIN:
        pick = np.sort(np.random.default_rng(seed).choice(len(docs), MAX_TRAIN, replace=False))
        docs, lex, y = docs[pick], lex[pick], y[pick]
    # Tokenise once; each fold then fits its own vocabulary (MIN_DF), IDF and classifier
    # on its training rows only, as a per-fold pipeline would, from the count matrix.
    counts, vocabulary = char_ngram_counts(list(docs))
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    fold_of = np.empty(len(y), dtype=int)
    logit = np.empty(len(y))
    for fold, (train, test) in enumerate(cv.split(docs, y)):
        fold_of[test] = fold
        fitted = _fit(counts[train], vocabulary, y[train], seed)
        columns = np.searchsorted(vocabulary, fitted.vocabulary)
        features = fitted.tfidf.transform(counts[test][:, columns])
        logit[test] = fitted.classifier.decision_function(features)
    predicted = np.empty(len(y), dtype=int)
    for fold in range(folds):
        inside, others = fold_of == fold, fold_of != fold
        blend = _best_blend(logit[others], lex[others], y[others])
        predicted[inside] = (logit[inside] + blend * lex[inside] > 0).astype(int)
    lexicon_guess = is_positive(lex).astype(int)
    model = InDomainModel(_fit(counts, vocabulary, y, seed), _best_blend(logit, lex, y))
    return InDomainResult(
        n_rated=n_rated,
        source=source,
        positives=int(y.sum()),
        n_checked=len(y),
        accuracy=float(accuracy_score(y, predicted)),
        balanced_accuracy=float(balanced_accuracy_score(y, predicted)),
        lexicon_accuracy=float(accuracy_score(y, lexicon_guess)),
        lexicon_balanced_accuracy=float(balanced_accuracy_score(y, lexicon_guess)),
        model=model,
    )


def in_domain_scores(model: InDomainModel, texts: pd.Series, lexicon: pd.Series) -> pd.Series:
    """In-domain sentiment in -1..1 (2 p - 1 with p the model's probability of positive)."""
    clean = clean_texts(texts)
    scores = pd.Series(np.nan, index=texts.index, name="sentiment")
    has_text = clean.ne("").to_numpy()
    if has_text.any():
        scores[has_text] = model.scores(list(clean[has_text]), lexicon[has_text].to_numpy(float))
    return scores
