"""Messages of the Cross-sell page (English and Simplified Chinese; merged by core.i18n)."""

EN: dict[str, str] = {
    "crosssell.title": "Cross-sell",
    "crosssell.intro": "Which products sell together and which product to offer each customer next.",
}

ZH: dict[str, str] = {
    "crosssell.title": "交叉销售",
    "crosssell.intro": "哪些商品常被一起购买，以及下一步该向每位客户推荐什么商品。",
}
