"""Language detection, sentiment, topics and masking (core.voc) on small labelled texts this
project ships (tests/core/data/voc, written for these tests) or generates here."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score

import core.voc.topics as topics_module
from core.voc.language import MIN_TEXTS, detect_language, load_mapping, text_notes, tokens
from core.voc.mask import count_personal_data, mask_text, mask_texts
from core.voc.sentiment import (
    _fit,
    _trie_pattern,
    char_ngram_counts,
    in_domain_scores,
    is_positive,
    lexicon_scores,
    rated_labels,
    sentiment_label,
    squash,
    train_in_domain,
    zh_lexicon,
    zh_sentiment_raw,
)
from core.voc.topics import (
    _vocabulary_matcher,
    clauses,
    find_topics,
    representative_texts,
    topic_table,
)

DATA = Path(__file__).resolve().parent / "data" / "voc"


@pytest.fixture(scope="module")
def labelled() -> dict[str, pd.DataFrame]:
    return {lang: pd.read_csv(DATA / f"{lang}_labelled.csv") for lang in ("en", "zh")}


# ------------------------------------------------------------------ language
def test_language_detection():
    texts = pd.Series(
        ["Great coffee", "咖啡很好", "App老是闪退", "Отличный кофе", "", None, "12345 !!", "Tea 好"]
    )
    assert detect_language(texts).tolist() == [
        "en",
        "zh",
        "zh",  # Chinese with a Latin brand name is Chinese
        "other",
        "none",
        "none",
        "none",
        "zh",
    ]


def _keys(notes) -> list[str]:
    assert all(note.severity == "info" for note in notes)
    return [note.key for note in notes]


def test_text_notes():
    both = pd.DataFrame({"text": ["good"] * 20 + ["很好"] * 5})
    assert _keys(text_notes(both, detect_language(both["text"]))) == []
    english = pd.DataFrame({"text": ["good"] * 25})
    assert _keys(text_notes(english, detect_language(english["text"]))) == ["voc.one_language"]
    scores_only = pd.DataFrame({"nps": [1, 2]})
    assert _keys(text_notes(scores_only, pd.Series(["none", "none"]))) == ["voc.no_text"]
    mixed = pd.DataFrame({"text": ["good", "Отлично", ""]})
    notes = text_notes(mixed, detect_language(mixed["text"]))
    assert _keys(notes) == ["voc.few_texts", "voc.other_language", "voc.one_language"]
    # Counts for the texts, and the threshold as the constant core uses (MIN_TEXTS = 20).
    assert notes[0].params == {"en": 1, "zh": 0, "other": 1, "minimum": MIN_TEXTS}


def test_tokens_in_both_languages():
    assert tokens("The courier's van, LATE again!", "en") == [
        "the",
        "courier's",
        "van",
        "late",
        "again",
    ]
    words = tokens("快递太慢了，App闪退", "zh")
    assert "快递" in words and "app" in words and "，" not in words


# ------------------------------------------------------------------ sentiment
def test_lexicon_accuracy_on_the_shipped_labelled_texts(labelled):
    for lang, frame in labelled.items():
        scores = lexicon_scores(frame["text"])
        assert scores.notna().all()
        accuracy = accuracy_score(frame["label"], is_positive(scores.to_numpy()))
        assert accuracy >= 0.9, lang


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("很好", 1),
        ("不错", 1),  # a word of its own, not a negated 错
        ("不好", -1),
        ("不是很好", -1),  # negator, degree adverb, word
        ("不贵", 1),  # a negated negative word turns mildly positive
        ("房间不错，但是很吵", -1),  # after 但是 weighs more
        ("好像下雨了", 0),  # 好像 is not 好
        ("物流很快，包装也很好", 1),
    ],
    ids=str,
)
def test_chinese_rules(text, sign):
    assert np.sign(zh_sentiment_raw(text)) == sign


def test_chinese_rules_by_hand():
    # Listed phrases keep their own weight; 特别 (x1.6) 好 (1.0) = 1.6; 没有 flips and damps by -0.6.
    assert zh_sentiment_raw("很好") == pytest.approx(1.5)  # 很好 is a listed word of weight 1.5
    assert zh_sentiment_raw("特别好") == pytest.approx(1.6)
    assert zh_sentiment_raw("不干净") == pytest.approx(-2.0)  # a listed negative phrase
    assert zh_sentiment_raw("没有热情") == pytest.approx(-0.6 * 1.8)
    # Contrast: 干净 1.8 x 0.5 before 但是, then 吵 -1.8 x 1.5 after it.
    assert zh_sentiment_raw("干净，但是吵") == pytest.approx(0.9 - 2.7)
    # VADER's normalisation x / sqrt(x^2 + 15).
    assert squash(1.0) == pytest.approx(1 / 4)


def test_trie_pattern_matches_like_a_longest_first_alternation():
    words = ["好", "好像", "很好", "不", "不错", "不是", "很"]
    plain = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    trie = re.compile(_trie_pattern(words))
    for text in ["好像不错", "很好不是", "不很好", "不不错好像好"]:
        assert trie.findall(text) == plain.findall(text), text
    assert zh_lexicon().pattern.pattern  # the shipped lists compile


def test_sentiment_labels_and_missing_texts():
    scores = lexicon_scores(pd.Series(["I love it", "", "It is a table.", "太差了"]))
    labels = sentiment_label(scores).tolist()
    assert labels[0] == "positive" and labels[3] == "negative"
    assert pd.isna(labels[1])
    assert labels[2] == "neutral"


def test_rated_labels():
    feedback = pd.DataFrame({"nps": [10, 7, 3, np.nan, np.nan], "rating": [1, 5, 5, 4, 3]})
    # NPS decides where it exists (10 -> positive although the rating is 1), passives stay out.
    labels = rated_labels(feedback)
    assert labels.iloc[[0, 2, 3]].tolist() == [1.0, 0.0, 1.0]
    assert labels.iloc[[1, 4]].isna().all()


def test_in_domain_model_trains_and_scores(labelled):
    frame = pd.concat(labelled.values(), ignore_index=True)
    result = train_in_domain(frame["text"], frame["label"].astype(float))
    assert result.problem is None and result.n_rated == len(frame)
    assert 0.5 <= result.accuracy <= 1 and 0.5 <= result.lexicon_accuracy <= 1
    scores = in_domain_scores(result.model, frame["text"], lexicon_scores(frame["text"]))
    # On its own training texts the fitted model separates the classes.
    assert scores[frame["label"] == 1].mean() > 0 > scores[frame["label"] == 0].mean()
    few = train_in_domain(frame["text"].head(30), frame["label"].head(30).astype(float))
    assert few.problem.key == "voc.too_few_rated" and few.model is None


def test_char_ngram_counts_equal_scikit_learns_char_analyzer(labelled):
    """The numpy n-gram counter gives exactly CountVectorizer(analyzer="char",
    ngram_range=(1, 3))'s matrix (scikit-learn run here directly), in both languages,
    with blank runs, capitals, an emoji outside the BMP and a one-letter text."""
    from sklearn.feature_extraction.text import CountVectorizer

    texts = [*labelled["en"]["text"], *labelled["zh"]["text"], "A  b\tC\n\nd", "x", "好😀!"]
    counts, vocabulary = char_ngram_counts(texts)
    reference = CountVectorizer(analyzer="char", ngram_range=(1, 3))
    expected = reference.fit_transform(texts)
    ours = counts.toarray()
    names = reference.get_feature_names_out()
    assert counts.shape == expected.shape
    # Same columns: map each of our gram ids back to its string and compare sets and counts.
    decoded = [
        "".join(chr((int(g) >> (21 * j) & (2**21 - 1)) - 1) for j in range(3) if int(g) >> (21 * j))
        for g in vocabulary
    ]
    assert sorted(decoded) == sorted(names)
    column_of = {name: i for i, name in enumerate(names)}
    np.testing.assert_array_equal(ours, expected.toarray()[:, [column_of[d] for d in decoded]])
    # New texts: grams outside the vocabulary are dropped, known ones counted.
    again, _ = char_ngram_counts(["ab zz", "好好"], vocabulary)
    np.testing.assert_array_equal(
        again.toarray(),
        reference.transform(["ab zz", "好好"]).toarray()[:, [column_of[d] for d in decoded]],
    )


def test_in_domain_fit_equals_a_tfidf_pipeline(labelled):
    """Fitting from the count matrix gives the same decisions as TfidfVectorizer(analyzer=
    "char", ngram_range=(1, 3), min_df=2, sublinear_tf=True) + the same classifier fitted
    on the texts by scikit-learn directly."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    frame = pd.concat(labelled.values(), ignore_index=True)
    texts, y = list(frame["text"]), frame["label"].to_numpy(int)
    counts, vocabulary = char_ngram_counts(texts)
    fitted = _fit(counts, vocabulary, y)
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
    classifier = LogisticRegression(C=10.0, solver="liblinear", dual=True, max_iter=1000)
    classifier.fit(vectorizer.fit_transform(texts), y)
    probe = ["great coffee", "送货太慢了", "terrible app"]
    np.testing.assert_allclose(
        fitted.decision_function(probe),
        classifier.decision_function(vectorizer.transform(probe)),
        rtol=1e-4,
        atol=1e-4,
    )


# ------------------------------------------------------------------ topics
def _planted_texts(n: int = 240, seed: int = 1) -> tuple[pd.Series, np.ndarray]:
    """Feedback with three planted themes in English and Chinese: delivery, coffee, app."""
    rng = np.random.default_rng(seed)
    themes = {
        0: ["The parcel arrived late.", "Delivery was slow and late.", "快递太慢了", "物流很慢"],
        1: [
            "The coffee beans are fresh.",
            "Fresh coffee, rich aroma.",
            "咖啡豆很新鲜",
            "咖啡香味浓",
        ],
        2: [
            "The app crashed at checkout.",
            "Checkout in the app failed.",
            "App老是闪退",
            "结账时App闪退",
        ],
    }
    picks = rng.integers(0, 3, n)
    texts = [themes[t][rng.integers(0, 4)] for t in picks]
    return pd.Series(texts), picks


def test_topics_find_the_planted_themes_in_both_languages():
    texts, truth = _planted_texts()
    result = find_topics(texts, k=3)
    assert result.k == 3 and result.problem is None
    assignment = result.presence.to_numpy().argmax(axis=1)
    # Each planted theme maps to one topic (a perfect match up to relabelling).
    for theme in range(3):
        found = assignment[truth == theme]
        assert (found == np.bincount(found).argmax()).mean() > 0.95
    labels = " ".join(result.terms["label"])
    assert "late" in labels or "delivery" in labels
    assert "coffee" in labels or "fresh" in labels
    assert "app" in labels
    # Chinese delivery comments sit with the English ones (the glossary files 快递 under delivery).
    delivery = np.bincount(assignment[truth == 0]).argmax()
    zh_delivery = texts.str.contains("快递|物流").to_numpy()
    assert (assignment[zh_delivery] == delivery).all()
    assert load_mapping("zh_en_glossary.txt")["快递"] == "delivery"


def test_vocabulary_matcher_reads_the_longest_known_words():
    stop = frozenset({"the"})
    match = _vocabulary_matcher(
        {"快递": 0, "快": 1, "很慢": 2, "慢": 3}, stop, {"快递": "delivery"}
    )
    # Longest words first (快递, not 快), Latin words kept, stop words out, glossary added.
    assert match("快递很慢 the WiFi 快") == ["快递", "很慢", "wifi", "快", "delivery"]
    assert match("没有认识的词") == []


def test_topics_with_many_distinct_chinese_clauses_segment_only_the_sample(monkeypatch):
    """Above SEGMENT_ALL distinct Chinese clauses, jieba segments the fitting sample and the
    other clauses are read through the fitted vocabulary: the planted themes still come out."""
    monkeypatch.setattr(topics_module, "MAX_FIT", 150)
    monkeypatch.setattr(topics_module, "SEGMENT_ALL", 0)
    texts, truth = _planted_texts(n=900, seed=2)
    # Make the Chinese clauses distinct, so most of them are outside the sample.
    prefixes = np.array(["", "这次", "上次", "今天", "昨天", "又是", "真的"])
    suffixes = np.array(["", "啊", "呀", "了", "吧", "哦"])
    rng = np.random.default_rng(3)
    zh = texts.str.contains("[\u4e00-\u9fff]").to_numpy()
    texts = texts.where(
        ~zh,
        prefixes[rng.integers(0, 7, len(texts))] + texts + suffixes[rng.integers(0, 6, len(texts))],
    )
    result = find_topics(texts, k=3)
    assignment = result.presence.to_numpy().argmax(axis=1)
    for theme in range(3):
        found = assignment[truth == theme]
        assert (found == np.bincount(found).argmax()).mean() > 0.95
    delivery = np.bincount(assignment[truth == 0]).argmax()
    assert (assignment[texts.str.contains("快递|物流").to_numpy()] == delivery).all()


def test_topic_table_and_examples():
    texts, truth = _planted_texts()
    sentiment = pd.Series(np.where(truth == 0, -0.5, 0.6))
    score = pd.Series(np.where(truth == 0, 3.0, 9.0))
    result = find_topics(texts, k=3)
    table = topic_table(result, sentiment, score)
    assert table["texts"].sum() == len(texts)
    assert table["share"].sum() == pytest.approx(1.0)
    delivery = int(np.bincount(result.presence.to_numpy().argmax(axis=1)[truth == 0]).argmax())
    assert table.loc[delivery, "avg_score"] == pytest.approx(3.0)
    examples = representative_texts(result, texts, sentiment, delivery, "negative")
    assert 1 <= len(examples) <= 3 and examples["text"].is_unique
    assert representative_texts(result, texts, sentiment, delivery, "positive").empty


def test_topics_with_too_few_or_no_texts():
    assert find_topics(pd.Series(["good coffee"] * 5)).problem.key == "voc.too_few_texts"
    empty = find_topics(pd.Series(["", None, "   "]))
    assert empty.k == 0 and empty.n_texts == 0
    few_words = find_topics(pd.Series(["coffee beans", "tea leaves", "cake sugar"] * 10), k=10)
    assert few_words.problem.key == "voc.fewer_topics" and 1 < few_words.k < 10
    # Two words in all (coffee is in every comment, so only beans/fresh count): one topic.
    one = find_topics(pd.Series(["coffee beans", "coffee fresh"] * 15), k=10)
    assert one.problem.key == "voc.one_topic" and one.k == 1


def test_clauses_split_sentences_and_chinese_commas():
    frame = clauses(pd.Series(["Great tea. Late parcel!", "咖啡很好，快递太慢"]))
    assert frame["clause"].tolist() == ["Great tea", "Late parcel", "咖啡很好", "快递太慢"]
    assert frame["row"].tolist() == [0, 0, 1, 1]


# ------------------------------------------------------------------ masking
def test_masking_e_mails_and_phone_numbers_only():
    assert mask_text("Reach me at anna.brown51@example.com.") == "Reach me at [email]."
    assert mask_text("请打我电话+86 138 0000 1234") == "请打我电话[phone]"
    assert mask_text("Call +44 7700 900123 today") == "Call [phone] today"
    unchanged = "Order 12345 cost 20% more on 2025-01-03, 3 days late"
    assert mask_text(unchanged) == unchanged
    texts = pd.Series(["a@b.cn", "fine", None])
    assert mask_texts(texts).tolist()[:2] == ["[email]", "fine"]
    assert count_personal_data(texts) == 1


def test_examples_follow_the_tone_of_the_clause_about_the_topic():
    texts = pd.Series(
        ["The parcel arrived late. Great coffee.", "Delivery was fast and perfect. Awful coffee."]
        * 15
        + ["The coffee beans are fresh.", "The parcel was late again."] * 5
    )
    result = find_topics(texts, k=2)
    clause_sentiment = lexicon_scores(result.clauses["clause"])
    text_sentiment = lexicon_scores(texts)
    delivery = int(
        result.clauses.loc[result.clauses["clause"].str.contains("parcel"), "topic"].mode()[0]
    )
    negative = representative_texts(
        result, texts, text_sentiment, delivery, "negative", clause_sentiment=clause_sentiment
    )
    assert negative["text"].str.contains("late").all()
    positive = representative_texts(
        result, texts, text_sentiment, delivery, "positive", clause_sentiment=clause_sentiment
    )
    assert positive["text"].str.contains("fast").all()
    # The tone shown is the clause's, so a positive example never shows a negative score,
    # even where the whole comment ("... Awful coffee.") reads negative.
    assert (positive["tone"] > 0).all() and (negative["tone"] < 0).all()
