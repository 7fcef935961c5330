"""Language of each text (English, Chinese, other) from its share of Chinese characters, and tokens.

Detection needs no model: a text is Chinese when Chinese (CJK) characters make up
at least `ZH_SHARE` of its letters, English when it has Latin letters otherwise.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from core.problems import Problem, problem

Language = Literal["en", "zh", "other", "none"]
LANGUAGES: tuple[Language, ...] = ("en", "zh", "other", "none")
# A Chinese character carries about as much as a short English word, so a fifth of
# the letters is already a Chinese sentence with a few Latin brand names in it.
ZH_SHARE = 0.2
MIN_TEXTS = 20  # fewer comments than this: sentiment only, no topics or drivers
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = f"[{CJK}]"
_LATIN_RE = r"[A-Za-z\u00c0-\u024f]"
_OTHER_RE = rf"[^\W\d_A-Za-z\u00c0-\u024f{CJK}]"
DATA = Path(__file__).resolve().parent / "data"
_JIEBA_LOCK = threading.Lock()


def clean_texts(texts: pd.Series) -> pd.Series:
    """Texts as str with surrounding blanks removed; missing values become ""."""
    return texts.astype("object").where(texts.notna(), "").astype(str).str.strip()


def detect_language(texts: pd.Series) -> pd.Series:
    """ "en", "zh", "other" (letters of another script) or "none" (empty or no letters) per text."""
    clean = clean_texts(texts)
    cjk = clean.str.count(_CJK_RE).to_numpy(float)
    latin = clean.str.count(_LATIN_RE).to_numpy(float)
    other = clean.str.count(_OTHER_RE).to_numpy(float)
    letters = cjk + latin + other
    with np.errstate(invalid="ignore", divide="ignore"):
        zh = (cjk > 0) & (cjk >= ZH_SHARE * letters)
        en = ~zh & (latin > 0) & (latin >= other)
    result = np.where(zh, "zh", np.where(en, "en", np.where(letters > 0, "other", "none")))
    return pd.Series(result, index=texts.index, dtype="str")


def load_words(name: str) -> dict[str, float]:
    """A word list of core/voc/data: word -> weight (1.0 when the line has none); # starts a comment."""
    words: dict[str, float] = {}
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        words[parts[0].lower()] = float(parts[1]) if len(parts) > 1 else 1.0
    return words


@cache
def _jieba():  # noqa: ANN202 - the jieba module
    """jieba, initialised once and quietly (its dictionary ships with the package)."""
    import logging

    import jieba

    with _JIEBA_LOCK:
        jieba.setLogLevel(logging.ERROR)
        jieba.initialize()
    return jieba


_EN_TOKEN = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")
_ZH_TOKEN = re.compile(rf"^[{CJK}]+$|^[a-z][a-z'\-]*$")


def tokens(text: str, language: str) -> list[str]:
    """Words of a text, lower-cased: jieba for Chinese (Latin words kept), a word regex otherwise."""
    text = text.lower()
    if language == "zh":
        return [w for w in _jieba().lcut(text, HMM=False) if _ZH_TOKEN.match(w)]
    return _EN_TOKEN.findall(text)


def _lines(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            rows.append(parts)
    return rows


@cache
def load_word_set(name: str) -> frozenset[str]:
    """Every whitespace-separated word of a list in core/voc/data (# starts a comment)."""
    return frozenset(word.lower() for row in _lines(name) for word in row)


@cache
def load_mapping(name: str) -> dict[str, str]:
    """A two-column list of core/voc/data as a dict (first word -> second word)."""
    return {row[0].lower(): row[1].lower() for row in _lines(name) if len(row) >= 2}


def language_counts(languages: pd.Series) -> dict[str, int]:
    """Texts per language in LANGUAGES order (zero counts included)."""
    counts = languages.value_counts()
    return {lang: int(counts.get(lang, 0)) for lang in LANGUAGES}


def text_notes(feedback: pd.DataFrame, languages: pd.Series) -> tuple[Problem, ...]:
    """Notes (severity "info") about the feedback's texts, most important first.

    "voc.no_text" (no comment at all: only scores can be shown), "voc.few_texts"
    (comments in fewer than MIN_TEXTS rows; param minimum), "voc.other_language" (some
    texts are neither English nor Chinese and get no sentiment), "voc.one_language" (all
    comments in one language: said so that nobody looks for the other). Each carries
    the counts en, zh and other.
    """
    counts = language_counts(languages)
    written = counts["en"] + counts["zh"] + counts["other"]
    found = {"en": counts["en"], "zh": counts["zh"], "other": counts["other"]}
    if "text" not in feedback or written == 0:
        return (problem("voc.no_text", "info", **found),)
    notes = []
    if written < MIN_TEXTS:
        notes.append(problem("voc.few_texts", "info", minimum=MIN_TEXTS, **found))
    if counts["other"]:
        notes.append(problem("voc.other_language", "info", **found))
    if (counts["en"] == 0) != (counts["zh"] == 0):
        notes.append(problem("voc.one_language", "info", **found))
    return tuple(notes)
