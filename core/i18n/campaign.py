"""Messages of the Campaign evaluation page (English and Simplified Chinese; merged by core.i18n)."""

EN: dict[str, str] = {
    "campaign.title": "Campaign evaluation",
    "campaign.intro": "Whether a campaign worked, by how much, whether to believe it, what it earned and for whom.",
}

ZH: dict[str, str] = {
    "campaign.title": "营销活动评估",
    "campaign.intro": "活动是否有效、效果多大、结果是否可信、带来了多少收益，以及对哪些人有效。",
}
