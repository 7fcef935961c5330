"""The data contract: table kinds, their canonical columns, types and name synonyms.

Every upload is mapped onto these canonical names; everything downstream of
`core.ingest` only ever sees canonical columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

TableKind = Literal["transactions", "customers", "feedback", "campaign"]
TABLE_KINDS: tuple[TableKind, ...] = ("transactions", "customers", "feedback", "campaign")

# How a column's values are read.
#   id: kept as text (leading zeros survive); date: a calendar date/time;
#   money: an amount with optional currency symbol and thousands separators;
#   number: a plain number; flag: 0/1, yes/no; text / category: kept as text.
FieldType = Literal["id", "date", "money", "number", "flag", "text", "category"]


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    synonyms: tuple[str, ...] = ()
    # Valid range for numbers (inclusive); values outside are blanked and counted.
    valid_range: tuple[float, float] | None = None


@dataclass(frozen=True)
class TableSpec:
    kind: TableKind
    fields: tuple[Field, ...]
    # Each inner tuple is "at least one of these must be mapped".
    required: tuple[tuple[str, ...], ...]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required_names(self) -> set[str]:
        return {name for group in self.required for name in group}


_CUSTOMER_ID = Field(
    "customer_id",
    "id",
    (
        "customer id",
        "customerid",
        "customer",
        "customer no",
        "customer number",
        "client id",
        "client",
        "user id",
        "userid",
        "user",
        "member id",
        "member",
        "buyer id",
        "buyer",
        "account id",
        "contact id",
        "cust id",
        "custid",
        "shopper id",
        "recipient id",
        "email",
        "email address",
        "e mail",
        "customer email",
        "billing email",
        "respondent id",
        "邮箱",
        "电子邮箱",
        "邮件地址",
        "客户id",
        "客户编号",
        "客户号",
        "客户",
        "顾客id",
        "顾客编号",
        "顾客",
        "用户id",
        "用户编号",
        "用户",
        "会员id",
        "会员编号",
        "会员号",
        "会员",
        "买家id",
        "买家",
    ),
)

TRANSACTIONS = TableSpec(
    "transactions",
    (
        _CUSTOMER_ID,
        Field(
            "order_date",
            "date",
            (
                "order date",
                "date",
                "invoice date",
                "invoicedate",
                "purchase date",
                "transaction date",
                "order time",
                "order datetime",
                "created at",
                "timestamp",
                "sale date",
                "paid at",
                "订单日期",
                "下单日期",
                "下单时间",
                "订单时间",
                "日期",
                "购买日期",
                "交易日期",
                "交易时间",
                "支付时间",
                "付款时间",
                "时间",
            ),
        ),
        Field(
            "amount",
            "money",
            (
                "amount",
                "revenue",
                "sales",
                "total",
                "order total",
                "order value",
                "value",
                "price total",
                "line total",
                "total price",
                "gross",
                "net amount",
                "spend",
                "payment",
                "paid",
                "金额",
                "订单金额",
                "销售额",
                "实付金额",
                "支付金额",
                "消费金额",
                "交易金额",
                "总价",
                "总金额",
                "收入",
                "营业额",
                "付款金额",
            ),
        ),
        Field(
            "order_id",
            "id",
            (
                "order id",
                "orderid",
                "order",
                "order no",
                "order number",
                "invoice",
                "invoice no",
                "invoiceno",
                "invoice id",
                "transaction id",
                "receipt",
                "basket id",
                "订单id",
                "订单号",
                "订单编号",
                "单号",
                "交易号",
                "发票号",
            ),
        ),
        Field(
            "quantity",
            "number",
            ("quantity", "qty", "units", "count", "数量", "件数", "购买数量"),
        ),
        Field(
            "unit_price",
            "money",
            ("unit price", "unitprice", "price", "item price", "单价", "价格", "商品单价"),
        ),
        Field(
            "product",
            "category",
            (
                "product",
                "product name",
                "item",
                "item name",
                "sku",
                "description",
                "stockcode",
                "stock code",
                "article",
                "lineitem name",
                "商品",
                "商品名称",
                "产品",
                "产品名称",
                "品名",
                "货品",
                "宝贝标题",
                "宝贝名称",
                "商品标题",
            ),
        ),
        Field(
            "category",
            "category",
            (
                "category",
                "product category",
                "department",
                "type",
                "类别",
                "品类",
                "分类",
                "商品类别",
            ),
        ),
        Field(
            "channel",
            "category",
            ("channel", "sales channel", "source", "platform", "渠道", "销售渠道", "平台", "来源"),
        ),
        Field(
            "region",
            "category",
            (
                "region",
                "country",
                "state",
                "province",
                "city",
                "area",
                "地区",
                "区域",
                "省份",
                "城市",
                "国家",
            ),
        ),
        Field(
            "discount",
            "money",
            (
                "discount",
                "discount amount",
                "coupon",
                "promo",
                "折扣",
                "优惠",
                "优惠金额",
                "折扣金额",
            ),
        ),
        Field(
            "status",
            "category",
            ("status", "order status", "state of order", "订单状态", "状态"),
        ),
    ),
    required=(("customer_id",), ("order_date",), ("amount", "unit_price")),
)

CUSTOMERS = TableSpec(
    "customers",
    (
        _CUSTOMER_ID,
        Field(
            "signup_date",
            "date",
            (
                "signup date",
                "sign up date",
                "registration date",
                "registered",
                "created",
                "join date",
                "joined",
                "first seen",
                "注册日期",
                "注册时间",
                "开户日期",
                "入会日期",
            ),
        ),
        Field("region", "category", TRANSACTIONS.field("region").synonyms),
        Field(
            "channel",
            "category",
            (
                "channel",
                "acquisition channel",
                "source",
                "acquisition source",
                "utm source",
                "渠道",
                "获客渠道",
                "来源",
                "注册渠道",
            ),
        ),
        Field("age", "number", ("age", "年龄"), valid_range=(0, 120)),
        Field("gender", "category", ("gender", "sex", "性别")),
        # Subscription-style data: an explicit churn flag or end date, and a tenure.
        Field(
            "churned",
            "flag",
            (
                "churned",
                "churn",
                "cancelled",
                "canceled",
                "is churned",
                "exited",
                "是否流失",
                "流失",
                "已流失",
                "是否退订",
            ),
        ),
        Field(
            "end_date",
            "date",
            (
                "end date",
                "churn date",
                "cancel date",
                "cancellation date",
                "termination date",
                "流失日期",
                "退订日期",
                "注销日期",
                "结束日期",
            ),
        ),
        Field(
            "tenure",
            "number",
            ("tenure", "tenure months", "months active", "在网时长", "会员时长", "使用月数"),
            valid_range=(0, 1200),
        ),
        Field(
            "monthly_charge",
            "money",
            (
                "monthly charge",
                "monthly charges",
                "monthly fee",
                "monthly spend",
                "monthly revenue",
                "mrr",
                "月费",
                "月租",
                "每月费用",
                "月消费",
                "月费用",
            ),
        ),
    ),
    required=(("customer_id",),),
)

FEEDBACK = TableSpec(
    "feedback",
    (
        Field(
            "text",
            "text",
            (
                "text",
                "comment",
                "comments",
                "review",
                "feedback",
                "verbatim",
                "message",
                "response",
                "answer",
                "remarks",
                "评论",
                "评价",
                "反馈",
                "留言",
                "内容",
                "意见",
                "评价内容",
            ),
        ),
        Field(
            "rating",
            "number",
            ("rating", "stars", "star rating", "score 1-5", "评分", "星级"),
            (1, 5),
        ),
        Field(
            "nps",
            "number",
            (
                "nps",
                "nps score",
                "likelihood to recommend",
                "recommend",
                "推荐",
                "推荐度",
                "净推荐值",
            ),
            (0, 10),
        ),
        Field("csat", "number", ("csat", "satisfaction", "满意度"), (0, 100)),
        _CUSTOMER_ID,
        Field(
            "date",
            "date",
            ("date", "submitted", "created at", "response date", "日期", "时间", "提交时间"),
        ),
        Field("channel", "category", ("channel", "source", "渠道", "来源")),
        Field("topic", "category", ("topic", "theme", "tag", "主题", "标签")),
        # A sentiment label given to each comment (1/0, positive/negative, 正面/负面).
        Field(
            "sentiment_label",
            "flag",
            (
                "sentiment label",
                "sentiment",
                "label",
                "polarity",
                "情感",
                "情感标签",
                "情感倾向",
                "极性",
                "正负面",
            ),
        ),
    ),
    required=(("text", "rating", "nps", "csat"),),
)

CAMPAIGN = TableSpec(
    "campaign",
    (
        _CUSTOMER_ID,
        Field(
            "group",
            "category",
            (
                "group",
                "variant",
                "version",
                "arm",
                "treatment",
                "test group",
                "test_group",
                "experiment group",
                "experiment",
                "bucket",
                "cell",
                "分组",
                "组别",
                "实验组",
                "版本",
            ),
        ),
        Field(
            "converted",
            "flag",
            (
                "converted",
                "conversion",
                "purchased",
                "responded",
                "outcome",
                "retention",
                "retained",
                "是否转化",
                "转化",
                "是否购买",
                "留存",
                "是否留存",
            ),
        ),
        Field(
            "revenue",
            "money",
            (
                "revenue",
                "sales",
                "amount",
                "order value",
                "spend",
                "收入",
                "销售额",
                "金额",
                "消费金额",
            ),
        ),
        Field(
            "recipients", "number", ("recipients", "sent", "audience", "users", "人数", "发送数")
        ),
        Field("conversions", "number", ("conversions", "orders", "转化数", "订单数")),
        Field("send_date", "date", ("send date", "sent at", "date", "发送日期", "日期")),
        Field("cost", "money", ("cost", "campaign cost", "cost per send", "成本", "费用")),
        Field("channel", "category", ("channel", "渠道")),
        Field("segment", "category", ("segment", "audience segment", "细分", "分群", "人群")),
        Field(
            "pre_period_spend",
            "money",
            (
                "pre period spend",
                "pre spend",
                "pre period",
                "baseline",
                "prior spend",
                "前期消费",
                "历史消费",
            ),
        ),
    ),
    # Rows are recipients (or, with recipients/conversions, group totals): only the group
    # is needed; the outcome and revenue are chosen on the Campaigns page.
    required=(("group",),),
)

TABLES: dict[TableKind, TableSpec] = {
    "transactions": TRANSACTIONS,
    "customers": CUSTOMERS,
    "feedback": FEEDBACK,
    "campaign": CAMPAIGN,
}


def normalize_header(name: object) -> str:
    """Lower-case a header and fold separators so "Customer_ID " matches "customer id"."""
    text = str(name).strip().lower()
    text = re.sub(r"[\s_\-./:()\[\]#（）]+", " ", text)
    return text.strip()


# Names of a control (hold-out) arm, compared after `normalize_header` (so "No E-Mail",
# "no_email" and "No email" are one name). The one list every page uses.
CONTROL_NAMES: frozenset[str] = frozenset(
    {
        "control",
        "control group",
        "ctrl",
        "holdout",
        "hold out",
        "holdout group",
        "no e mail",
        "no email",
        "no mail",
        "no treatment",
        "no contact",
        "not contacted",
        "none",
        "baseline",
        "original",
        "对照",
        "对照组",
        "空白组",
        "空白对照",
        "控制组",
    }
)
_CONTROL_WORDS = ("control", "ctrl", "holdout")


def is_control_name(value: object) -> bool:
    """Whether a group's name says it is the control arm ("Control", "No E-Mail", "对照组", ...).

    Exact names from `CONTROL_NAMES`, or a name starting with the word control, ctrl
    or holdout ("control_a", "Holdout 2024"). Blank and non-text values are not.
    """
    if value is None or (isinstance(value, float) and value != value):
        return False
    name = normalize_header(value)
    if not name:
        return False
    return name in CONTROL_NAMES or name.split(" ")[0] in _CONTROL_WORDS


# Header words that say a column holds something other than this period's outcome: a
# value from before the test (history, prev_*, pre_*, last_year_*, 历史, 上期, 去年), or a
# cost. Such a column is never guessed as an amount, revenue or outcome.
_BEFORE_WORDS = (
    "history",
    "historic",
    "historical",
    "hist",
    "pre",
    "prev",
    "previous",
    "prior",
    "past",
    "ly",
    "baseline",
)
_BEFORE_PHRASES = ("last year", "last month", "last week", "last period", "last quarter")
_BEFORE_CHINESE = ("历史", "上期", "去年", "前期", "以往", "往期", "上年", "上月", "基期")
_COST_WORDS = ("cost", "costs", "cogs", "expense", "expenses")
_COST_CHINESE = ("成本", "费用", "支出")


def names_earlier_period(header: object) -> bool:
    """Whether a header says its values are from before the period analysed (history, pre_*, 去年...)."""
    name = normalize_header(header)
    words = name.split(" ")
    spaced = f" {name} "
    if any(w in _BEFORE_WORDS for w in words) or any(f" {p} " in spaced for p in _BEFORE_PHRASES):
        return True
    # Words glued together: prev_spend written as prevspend, pre-period as preperiod.
    if re.match(r"(prev|previous|prior|pre)(period|spend|revenue|sales|amount)", words[0]):
        return True
    return any(c in name for c in _BEFORE_CHINESE)


def names_something_else(header: object) -> bool:
    """Whether a header names an earlier period or a cost: never an amount, revenue or outcome."""
    name = normalize_header(header)
    if any(w in _COST_WORDS for w in name.split(" ")) or any(c in name for c in _COST_CHINESE):
        return True
    return names_earlier_period(header)
