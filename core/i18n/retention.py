"""Messages of the Retention and churn page (English and Simplified Chinese; merged by core.i18n)."""

EN: dict[str, str] = {
    "retention.title": "Retention and churn",
    "retention.intro": "How well each group of new customers sticks, when and why customers leave, and whom to call this week.",
}

ZH: dict[str, str] = {
    "retention.title": "留存与流失",
    "retention.intro": "每批新客户留下来的情况、客户何时以及为何流失，以及本周应该联系哪些客户。",
}
