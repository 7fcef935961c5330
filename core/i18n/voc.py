"""Messages of the Voice of the customer page (English and Simplified Chinese; merged by core.i18n)."""

EN: dict[str, str] = {
    "voc.title": "Voice of the customer",
    "voc.intro": "How customers feel, about what, and which fixes would move the score most.",
}

ZH: dict[str, str] = {
    "voc.title": "客户之声",
    "voc.intro": "客户的感受如何、在谈论什么，以及解决哪些问题最能提升评分。",
}
