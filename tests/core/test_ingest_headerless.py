"""Files without a header line: the first row is data when it looks like the rows below it.

The UCI "Sentiment Labelled Sentences" shape (a sentence, a tab, 0/1 on each line; no
header) is generated here line for line; ordinary headers, the project's shipped files
and typical header rows must stay headers. Both readers (whole file and streamed)
follow one decision, and a feedback file's 0/1 column is found as the sentiment label.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.ingest import (
    StreamSource,
    build_table,
    detect_header,
    guess_mapping,
    ingest_file,
    open_stream,
    read_raw,
)
from core.ingest.header import first_row_is_header
from core.ingest.read import quotes_are_text
from tests.core.test_ingest_chunks import assert_same, check_all_ways

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "sample_data").glob("*.csv")) + sorted(
    (ROOT / "tests" / "core" / "data").rglob("*.csv")
)

SENTENCES = [
    ("So there is no way for me to plug it in here in the US unless I go by a converter.", 0),
    ("Good case, Excellent value.", 1),
    ("Great for the jawbone.", 1),
    ("Tied to charger for conversations lasting more than 45 minutes. MAJOR PROBLEMS!!", 0),
    ("The mic is great.", 1),
    ("I have to jiggle the plug to get it to line up right to get decent volume.", 0),
    ("If you have several dozen or several hundred contacts, then imagine the fun.", 0),
    ("If you are Razr owner...you must have this!", 1),
    ("Needless to say, I wasted my money.", 0),
    ("What a waste of money and time!.", 0),
]


def labelled(rows=SENTENCES, repeat: int = 1) -> bytes:
    """Sentence<TAB>label lines, no header: the UCI sentiment files' shape."""
    return "".join(f"{text}\t{label}\n" for text, label in rows * repeat).encode()


# ---------------------------------------------------------------------------------------------
# Detection: no header


@pytest.mark.parametrize(
    ("data", "first"),
    [
        pytest.param(labelled(), SENTENCES[0][0], id="uci-sentence-tab-label"),
        pytest.param(
            b"Wow... Loved this place.\t1\nCrust is not good.\t0\nNot tasty at all.\t0\n"
            b"Stopped by during the late May bank holiday.\t1\n",
            "Wow... Loved this place.",
            id="short-first-sentence-0-1-label",
        ),
        pytest.param(
            "1,商务大床房，房间很大，床有2M宽，整体感觉经济实惠不错!\n"
            "0,早餐太差，无论去多少人，那边也不加食品的。\n"
            "1,宾馆在小街道上，不大好找，但还好北京热心同胞很多\n".encode(),
            "1",
            id="chinese-label-then-review",
        ),
        pytest.param(
            b"536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n"
            b"536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850,United Kingdom\n"
            b"536366,22633,HAND WARMER UNION JACK,6,12/1/2010 8:28,1.85,17850,United Kingdom\n"
            b"536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,12/1/2010 8:34,1.69,13047,United Kingdom\n",
            "536365",
            id="transactions-export-without-header",
        ),
        pytest.param(
            b"C001,2024-01-05,10.50\nC002,2024-01-06,20.00\nC003,2024-01-07,7.25\n",
            "C001",
            id="id-date-amount",
        ),
        pytest.param(
            b"ana@example.com,2024-03-01\nbo@example.org,2024-03-02\ncy@example.net,2024-03-04\n",
            "ana@example.com",
            id="emails-and-dates",
        ),
    ],
)
def test_a_first_row_like_the_rows_below_is_data(data, first):
    assert detect_header(data, "reviews.txt") is False
    raw = read_raw(data, "reviews.txt")
    assert raw.problem is None
    assert raw.info.header is False
    n_lines = data.decode().count("\n")
    assert raw.rows_read == len(raw.frame) == n_lines  # the first row is counted and kept
    assert list(raw.frame.columns) == [f"Column {i + 1}" for i in range(raw.frame.shape[1])]
    assert raw.frame.iloc[0, 0] == first
    # Row numbers as a spreadsheet shows the file: the first row is row 1.
    assert raw.spreadsheet_rows(np.array([0, n_lines - 1])).tolist() == [1, n_lines]


def test_the_uci_shape_reads_every_line_with_its_label():
    data = labelled(repeat=100)
    raw = read_raw(data, "amazon_cells_labelled.txt")
    assert raw.info.delimiter == "\t" and raw.info.header is False
    assert raw.rows_read == 1000 and not raw.ragged_lines
    assert raw.frame["Column 2"].value_counts().to_dict() == {"0": 600, "1": 400}


def test_a_headerless_workbook(make_xlsx):
    data = make_xlsx({"Reviews": [[text, label] for text, label in SENTENCES]})
    assert detect_header(data, "reviews.xlsx") is False
    raw = read_raw(data, "reviews.xlsx")
    assert raw.info.header is False
    assert list(raw.frame.columns) == ["Column 1", "Column 2"]
    assert raw.frame["Column 1"].tolist() == [text for text, _ in SENTENCES]
    assert raw.frame["Column 2"].tolist() == [str(label) for _, label in SENTENCES]
    assert raw.spreadsheet_rows(np.array([0])).tolist() == [1]


# ---------------------------------------------------------------------------------------------
# Detection: headers stay headers


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_file_keeps_its_header(path):
    data = path.read_bytes()
    assert detect_header(data, path.name) is True
    raw = read_raw(data, path.name)
    assert raw.info.header is True
    pd.testing.assert_frame_equal(raw.frame, read_raw(data, path.name, header=True).frame)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Customer ID,金额,2024 sales\nC001,12.50,300\nC002,8.00,120\n", id="mixed"),
        pytest.param("客户ID,订单日期,金额\nC001,2024-03-05,1234\nC002,2024-03-06,88\n", id="zh"),
        pytest.param("customer_id,order_date,amount\n1,2024-01-05,10\n2,2024-01-06,0\n", id="tx"),
        pytest.param(
            "Region,2022,2023,2024\nNorth,1200.5,1300,1450.25\nSouth,900,950.75,1010\n",
            id="pivot-years",
        ),
        pytest.param("1,2,3\n0.5,1.5,2.5\n3.5,4.5,5.5\n", id="numbered-columns"),
        pytest.param(
            "segment,converted\n" + "".join(f"{a},{c}\n" for a, c in [("A", 0), ("B", 1)] * 5),
            id="word-over-0-1",
        ),
        pytest.param(
            "label,review\n1,房间很大，床有2M宽，整体感觉经济实惠不错!\n0,早餐太差。\n", id="label"
        ),
        pytest.param(
            "Region,Sales\n" + "".join(f"{r},{i}\n" for i, r in enumerate(["North", "South"] * 5)),
            id="category-name",
        ),
        pytest.param(
            "What could we do better? Please tell us in your own words\n"
            "The delivery was late and the box was damaged when it arrived\n"
            "Nothing really, the staff were friendly and the food was good\n",
            id="survey-question",
        ),
        pytest.param(
            "customer_id,amount\nC1,10\nC2,12\ncustomer_id,amount\nC3,5\n",
            id="header-repeated-in-joined-export",
        ),
        pytest.param("name,email\nAna Lima,ana@example.com\nBo Chen,bo@example.org\n", id="people"),
        pytest.param("comment\nGreat product, would buy again\nArrived late\n", id="one-column"),
        pytest.param("date,rating,comment\n2024-01-02,5,Loved it\n2024-01-03,2,Meh\n", id="voc"),
    ],
)
def test_typical_headers_stay_headers(text):
    data = text.encode()
    assert detect_header(data, "file.csv") is True
    raw = read_raw(data, "file.csv")
    assert raw.info.header is True
    assert list(raw.frame.columns) == text.split("\n")[0].split(",")


def test_a_header_only_file_is_still_a_header():
    assert first_row_is_header([["customer_id", "amount"]])
    assert read_raw(b"customer_id,amount\n", "x.csv").problem.key == "ingest.header_only"


# ---------------------------------------------------------------------------------------------
# The user's choice overrides the detection


def test_the_choice_overrides_the_detection():
    data = labelled()
    as_header = read_raw(data, "x.txt", header=True)
    assert as_header.info.header is True
    assert as_header.rows_read == len(SENTENCES) - 1  # the old reading: one review lost
    assert list(as_header.frame.columns) == [SENTENCES[0][0], "0"]

    headed = b"customer_id,amount\nC1,10\nC2,12\n"
    as_data = read_raw(headed, "x.csv", header=False)
    assert as_data.rows_read == 3
    assert as_data.frame["Column 1"].tolist() == ["customer_id", "C1", "C2"]
    # The setting is part of the data's identity (caches, fingerprints).
    assert as_data.source_digest != read_raw(headed, "x.csv").source_digest


# ---------------------------------------------------------------------------------------------
# The streamed reader follows the same decision


@pytest.mark.parametrize("header", [None, True, False])
def test_streamed_rows_equal_the_whole_file(header):
    data = labelled(repeat=30)
    raw = read_raw(data, "x.txt", header=header)
    stream = open_stream(data, "x.txt", header=header, block_bytes=512)
    assert isinstance(stream, StreamSource)
    assert stream.info.header == raw.info.header
    assert stream.columns == list(raw.frame.columns)
    chunks = list(stream.chunks())
    assert len(chunks) > 1
    frame = pd.concat(chunks, ignore_index=True).astype(object)
    pd.testing.assert_frame_equal(frame, raw.frame.astype(object))
    positions = np.arange(len(frame))
    assert stream.spreadsheet_rows(positions).tolist() == raw.spreadsheet_rows(positions).tolist()


def test_streamed_build_equals_the_whole_file_build():
    data = labelled(repeat=30)
    one = check_all_ways(data, "feedback", block_bytes=512)
    assert one.report.rows_read == one.report.rows_kept == 300


def test_streamed_transactions_without_header_with_a_blank_and_a_ragged_line():
    lines = [f"C{i % 7:03d},2024-01-{i % 28 + 1:02d},{i}.50" for i in range(60)]
    lines[10] = ""
    lines[20] = "C009,2024-01-05"
    data = ("\n".join(lines) + "\n").encode()
    assert read_raw(data, "x.csv").info.header is False
    one = check_all_ways(data, "transactions", block_bytes=200)
    assert one.report.rows_read == 59  # 58 rows and one ragged line; the blank line is not a row
    raw = read_raw(data, "x.csv")
    assert raw.ragged_row_numbers == (21,)
    assert raw.spreadsheet_rows(np.array([0, 10])).tolist() == [1, 12]


# ---------------------------------------------------------------------------------------------
# Quotation marks inside sentences


IMDB_LIKE = (
    'This is a very "right on case" movie that delivers everything.  \t1\n'
    'It is practically perfect, a true masterpiece in a sea of faux "masterpieces.  \t1\n'
    '" The structure of this film is easily the most tightly constructed in cinema.  \t1\n'
    "A very, very, very slow-moving, aimless movie about a drifting young man.  \t0\n"
    'I cannot believe that the actors agreed to do this "film".  \t0\n'
    "\"You'll love it!  \t1\n"
    "Not sure who was more lost - the flat characters or the audience.  \t0\n"
)


def test_quotes_inside_sentences_do_not_join_lines():
    data = IMDB_LIKE.encode()
    raw = read_raw(data, "imdb_labelled.txt")
    assert raw.info.quotes_as_text and raw.info.header is False
    assert raw.rows_read == len(raw.frame) == 7 and not raw.ragged_lines
    assert raw.frame["Column 1"].iloc[2].startswith('" The structure')
    assert raw.frame["Column 2"].tolist() == ["1", "1", "1", "0", "0", "1", "0"]
    result = ingest_file(data, "imdb_labelled.txt", "feedback")
    assert result.report.rows_read == result.report.rows_kept == 7


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('id,comment,score\n1,"Hello\nyes, I agree",5\n2,"Fine",4\n', id="multi-line"),
        pytest.param('name,score\n"Smith, John",5\n"Lee, Ann",4\n', id="quoted-delimiter"),
        pytest.param('"a","b"\n"x","y"\n"He said ""hi""","z"\n', id="quote-all"),
    ],
)
def test_real_csv_quoting_is_kept(text):
    assert not quotes_are_text(text, ",", whole=True)
    raw = read_raw(text.encode(), "x.csv")
    assert not raw.info.quotes_as_text
    assert raw.rows_read == 2


# ---------------------------------------------------------------------------------------------
# Mapping: the 0/1 column of a feedback file is the sentiment label


def test_a_headerless_labelled_file_maps_text_and_sentiment_label():
    data = labelled(repeat=3)
    raw = read_raw(data, "yelp_labelled.txt")
    guess = guess_mapping(raw.frame, "feedback")
    found = {name: col for name, col in guess.columns.items() if col}
    assert found == {"text": "Column 1", "sentiment_label": "Column 2"}
    assert guess.matched_by == {"text": "content", "sentiment_label": "content"}
    result = build_table(raw, "feedback", guess.columns)
    assert result.report.rows_read == result.report.rows_kept == 30
    labels = result.table["sentiment_label"]
    assert labels.tolist() == [float(label) for _, label in SENTENCES * 3]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(["positive", "negative", "positive"], "Column 2", id="positive-negative"),
        pytest.param(["正面", "负面", "正面"], "Column 2", id="zh-正面-负面"),
        pytest.param(["好评", "差评", "差评"], "Column 2", id="zh-好评-差评"),
        pytest.param(["1", "0", ""], "Column 2", id="0-1-with-a-blank"),
        pytest.param(["yes", "no", "yes"], None, id="yes-no-is-not-a-sentiment"),
        pytest.param(["1", "1", "1"], None, id="one-label-only"),
        pytest.param(["1", "0", "2"], None, id="not-all-flags"),
    ],
)
def test_sentiment_label_by_content(values, expected):
    texts = [text for text, _ in SENTENCES[:3]]
    frame = pd.DataFrame({"Column 1": texts, "Column 2": values}, dtype=str)
    assert guess_mapping(frame, "feedback").columns["sentiment_label"] == expected


def test_a_header_naming_something_else_is_not_the_label():
    texts = [text for text, _ in SENTENCES[:4]]
    frame = pd.DataFrame(
        {"comment": texts, "verified": ["1", "0", "1", "0"], "Column 3": ["0", "1", "1", "0"]},
        dtype=str,
    )
    guess = guess_mapping(frame, "feedback")
    # "verified" is not a sentiment: the unnamed 0/1 column is taken instead.
    assert guess.columns["sentiment_label"] == "Column 3"
    named = frame.rename(columns={"Column 3": "polarity"})
    assert guess_mapping(named, "feedback").matched_by["sentiment_label"] == "name"


def test_ingest_file_equals_read_guess_build_for_a_headerless_file():
    data = labelled(repeat=5)
    raw = read_raw(data, "x.txt")
    mapping = guess_mapping(raw.frame, "feedback").columns
    assert_same(build_table(raw, "feedback", mapping), ingest_file(data, "x.txt", "feedback"))
