"""Voice of the customer: scores (NPS, CSAT, ratings), sentiment in English and Chinese,
topics, key drivers and masking of personal data.

Modules: `scores`, `language`, `sentiment`, `topics`, `drivers`, `comments`, `mask`;
`views` holds the page's entry points (one per part of the page, each a frozen result);
word lists in `core/voc/data` (written for this project).
"""
