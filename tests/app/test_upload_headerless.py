"""Upload page: a file without a header line is read with its first row as data, and says so.

A labelled-review file of the UCI "Sentiment Labelled Sentences" shape (a sentence, a
tab and 0/1 on each line, no header; generated here) loads with every row, its columns
named Column 1 and Column 2 and mapped to the comment and its sentiment label. The
"The first row holds column names" box under File settings shows the decision and
changes it.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.format import fmt_count
from core.i18n import EN, ZH
from tests.app.apptest import upload_file

CATALOGS = {"en": EN, "zh": ZH}

REVIEWS = [
    ("So there is no way for me to plug it in here in the US unless I go by a converter.", 0),
    ("Good case, Excellent value.", 1),
    ("Great for the jawbone.", 1),
    ("Tied to charger for conversations lasting more than 45 minutes. MAJOR PROBLEMS!!", 0),
    ("The mic is great.", 1),
    ("I have to jiggle the plug to get it to line up right to get decent volume.", 0),
    ("Needless to say, I wasted my money.", 0),
    ("And the sound quality is great.", 1),
]
HEADERLESS = "".join(f"{text}\t{label}\n" for text, label in REVIEWS * 3).encode()
N_ROWS = len(REVIEWS) * 3


@pytest.fixture(autouse=True)
def _widget_language(monkeypatch, request):
    """Format choices in the test's language on the test's side too (as test_upload_policies)."""
    params = getattr(request.node, "callspec", None)
    lang = params.params.get("lang", "en") if params else "en"
    monkeypatch.setattr("ui.common.lang", lambda: lang)


def _header_box(at: AppTest):
    return next(c for c in at.checkbox if c.key and c.key.startswith("header_feedback_"))


def _box(at: AppTest, field: str):
    return next(s for s in at.selectbox if s.key and s.key.startswith(f"map_feedback_{field}_"))


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_headerless_labelled_file_loads_every_row(lang):
    catalog = CATALOGS[lang]
    at = upload_file("feedback", "amazon_cells_labelled.txt", HEADERLESS, lang, "text/plain")
    box = _header_box(at)
    assert box.label == catalog["upload.header_row"]
    assert box.value is False  # detected: the first row is a review
    captions = _captions(at)
    read = catalog["upload.read_summary"].format(rows=fmt_count(N_ROWS), columns=2)
    assert read in captions, captions
    assert catalog["upload.no_header"] in captions
    assert _box(at, "text").value == "Column 1"
    assert _box(at, "sentiment_label").value == "Column 2"
    assert not at.error, [e.value for e in at.error]
    next(b for b in at.button if b.label == catalog["upload.use_file"]).click().run()
    assert not at.exception, at.exception
    loaded = at.session_state["tables"]["feedback"]
    assert (loaded.report.rows_read, loaded.report.rows_kept) == (N_ROWS, N_ROWS)
    assert loaded.table["text"].iloc[0] == REVIEWS[0][0]  # the first row is a review, kept
    assert loaded.table["sentiment_label"].tolist() == [float(y) for _, y in REVIEWS * 3]
    message = catalog["upload.loaded"].format(
        kept=fmt_count(N_ROWS), read=fmt_count(N_ROWS), aside="0"
    )
    assert any(s.value == message for s in at.success), [s.value for s in at.success]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ticking_the_box_reads_the_first_row_as_names(lang):
    catalog = CATALOGS[lang]
    at = upload_file("feedback", "amazon_cells_labelled.txt", HEADERLESS, lang, "text/plain")
    _header_box(at).check().run()
    assert not at.exception, at.exception
    assert _header_box(at).value is True
    captions = _captions(at)
    read = catalog["upload.read_summary"].format(rows=fmt_count(N_ROWS - 1), columns=2)
    assert read in captions, captions
    assert catalog["upload.no_header"] not in captions
    # The first review is now a column name, as before this was detected.
    assert REVIEWS[0][0] in _box(at, "text").options


def test_a_file_with_a_header_keeps_it_and_says_nothing():
    data = "comment,label\n" + "".join(f'"{text}",{label}\n' for text, label in REVIEWS)
    at = upload_file("feedback", "reviews.csv", data.encode(), "en", "text/plain")
    assert _header_box(at).value is True
    captions = _captions(at)
    assert EN["upload.no_header"] not in captions
    assert EN["upload.read_summary"].format(rows=fmt_count(len(REVIEWS)), columns=2) in captions
    assert _box(at, "text").value == "comment"
    assert _box(at, "sentiment_label").value == "label"
    # Unticking reads the header line as a row of data.
    _header_box(at).uncheck().run()
    assert not at.exception, at.exception
    read = EN["upload.read_summary"].format(rows=fmt_count(len(REVIEWS) + 1), columns=2)
    assert read in _captions(at)
    assert EN["upload.no_header"] not in _captions(at)  # the user's choice, not a finding
