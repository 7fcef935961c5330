"""core.ingest.mapping: columns found by English and Chinese names, and by content."""

from __future__ import annotations

import pandas as pd
import pytest

from core.ingest import guess_mapping, missing_required
from core.schema import is_control_name


def _frame(columns: list[str], rows: list[list[str]] | None = None) -> pd.DataFrame:
    return pd.DataFrame(rows or [[""] * len(columns)], columns=columns, dtype=str)


def _found(columns: list[str], kind="transactions", rows=None) -> dict[str, str]:
    guess = guess_mapping(_frame(columns, rows), kind)
    return {name: col for name, col in guess.columns.items() if col}


@pytest.mark.parametrize(
    ("kind", "columns", "expected"),
    [
        pytest.param(
            "transactions",
            [
                "order_id",
                "customer_id",
                "order_date",
                "product",
                "category",
                "quantity",
                "amount",
                "discount",
                "channel",
                "region",
            ],
            {
                "order_id": "order_id",
                "customer_id": "customer_id",
                "order_date": "order_date",
                "product": "product",
                "category": "category",
                "quantity": "quantity",
                "amount": "amount",
                "discount": "discount",
                "channel": "channel",
                "region": "region",
            },
            id="transactions-canonical",
        ),
        pytest.param(
            "transactions",
            [
                "客户ID",
                "订单日期",
                "金额",
                "订单号",
                "数量",
                "单价",
                "商品名称",
                "类别",
                "渠道",
                "地区",
                "折扣",
                "订单状态",
            ],
            {
                "customer_id": "客户ID",
                "order_date": "订单日期",
                "amount": "金额",
                "order_id": "订单号",
                "quantity": "数量",
                "unit_price": "单价",
                "product": "商品名称",
                "category": "类别",
                "channel": "渠道",
                "region": "地区",
                "discount": "折扣",
                "status": "订单状态",
            },
            id="transactions-chinese",
        ),
        pytest.param(
            "transactions",
            # A synonym of two or more Chinese characters inside a longer header counts (score 2).
            ["会员编号", "下单时间", "实付金额", "订单编号", "购买数量", "商品单价", "商品"],
            {
                "customer_id": "会员编号",
                "order_date": "下单时间",
                "amount": "实付金额",
                "order_id": "订单编号",
                "quantity": "购买数量",
                "unit_price": "商品单价",
                "product": "商品",
            },
            id="transactions-chinese-shop-export",
        ),
        pytest.param(
            "transactions",
            ["Customer_ID ", "ORDER-DATE", "Total Amount ($)", "order.no", "  Qty  "],
            {
                "customer_id": "Customer_ID ",
                "order_date": "ORDER-DATE",
                "amount": "Total Amount ($)",
                "order_id": "order.no",
                "quantity": "  Qty  ",
            },
            id="odd-case-and-separators",
        ),
        pytest.param(
            "transactions",
            ["CustomerID", "InvoiceDate", "Sales"],
            {"customer_id": "CustomerID", "order_date": "InvoiceDate", "amount": "Sales"},
            id="squeezed-names",
        ),
        pytest.param(
            "customers",
            ["客户编号", "注册日期", "地区", "获客渠道", "年龄", "性别", "会员等级"],
            {
                "customer_id": "客户编号",
                "signup_date": "注册日期",
                "region": "地区",
                "channel": "获客渠道",
                "age": "年龄",
                "gender": "性别",
            },
            id="customers-chinese",
        ),
        pytest.param(
            "feedback",
            ["客户ID", "提交时间", "评分", "推荐度", "评论", "渠道"],
            {
                "customer_id": "客户ID",
                "date": "提交时间",
                "rating": "评分",
                "nps": "推荐度",
                "text": "评论",
                "channel": "渠道",
            },
            id="feedback-chinese",
        ),
        pytest.param(
            "feedback",
            ["Customer", "Submitted", "Stars", "Likelihood to recommend", "Comments"],
            {
                "customer_id": "Customer",
                "date": "Submitted",
                "rating": "Stars",
                "nps": "Likelihood to recommend",
                "text": "Comments",
            },
            id="feedback-english",
        ),
        pytest.param(
            "campaign",
            ["用户ID", "分组", "是否转化", "金额", "发送日期"],
            {
                "customer_id": "用户ID",
                "group": "分组",
                "converted": "是否转化",
                "revenue": "金额",
                "send_date": "发送日期",
            },
            id="campaign-chinese",
        ),
        pytest.param(
            "campaign",
            ["variant", "recipients", "conversions", "cost"],
            {
                "group": "variant",
                "recipients": "recipients",
                "conversions": "conversions",
                "cost": "cost",
            },
            id="campaign-aggregated",
        ),
    ],
)
def test_columns_found_by_name(kind, columns, expected):
    guess = guess_mapping(_frame(columns), kind)
    assert {name: col for name, col in guess.columns.items() if col} == expected
    assert set(guess.matched_by.values()) == {"name"}


def test_uci_online_retail_header():
    # The header of the UCI "Online Retail" data set (Chen, Sain & Guo 2012).
    columns = [
        "InvoiceNo",
        "StockCode",
        "Description",
        "Quantity",
        "InvoiceDate",
        "UnitPrice",
        "CustomerID",
        "Country",
    ]
    rows = [
        [
            "536365",
            "85123A",
            "WHITE HANGING HEART T-LIGHT HOLDER",
            "6",
            "12/1/2010 8:26",
            "2.55",
            "17850.0",
            "United Kingdom",
        ]
    ]
    guess = guess_mapping(_frame(columns, rows), "transactions")
    assert {name: col for name, col in guess.columns.items() if col} == {
        "order_id": "InvoiceNo",
        # Both "description" and "stockcode" are product synonyms; the one listed first wins.
        "product": "Description",
        "quantity": "Quantity",
        "order_date": "InvoiceDate",
        "unit_price": "UnitPrice",
        "customer_id": "CustomerID",
        "region": "Country",
    }
    # No amount column: the required group (amount or unit_price) is met by the unit price.
    assert guess.missing_required("transactions") == []


def test_product_tie_break_does_not_depend_on_column_order():
    columns = ["Description", "StockCode", "CustomerID", "InvoiceDate", "UnitPrice"]
    assert _found(columns)["product"] == "Description"


def test_exact_name_beats_a_name_inside_a_longer_header():
    # "ship date" contains the synonym "date", "order date" is one.
    assert _found(["ship date", "order date", "customer", "amount"])["order_date"] == "order date"


def test_one_column_is_never_used_twice():
    # "Order Date" also contains "order" (an order_id synonym): it goes to order_date only.
    found = _found(["Order Date", "Customer", "Amount"])
    assert found == {"order_date": "Order Date", "customer_id": "Customer", "amount": "Amount"}
    assert len(set(found.values())) == len(found)


def test_unknown_headers_map_to_nothing():
    guess = guess_mapping(
        _frame(["Name", "Note", "Phone"], [["Ann", "likes tea", "555"]]), "transactions"
    )
    assert all(col is None for col in guess.columns.values())
    assert guess.missing_required("transactions") == [
        ("customer_id",),
        ("order_date",),
        ("amount", "unit_price"),
    ]


def _content_rows(n: int = 20) -> list[list[str]]:
    # Customer ids repeat (five customers), dates are ISO, amounts have cents.
    return [[str(i), f"C{i % 5:03d}", f"2024-01-{i + 1:02d}", f"{i * 3}.50"] for i in range(n)]


def test_columns_found_by_content_when_headers_mean_nothing():
    guess = guess_mapping(_frame(["col1", "col2", "col3", "col4"], _content_rows()), "transactions")
    assert {name: col for name, col in guess.columns.items() if col} == {
        "customer_id": "col2",
        "order_date": "col3",
        "amount": "col4",
    }
    assert guess.matched_by == {
        "customer_id": "content",
        "order_date": "content",
        "amount": "content",
    }


def test_content_search_skips_columns_already_matched_by_name():
    rows = [[f"C{i % 5:03d}", f"{i}.25", f"2024-02-{i + 1:02d}"] for i in range(20)]
    guess = guess_mapping(_frame(["customer", "amount", "x"], rows), "transactions")
    assert guess.columns["order_date"] == "x"
    assert guess.matched_by == {"customer_id": "name", "amount": "name", "order_date": "content"}


def test_plain_integers_are_not_taken_for_dates_or_money():
    # Whole numbers could be amounts, quantities or serial dates: content alone cannot tell.
    rows = [[f"C{i % 5:03d}", str(i * 7 + 10)] for i in range(20)]
    guess = guess_mapping(_frame(["who", "n"], rows), "transactions")
    assert guess.columns["order_date"] is None
    assert guess.columns["amount"] is None


def test_feedback_text_found_by_content():
    rows = [
        ["5", "The parcel arrived two days late and damaged"],
        ["4", "很满意，物流很快，包装也很好"],
    ] * 5
    guess = guess_mapping(_frame(["a", "b"], rows), "feedback")
    assert guess.columns["text"] == "b"
    assert guess.matched_by["text"] == "content"


@pytest.mark.parametrize(
    ("kind", "mapping", "missing"),
    [
        pytest.param(
            "transactions",
            {"customer_id": "c", "order_date": "d", "unit_price": "p"},
            [],
            id="price-satisfies-amount",
        ),
        pytest.param(
            "transactions",
            {"customer_id": "c"},
            [("order_date",), ("amount", "unit_price")],
            id="two-groups-missing",
        ),
        pytest.param("feedback", {"nps": "n"}, [], id="feedback-score-only"),
        pytest.param(
            "feedback",
            {"customer_id": "c"},
            [("text", "rating", "nps", "csat")],
            id="feedback-nothing",
        ),
        pytest.param(
            "campaign",
            {"recipients": "r", "group": "g", "conversions": "k"},
            [],
            id="campaign-aggregated",
        ),
        pytest.param(
            "campaign",
            {"customer_id": "c", "group": None},
            [("group",)],
            id="campaign-none-values",
        ),
        pytest.param("campaign", {"group": "g"}, [], id="campaign-group-only"),
    ],
)
def test_missing_required(kind, mapping, missing):
    assert missing_required(kind, mapping) == missing


def test_email_platform_exports_use_the_address_as_customer_id():
    # Mailchimp/Klaviyo exports identify people by e-mail; "Member Rating" must not win.
    frame = _frame(
        ["Email Address", "Member Rating", "OPTIN_TIME"], [["a@x.com", "2", "2024-01-01"]]
    )
    assert guess_mapping(frame, "campaign").columns["customer_id"] == "Email Address"


# ---------------------------------------------------------------------------------------------
# Mapping that doesn't lay traps: name evidence beats content, other periods are not outcomes

HILLSTROM = [
    "recency",
    "history_segment",
    "history",
    "mens",
    "womens",
    "zip_code",
    "newbie",
    "channel",
    "segment",
    "visit",
    "conversion",
    "spend",
]
HILLSTROM_ROWS = [
    ["10", "2) $100 - $200", "142.44", "1", "0", "Surburban", "0", "Phone", "Womens E-Mail"]
    + ["0", "0", "0"],
    ["6", "3) $200 - $350", "329.08", "1", "1", "Rural", "1", "Web", "No E-Mail", "0", "0", "0"],
    ["7", "2) $100 - $200", "180.65", "0", "1", "Surburban", "1", "Web", "Mens E-Mail"]
    + ["1", "1", "29.99"],
    ["9", "5) $500 - $750", "675.83", "1", "0", "Rural", "1", "Web", "Womens E-Mail"]
    + ["0", "0", "0"],
]


def test_hillstrom_header_maps_spend_conversion_history_and_the_arm():
    # Kevin Hillstrom's MineThatData e-mail test: "history" is last year's spend (the
    # CUPED covariate), "spend" the outcome revenue, and the arm column is "segment".
    guess = guess_mapping(_frame(HILLSTROM, HILLSTROM_ROWS), "campaign")
    columns = guess.columns
    assert columns["revenue"] == "spend"
    assert columns["converted"] == "conversion"
    assert columns["pre_period_spend"] == "history"
    assert columns["cost"] is None
    assert columns["group"] == "segment"
    assert guess.matched_by["group"] == "content"
    assert columns["segment"] != "segment"  # the arm column is not also the segment
    assert columns["customer_id"] is None
    assert guess.missing_required("campaign") == []


def test_cookie_cats_header():
    rows = [["116", "gate_30", "3", "FALSE", "FALSE"], ["337", "gate_40", "38", "TRUE", "FALSE"]]
    columns = guess_mapping(
        _frame(["userid", "version", "sum_gamerounds", "retention_1", "retention_7"], rows),
        "campaign",
    ).columns
    assert columns["customer_id"] == "userid"
    assert columns["group"] == "version"
    assert columns["converted"] == "retention_1"
    assert columns["revenue"] is None


@pytest.mark.parametrize(
    "header",
    [
        "version",
        "Variant",
        "arm",
        "treatment",
        "bucket",
        "test group",
        "test_group",
        "experiment",
        "Experiment Group",
        "版本",
        "分组",
        "实验组",
        "组别",
    ],
)
def test_group_synonyms(header):
    assert guess_mapping(_frame([header, "converted"]), "campaign").columns["group"] == header


@pytest.mark.parametrize(
    ("kind", "header", "field"),
    [
        ("campaign", "history", "revenue"),
        ("campaign", "prev_revenue", "revenue"),
        ("campaign", "previous_sales", "revenue"),
        ("campaign", "pre_period_revenue", "revenue"),
        ("campaign", "prior_conversion", "converted"),
        ("campaign", "last_year_revenue", "revenue"),
        ("campaign", "ly_sales", "revenue"),
        ("campaign", "历史消费金额", "revenue"),
        ("campaign", "上期收入", "revenue"),
        ("campaign", "去年销售额", "revenue"),
        ("campaign", "cost", "revenue"),
        ("campaign", "spend_cost", "revenue"),
        ("transactions", "total_cost", "amount"),
        ("transactions", "prev_amount", "amount"),
        ("transactions", "cost_price", "unit_price"),
        ("transactions", "成本金额", "amount"),
    ],
)
def test_a_header_naming_something_else_is_never_the_outcome(kind, header, field):
    rows = [["A1", "12.50"], ["A2", "8.99"], ["A3", "0.00"]]
    assert guess_mapping(_frame(["who", header], rows), kind).columns[field] is None


def test_pre_period_numbers_go_to_the_covariate_not_the_revenue():
    rows = [["control", "12.50", "0"], ["variant", "80.10", "1"]]
    columns = guess_mapping(_frame(["group", "prev_spend", "bought"], rows), "campaign").columns
    assert columns["pre_period_spend"] == "prev_spend"
    assert columns["revenue"] is None
    # Text of an earlier period is not a covariate.
    rows = [["control", "1) $0 - $100"], ["variant", "2) $100 - $200"]]
    columns = guess_mapping(_frame(["group", "history_segment"], rows), "campaign").columns
    assert columns["pre_period_spend"] is None


@pytest.mark.parametrize(
    ("values", "found"),
    [
        (["Mens E-Mail", "No E-Mail", "Womens E-Mail"], True),
        (["control", "variant_a", "variant_b"], True),
        (["Holdout", "Promo"], True),
        (["对照组", "实验组A"], True),
        (["baseline", "new_layout"], True),
        (["A", "B"], False),  # no control name: the user picks the group
        (["control"], False),  # one value is not a comparison
        ([f"control {i}" for i in range(9)], False),  # more than 8 values: not arms
    ],
)
def test_arm_column_found_by_its_control_name(values, found):
    rows = [[v, str(i % 2)] for i, v in enumerate(values * 3)]
    guess = guess_mapping(_frame(["segment", "converted"], rows), "campaign")
    assert (guess.columns["group"] == "segment") is found
    if not found:
        assert guess.columns["segment"] == "segment"


@pytest.mark.parametrize(
    ("name", "is_control"),
    [
        ("Control", True),
        ("control_group", True),
        ("CTRL", True),
        ("holdout", True),
        ("Hold-out", True),
        ("No E-Mail", True),
        ("no_email", True),
        ("No mail", True),
        ("None", True),
        ("Baseline", True),
        ("original", True),
        ("对照", True),
        ("对照组", True),
        ("空白组", True),
        ("control 2", True),
        ("Mens E-Mail", False),
        ("variant_a", False),
        ("controlled rollout", False),
        ("", False),
        (None, False),
        (float("nan"), False),
    ],
)
def test_is_control_name(name, is_control):
    assert is_control_name(name) is is_control


def test_an_unmistakable_control_name_beats_a_none_of_another_column():
    rows = [["None", "Promo"], ["10% off", "Control"], ["None", "Promo"], ["5% off", "Control"]]
    guess = guess_mapping(_frame(["coupon", "wave"], rows), "campaign")
    assert guess.columns["group"] == "wave"
    assert guess.matched_by["group"] == "content"
