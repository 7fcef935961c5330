"""Voice of the customer: scores (NPS, CSAT, ratings), sentiment in English and Chinese,
topics, key drivers and masking of personal data.

Modules: `scores`, `language`, `sentiment`, `topics`, `drivers`, `mask`; word lists in
`core/voc/data` (written for this project).
"""
