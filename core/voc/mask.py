"""Masking of personal data in verbatims: e-mail addresses and phone numbers."""

from __future__ import annotations

import re

import pandas as pd

EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# A phone number: an optional +country code, then at least 7 digits in groups separated by
# spaces, dots or dashes (and optional brackets). Plain short numbers ("20%", "3 days") stay.
PHONE = re.compile(r"(?:\+\d{1,3}[\s.\-]?)?(?:\(?\d{2,5}\)?[\s.\-]?){2,5}\d{2,5}")
DATE = re.compile(r"\d{4}[\-./]\d{1,2}[\-./]\d{1,2}|\d{1,2}[\-./]\d{1,2}[\-./]\d{4}")
EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"


def _phone(match: re.Match[str]) -> str:
    text = match.group()
    if DATE.fullmatch(text.strip()):
        return text
    return PHONE_MASK if sum(ch.isdigit() for ch in text) >= 7 else text


def mask_text(text: str) -> str:
    """The text with e-mail addresses and phone numbers (7+ digits) replaced by placeholders."""
    return PHONE.sub(_phone, EMAIL.sub(EMAIL_MASK, text))


def mask_texts(texts: pd.Series) -> pd.Series:
    """`mask_text` on every text (missing values stay missing)."""
    return texts.map(mask_text, na_action="ignore")


def count_personal_data(texts: pd.Series) -> int:
    """How many texts contain an e-mail address or a phone number."""
    clean = texts.dropna().astype(str)
    return int((clean != clean.map(mask_text)).sum())
