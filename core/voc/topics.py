"""Topics discovered in free text: TF-IDF and non-negative matrix factorisation (NMF).

English is split into words, Chinese into words by jieba; stop words of both
languages are removed. A small built-in glossary (core/voc/data/zh_en_glossary.txt)
adds the English word for common Chinese feedback words ("快递" -> delivery), so that
comments in both languages about the same theme fall into the same topic.
NMF: Lee & Seung (1999); scikit-learn's NMF with NNDSVDa initialisation.

Speed: each distinct clause is segmented once. NMF is fitted on a sample of MAX_FIT
clauses and applied to all; with more than SEGMENT_ALL distinct Chinese clauses, only the
sample goes through jieba and the other Chinese clauses are read as the longest words of
the fitted vocabulary they contain (the same themes; 98% of text-topic presences agree
with segmenting every clause on ChnSentiCorp and on the 100k-text benchmark).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.problems import Problem, problem
from core.voc.language import (
    CJK,
    MIN_TEXTS,
    clean_texts,
    detect_language,
    load_mapping,
    load_word_set,
    tokens,
)
from core.voc.sentiment import _trie_pattern

DEFAULT_TOPICS = 9
MIN_TOPICS, MAX_TOPICS = 3, 15  # the choices offered for the number of topics
# MIN_TEXTS (core.voc.language): fewer texts with words than this, no topics
MAX_FIT = 20_000  # NMF is fitted on a sample of this many clauses, then applied to all
SEGMENT_ALL = 40_000  # more distinct Chinese clauses: jieba segments only the fitting sample
TOP_TERMS = 4
PRESENCE_FLOOR = 0.1  # a clause belongs to a topic only with this share of its largest weight
EXAMPLES = 3
MIXED_SHARE = 0.02  # both languages at least this share of comments: bridge them
_CJK_WORD = re.compile(f"[{CJK}]+")


@dataclass(frozen=True)
class TopicResult:
    """Topics, their words and which texts carry them.

    terms: one row per topic: topic (0..k-1), label (top terms), terms (list).
    weights: texts x topics (NMF W), indexed like the input texts that had words.
    presence: texts x topics booleans (same index), the topics each text is about.
    """

    k: int
    terms: pd.DataFrame
    weights: pd.DataFrame
    presence: pd.DataFrame
    n_texts: int
    clauses: pd.DataFrame  # row (text index label), clause, topic (-1: none), weight
    problem: Problem | None = None


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (
        frozenset(ENGLISH_STOP_WORDS)
        | load_word_set("en_stopwords.txt")
        | load_word_set("zh_stopwords.txt")
    )


def text_terms(
    text: str, language: str, stop: frozenset[str], glossary: dict[str, str]
) -> list[str]:
    """The terms a text contributes to topic discovery (stop words out, Chinese glossed)."""
    words = [
        w for w in tokens(text, language) if w not in stop and (len(w) > 1 or language == "zh")
    ]
    if language == "zh":
        words += [glossary[w] for w in words if w in glossary]
    return words


def _vocabulary_matcher(
    vocabulary: dict[str, int], stop: frozenset[str], glossary: dict[str, str]
) -> Callable[[str], list[str]]:
    """Terms of a Chinese clause read as the longest vocabulary words it contains (and its
    Latin words), glossed as text_terms does: jieba's job for words the model knows."""
    chinese = sorted((w for w in vocabulary if _CJK_WORD.fullmatch(w)), key=len, reverse=True)
    parts = [_trie_pattern(chinese)] if chinese else []
    pattern = re.compile("|".join([*parts, r"[a-z][a-z'\-]*"]))

    def terms(text: str) -> list[str]:
        words = [w for w in pattern.findall(text.lower()) if w not in stop]
        return words + [glossary[w] for w in words if w in glossary]

    return terms


def _identity(terms: list[str]) -> list[str]:
    return terms


_CLAUSE_SPLIT = r"[.!?;。！？；，\n]+|,\s+(?=but\b)"


def clauses(texts: pd.Series) -> pd.DataFrame:
    """Texts split into clauses (sentences; Chinese also at commas): columns row (the text's
    index label), clause. A comment that praises the coffee and blames the courier gives
    one clause about each, which keeps topics apart."""
    clean = clean_texts(texts)
    parts = clean.str.split(_CLAUSE_SPLIT, regex=True).explode()
    parts = parts.str.strip()
    parts = parts[parts.notna() & parts.ne("")]
    return pd.DataFrame({"row": parts.index, "clause": parts.to_numpy()})


def find_topics(
    texts: pd.Series,
    k: int = DEFAULT_TOPICS,
    languages: pd.Series | None = None,
    seed: int = 0,
) -> TopicResult:
    """Discover `k` topics in the texts' clauses (empty texts are skipped).

    Each clause belongs to its strongest topic (or none when all weights are small);
    a text is about every topic one of its clauses is about.

    Problems: "voc.too_few_texts" (fewer than MIN_TEXTS texts with words, param minimum;
    an error), "voc.fewer_topics" (k lowered to what the vocabulary allows), "voc.one_topic"
    (lowered to a single topic; both warnings).
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    clean = clean_texts(texts)
    languages = detect_language(clean) if languages is None else languages
    units = clauses(clean[languages.isin(["en", "zh", "other"])])
    stop = _stop_words()
    # The glossary only bridges languages: with comments in one language it would just
    # add English words to Chinese topics.
    shares = languages.value_counts(normalize=True)
    mixed = min(shares.get("en", 0.0), shares.get("zh", 0.0)) >= MIXED_SHARE
    glossary = load_mapping("zh_en_glossary.txt") if mixed else {}
    unit_lang = languages.reindex(units["row"]).astype(str).to_numpy()
    # Feedback repeats itself ("Fast delivery", "不错"): each distinct clause is segmented
    # (jieba, the slow part), weighted and assigned once, then copied to its repeats.
    clause_codes, clause_texts = pd.factorize(units["clause"].to_numpy())
    lang_codes, lang_names = pd.factorize(unit_lang)
    n_lang = max(len(lang_names), 1)
    codes, pairs = pd.factorize(clause_codes * n_lang + lang_codes)
    pair_lang = np.asarray(lang_names, dtype=object)[pairs % n_lang] if len(pairs) else pairs

    def terms_of(pair: int) -> list[str]:
        return text_terms(clause_texts[pair // n_lang], lang_names[pair % n_lang], stop, glossary)

    vectorizer = TfidfVectorizer(analyzer=_identity, min_df=2, max_df=0.5, sublinear_tf=True)
    rng = np.random.default_rng(seed)
    fit_matrix = None
    if int((pair_lang == "zh").sum()) <= SEGMENT_ALL or len(codes) <= MAX_FIT:
        distinct_terms = [terms_of(pair) for pair in pairs]
    else:
        # Many distinct Chinese clauses: jieba segments only the sample NMF is fitted on;
        # the other Chinese clauses are read as the longest vocabulary words they contain
        # (a regex trie), which is all the fitted TF-IDF can see of them anyway.
        sample = np.sort(rng.choice(len(codes), MAX_FIT, replace=False))
        found: dict[int, list[str]] = {c: terms_of(pairs[c]) for c in np.unique(codes[sample])}
        fit_matrix = vectorizer.fit_transform([found[c] for c in codes[sample] if found[c]])
        match = _vocabulary_matcher(vectorizer.vocabulary_, stop, glossary)
        distinct_terms = []
        for c, pair in enumerate(pairs):
            if c in found:
                distinct_terms.append(found[c])
            elif pair_lang[c] == "zh":
                distinct_terms.append(match(clause_texts[pair // n_lang]))
            else:
                distinct_terms.append(terms_of(pair))
    has_words = np.array([len(d) > 0 for d in distinct_terms], dtype=bool)[codes]
    units = units[has_words].reset_index(drop=True)
    codes, distinct_rows = pd.factorize(codes[has_words])
    unique_docs = [distinct_terms[i] for i in distinct_rows]
    index = pd.Index(units["row"].unique())
    empty = pd.DataFrame(columns=["topic", "label", "terms"])
    if len(index) < MIN_TEXTS:
        none = pd.DataFrame(index=index)
        units["topic"], units["weight"] = -1, 0.0
        few = problem("voc.too_few_texts", n=len(index), minimum=MIN_TEXTS)
        return TopicResult(0, empty, none, none, len(index), units, few)
    if fit_matrix is None:
        vectorizer.set_params(min_df=2 if len(codes) >= 100 else 1)
        n_units = len(codes)
        fit_rows = (
            np.sort(rng.choice(n_units, MAX_FIT, replace=False))
            if n_units > MAX_FIT
            else np.arange(n_units)
        )
        fit_matrix = vectorizer.fit_transform([unique_docs[codes[i]] for i in fit_rows])
    lowered = None
    k_max = max(min(fit_matrix.shape) - 1, 1)
    if k > k_max:
        key = "voc.fewer_topics" if k_max > 1 else "voc.one_topic"
        k, lowered = k_max, problem(key, "warning", k=k_max)
    model = NMF(n_components=k, init="nndsvda", max_iter=400, random_state=seed)
    model.fit(fit_matrix)
    weights = model.transform(vectorizer.transform(unique_docs))[codes]
    vocabulary = vectorizer.get_feature_names_out()
    rows = []
    for topic, loadings in enumerate(model.components_):
        order = np.argsort(loadings)[::-1][:TOP_TERMS]
        top = [str(vocabulary[j]) for j in order if loadings[j] > 0]
        rows.append({"topic": topic, "label": " · ".join(top), "terms": top})
    best = weights.argmax(axis=1)
    strongest = weights.max(axis=1)
    floor = PRESENCE_FLOOR * weights.max(axis=0)
    assigned = strongest > np.maximum(floor[best], 1e-9)
    units["topic"] = np.where(assigned, best, -1)
    units["weight"] = np.where(assigned, strongest, 0.0)
    codes = index.get_indexer(units["row"])
    text_weights = np.zeros((len(index), k))
    np.maximum.at(text_weights, (codes[assigned], best[assigned]), strongest[assigned])
    columns = list(range(k))
    return TopicResult(
        k,
        pd.DataFrame(rows),
        pd.DataFrame(text_weights, index=index, columns=columns),
        pd.DataFrame(text_weights > 0, index=index, columns=columns),
        len(index),
        units,
        lowered,
    )


def topic_table(
    result: TopicResult,
    sentiment: pd.Series | None = None,
    score: pd.Series | None = None,
) -> pd.DataFrame:
    """Per topic: texts, share (of texts with words), average sentiment and score, and shares
    of negative/positive texts. Rows in topic order."""
    presence = result.presence
    rows = []
    for topic in range(result.k):
        inside = presence.index[presence[topic].to_numpy()]
        row: dict[str, object] = {
            "topic": topic,
            "texts": len(inside),
            "share": len(inside) / max(result.n_texts, 1),
        }
        if sentiment is not None:
            values = sentiment.reindex(inside)
            row["avg_sentiment"] = values.mean()
            row["negative_share"] = (values < -0.05).mean() if len(values) else np.nan
        if score is not None:
            row["avg_score"] = score.reindex(inside).mean()
        rows.append(row)
    return pd.DataFrame(rows)


def representative_texts(
    result: TopicResult,
    texts: pd.Series,
    sentiment: pd.Series,
    topic: int,
    tone: str,
    count: int = EXAMPLES,
    clause_sentiment: pd.Series | None = None,
) -> pd.DataFrame:
    """The texts most about `topic` among those that speak of it positively (tone="positive")
    or negatively.

    With `clause_sentiment` (one score per row of `result.clauses`), the tone is the one
    of the clause about the topic, so that "Arrived the next day. Support never answered."
    is a positive example for delivery, not a negative one; otherwise it is the text's.
    Returns columns text, sentiment (the text's), tone (the sentiment the choice was made
    on: the clause's with `clause_sentiment`, else the text's), weight; at most `count`
    distinct texts.
    """
    if clause_sentiment is not None:
        units = result.clauses[result.clauses["topic"] == topic]
        values = clause_sentiment.reindex(units.index)
        keep = (values > 0.05) if tone == "positive" else (values < -0.05)
        units = (
            units[keep.to_numpy()]
            .assign(tone=values[keep.to_numpy()].to_numpy())
            .sort_values("weight", ascending=False)
            .drop_duplicates("row")
            .set_index("row")
        )
        chosen = pd.Index(units.index)
        weights = units["weight"]
        tones = units["tone"]
    else:
        inside = result.presence.index[result.presence[topic].to_numpy()]
        values = sentiment.reindex(inside)
        keep = (values > 0.05) if tone == "positive" else (values < -0.05)
        chosen = inside[keep.to_numpy()]
        weights = result.weights.loc[chosen, topic]
        tones = sentiment.reindex(chosen)
    frame = pd.DataFrame(
        {
            "text": clean_texts(texts.reindex(chosen)).to_numpy(),
            "sentiment": sentiment.reindex(chosen).to_numpy(),
            "tone": tones.to_numpy(),
            "weight": weights.to_numpy(),
        },
        index=chosen,
    )
    frame = frame.sort_values("weight", ascending=False, kind="stable").drop_duplicates("text")
    return frame.head(count)
