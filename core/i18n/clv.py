"""Messages of the Customer lifetime value page (English and Simplified Chinese; merged by core.i18n)."""

EN: dict[str, str] = {
    "clv.title": "Customer lifetime value",
    "clv.intro": "What each customer is likely to be worth, how sure the model is, and what you can afford to spend to win and keep customers.",
}

ZH: dict[str, str] = {
    "clv.title": "客户终身价值",
    "clv.intro": "每位客户未来可能带来多少价值、模型有多可靠，以及获客和留客最多能花多少钱。",
}
