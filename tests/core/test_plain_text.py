"""`ui.common.plain`: user text shown through Markdown stays text, never a link, image or format.

Escaping Markdown is not enough: Streamlit's Markdown renderer (remark-gfm) turns URLs
and e-mail addresses into links after parsing, by running regular expressions over the
unescaped text. These tests take those expressions from the Streamlit build installed
in the venv, so a Streamlit upgrade that changes them fails here rather than in a browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit

from ui.common import plain

JOINER = "\u2060"
_BUNDLE = Path(streamlit.__file__).parent / "static" / "static" / "js"


def _gfm_autolink_patterns() -> list[re.Pattern[str]]:
    """The URL and e-mail expressions of the installed frontend's autolink-literal transform."""
    sources = "".join(p.read_text(encoding="utf-8") for p in _BUNDLE.glob("StreamlitMarkdown*.js"))
    url = re.search(r"/(\(https\?:\\/\\/\|www\(\?=\\\.\)\)[^/]*?)/gi", sources)
    email = re.search(r"/\(\?<=[^/]*?\)(\(\[-\.\\w\+\]\+\)@[^/]*?)/gu", sources)
    assert url and email, "Streamlit's autolink-literal transform changed: check plain() again"
    # JavaScript's \w is ASCII-only (re.ASCII); the e-mail expression's look-behind
    # (start, space or punctuation before the name) is left out, so it matches more.
    return [
        re.compile(url.group(1), re.IGNORECASE | re.ASCII),
        re.compile(email.group(1), re.ASCII),
    ]


PATTERNS = _gfm_autolink_patterns()


def shown_text(markdown: str) -> str:
    """The text a Markdown text node holds once backslash escapes are read (CommonMark 2.4)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def autolinks(markdown: str) -> list[str]:
    """What remark-gfm would make a link of in this Markdown text."""
    text = shown_text(markdown)
    return [m.group(0) for pattern in PATTERNS for m in pattern.finditer(text)]


HOSTILE = [
    "https://evil.example/login?next=/account",
    "HTTP://EVIL.EXAMPLE",
    "see www.evil.example now",
    "WWW.Evil.Example",
    "write to refunds@evil.example please",
    "mailto:boss@corp.example",
    "[click](https://evil.example) ![x](https://evil.example/a.png)",
    "<https://evil.example> <a href='https://evil.example'>x</a>",
    "Tea :smile: :material/home: :red[alarm] $x^2$",
    "Café crème http://shop.example/绿茶 zhang.san@gongsi.example",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_the_autolink_patterns_find_the_raw_text_but_nothing_once_plain(text):
    if "@" in text or "http" in text.lower() or "www" in text.lower():
        assert autolinks(text), "the extracted patterns should catch the raw text"
    assert autolinks(plain(text)) == []


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_plain_text_reads_the_same(text):
    assert shown_text(plain(text)).replace(JOINER, "") == text


def test_no_markdown_syntax_survives():
    out = plain("[click](https://x.example) **bold** <b>x</b> # h")
    for raw in ("[", "](", "**", "<b>", "# "):
        assert raw not in out.replace("\\" + raw[0], "")
    assert ":" + JOINER in plain(":smile:")  # the emoji and icon shortcodes are broken too


def test_ordinary_text_is_unchanged_but_for_escapes():
    assert plain("Green tea 绿茶 42") == "Green tea 绿茶 42"
    assert plain("a.b") == "a\\.b"
