"""Messages of the Voice of the customer page (English and Simplified Chinese; merged by core.i18n)."""

EN: dict[str, str] = {
    "voc.title": "Voice of the customer",
    "voc.intro": "How customers feel, about what, and which fixes would move the score most.",
    # data and messages
    "voc.no_feedback": "No feedback table yet. Upload survey answers, reviews or support comments "
    "(a text column and/or a score such as NPS 0–10 or a 1–5 rating) on the Data page.",
    "voc.empty_feedback": "The feedback table has no rows left after the quality checks. "
    "See the Data quality page for the reasons.",
    "voc.no_text": "This feedback has scores but no comments: the scores are shown, while "
    "sentiment, topics and key drivers need a text column.",
    "voc.few_texts": "Only a few rows carry a comment: sentiment is shown, but topics and "
    "drivers need at least {minimum} comments.",
    "voc.other_language": "{other} comments are neither English nor Chinese; they get no "
    "sentiment score but still count in the scores and the topics.",
    "voc.one_language": "All comments are in one language ({en:,} English, {zh:,} Chinese).",
    "voc.no_scores": "This feedback has no score (NPS, rating or CSAT): NPS, trends, key "
    "drivers and the in-domain sentiment model need one. Sentiment and topics still work.",
    "voc.no_scores_labelled": "This feedback has no score (NPS, rating or CSAT): NPS and "
    "trends need one. Its sentiment labels train and check the sentiment model, and key "
    "drivers show which topics come with negative comments; topics work too.",
    "voc.too_few_rated": "The in-domain model needs at least {minimum} comments whose score says "
    "happy or unhappy; this feedback has {n}. The no-label method is used.",
    "voc.too_few_labelled": "The in-domain model needs at least {minimum} labelled comments; this "
    "feedback has {n}. The no-label method is used.",
    "voc.few_per_class_rated": "The in-domain model needs at least {minimum} happy and {minimum} unhappy "
    "rated comments; this feedback has {positive:,} happy and {negative:,} unhappy. The no-label "
    "method is used.",
    "voc.few_per_class_labelled": "The in-domain model needs at least {minimum} positive and "
    "{minimum} negative labelled comments; this feedback has {positive:,} positive and {negative:,} "
    "negative. The no-label method is used.",
    "voc.one_class_rated_positive": "All {n:,} rated comments are happy (NPS 9–10 or 4–5 "
    "stars): with no unhappy ones there is nothing to learn the difference from, and no "
    "accuracy to check. The no-label method is used.",
    "voc.one_class_rated_negative": "All {n:,} rated comments are unhappy (NPS 0–6 or 1–2 "
    "stars): with no happy ones there is nothing to learn the difference from, and no "
    "accuracy to check. The no-label method is used.",
    "voc.one_class_labelled_positive": "All {n:,} labelled comments are labelled positive: "
    "with one label only there is nothing to learn the difference from, and no accuracy "
    "to check. The no-label method is used.",
    "voc.one_class_labelled_negative": "All {n:,} labelled comments are labelled negative: "
    "with one label only there is nothing to learn the difference from, and no accuracy "
    "to check. The no-label method is used.",
    "voc.one_topic": "The comments have too few distinct words to split into topics: they "
    "are shown as one topic.",
    "voc.no_topics": "No topic is both mentioned and not mentioned in enough scored "
    "comments (at least {minimum} each) to measure its effect.",
    "voc.single_topic": "There is a single topic, so there is nothing to compare it with: "
    "key drivers need at least two topics.",
    "voc.no_variance_nps": "Every one of the {n:,} scored comments has the same NPS answer "
    "({value}), so nothing can explain differences: key drivers need scores that vary.",
    "voc.no_variance_rating": "Every one of the {n:,} scored comments has the same rating "
    "({value}), so nothing can explain differences: key drivers need scores that vary.",
    "voc.no_variance_detractor_all": "Every one of the {n:,} scored comments comes from a "
    "detractor, so nothing can explain differences: key drivers need some who are not.",
    "voc.no_variance_detractor_none": "None of the {n:,} scored comments comes from a "
    "detractor, so nothing can explain who becomes one.",
    "voc.no_variance_negative_all": "Every one of the {n:,} labelled comments is labelled "
    "negative, so nothing can explain differences: key drivers need positive ones too.",
    "voc.no_variance_negative_none": "None of the {n:,} labelled comments is labelled "
    "negative, so nothing can explain which topics come with negative comments.",
    "voc.too_few_scored_negative": "Key drivers need at least {minimum} comments with a sentiment "
    "label; there are {n}.",
    "voc.no_topics_negative": "No topic is both mentioned and not mentioned in enough "
    "labelled comments (at least {minimum} each) to measure its effect.",
    "voc.no_customer_id": "Breakdowns by customer attribute or RFM segment need a customer "
    "ID in the feedback table to join it to your customers; this feedback has none.",
    "voc.no_text_here": "This needs comments (a text column); the feedback has none.",
    "voc.few_answers": "Fewer than {minimum} answers: the score is very uncertain.",
    "voc.no_nps": "No NPS answers.",
    "voc.too_few_texts": "Topics need at least {minimum} comments with words in them; there are {n}.",
    "voc.fewer_topics": "The comments have too few distinct words for that many topics; "
    "{k} topics are shown.",
    "voc.too_few_scored": "Key drivers need at least {minimum} comments with a score; there are {n}.",
    "voc.training": "Training a sentiment model on your own comments…",
    "voc.finding_topics": "Finding topics in the comments…",
    "voc.counts_caption": "{rows} responses, {texts} with a comment ({en} English, {zh} Chinese).",
    # headline
    "voc.nps": "Net Promoter Score",
    "voc.nps_help": "Share of promoters (9–10) minus share of detractors (0–6), from "
    "−100 to +100. 95% interval {low} to {high} from {n} answers: with this many answers "
    "the true score is very likely in that range.",
    "voc.csat": "CSAT (satisfied)",
    "voc.csat_help_csat": "Share of satisfied answers (the top two boxes of the CSAT "
    "scale) among {n} answers.",
    "voc.csat_help_rating": "Share of 4 and 5 star ratings among {n} ratings.",
    "voc.avg_rating": "Average rating",
    "voc.avg_rating_help": "Mean of the 1–5 ratings.",
    "voc.avg_sentiment": "Average sentiment",
    "voc.avg_sentiment_help": "Tone of the comments from −1 (very negative) to +1 (very "
    "positive); around 0 is neutral.",
    # reading
    "voc.reading_title": "What this means",
    "voc.reading_nps": "NPS is **{nps:+.0f}** (95% interval {low:+.0f} to {high:+.0f}): {promoters} of "
    "respondents are promoters and {detractors} detractors.",
    "voc.reading_low_months": "The lowest months were {months}, against {nps:+.0f} overall: "
    "look at what happened then (peak season, stock, couriers).",
    "voc.reading_driver_nps": "The biggest drag is **{topic}**: mentioned in {share} of "
    "comments, it goes with answers **{impact:.1f} points lower** on the 0–10 scale. Fix "
    "this first.",
    "voc.reading_driver_rating": "The biggest drag is **{topic}**: mentioned in {share} of "
    "comments, it goes with ratings **{impact:.1f} stars lower**. Fix this first.",
    "voc.reading_driver_detractor": "The biggest drag is **{topic}**: mentioned in {share} "
    "of comments, it makes a customer **{impact:.1f} percentage points more likely** to be a "
    "detractor. Fix this first.",
    "voc.reading_driver_negative": "The biggest source of negative comments is **{topic}**: "
    "mentioned in {share} of comments, comments about it are **{impact:.1f} percentage points "
    "more likely** to be negative. Fix this first.",
    "voc.reading_no_drag_negative": "No topic clearly makes comments more likely to be "
    "negative: no topic's interval lies wholly above zero.",
    "voc.reading_lift_negative": "What customers praise most: **{topic}** ({share} of "
    "comments, {impact:.1f} percentage points less likely to be negative). Say it in your "
    "marketing.",
    "voc.reading_no_drag_nps": "No topic clearly pulls the NPS answers down: no topic's "
    "interval lies wholly below zero.",
    "voc.reading_no_drag_rating": "No topic clearly pulls the ratings down: no topic's "
    "interval lies wholly below zero.",
    "voc.reading_no_drag_detractor": "No topic clearly makes customers more likely to be "
    "detractors: no topic's interval lies wholly above zero.",
    "voc.reading_lift_nps": "What customers love most: **{topic}** ({share} of comments, "
    "answers {impact:.1f} points higher). Say it in your marketing.",
    "voc.reading_lift_rating": "What customers love most: **{topic}** ({share} of comments, "
    "ratings {impact:.1f} stars higher). Say it in your marketing.",
    "voc.reading_lift_detractor": "What protects the score most: **{topic}** ({share} of "
    "comments).",
    "voc.reading_sentiment_lexicon": "{negative} of the comments are negative (sentiment by the "
    "no-label word lists).",
    "voc.reading_sentiment_in_domain": "{negative} of the comments are negative (sentiment by "
    "the model trained on your own comments).",
    # tabs
    "voc.tab_scores": "Scores",
    "voc.tab_sentiment": "Sentiment",
    "voc.tab_topics": "Topics",
    "voc.tab_drivers": "Key drivers and what if",
    "voc.tab_verbatims": "Comments",
    # scores tab
    "voc.score_kind": "Score",
    "voc.score_nps": "NPS answer (0–10)",
    "voc.score_rating": "Rating (1–5)",
    "voc.score_csat": "CSAT",
    "voc.group_promoter": "Promoters (9–10)",
    "voc.group_passive": "Passives (7–8)",
    "voc.group_detractor": "Detractors (0–6)",
    "voc.group_satisfied": "Satisfied",
    "voc.group_other": "Other",
    "voc.chart_distribution": "Answers by score: {score}",
    "voc.trend_metric": "Trend of",
    "voc.metric_nps": "NPS",
    "voc.metric_avg_rating": "Average rating",
    "voc.metric_csat": "CSAT (share satisfied)",
    "voc.metric_avg_sentiment": "Average sentiment",
    "voc.chart_trend": "{metric} by month",
    "voc.trend_help": "The shaded band is the 95% interval of the month's NPS: months with "
    "few answers have wide bands, so only gaps larger than the bands are real changes.",
    "voc.no_dates": "The feedback has no dates: no monthly trend.",
    "voc.breakdown_title": "Breakdown",
    "voc.breakdown_by": "Break down by",
    "voc.breakdown_metric": "Show",
    "voc.by_channel": "Feedback channel",
    "voc.by_language": "Language of the comment",
    "voc.by_rfm_segment": "Customer segment (RFM)",
    "voc.by_customer": "Customer: {attribute}",
    "voc.no_breakdown": "No channel or customer attribute to break the scores down by. "
    "Feedback with a customer ID links to the customers and transactions tables.",
    "voc.breakdown_help": "Groups with fewer than {pooled} answers are pooled as “other” "
    "(and not drawn below {hidden}). The black line on each NPS bar is its 95% interval.",
    "voc.unknown": "unknown",
    "voc.other": "other",
    # sentiment tab
    "voc.sentiment_intro": "Each comment gets a tone from −1 to +1. The language is "
    "detected per comment. With no labels, English is scored by VADER (a word list with "
    "rules) and Chinese by this app's own word list (positive and negative words, "
    "negations such as 不 and degree words such as 很). When comments carry a sentiment "
    "label or a score, a model learns from your own comments and is used if it is more "
    "accurate.",
    "voc.method": "Sentiment method",
    "voc.method_auto": "the more accurate one",
    "voc.method_lexicon": "no-label word lists",
    "voc.method_in_domain": "model trained on your own comments",
    "voc.method_help": "“No-label” needs no training. The in-domain model (character "
    "TF-IDF with logistic regression) learns how your customers write from comments with "
    "a sentiment label, or else whose NPS or rating says whether they were happy.",
    "voc.in_domain_needs_scores": "The in-domain model needs comments with a sentiment "
    "label, an NPS answer or a rating; the no-label method is used.",
    "voc.lexicon_accuracy_help_label": "Share of labelled comments whose tone (above "
    "+{band} positive, otherwise negative) agrees with their label.",
    "voc.lexicon_accuracy_help_score": "Share of rated comments (NPS 9–10 or 4–5 stars = "
    "happy, NPS 0–6 or 1–2 stars = unhappy) whose tone agrees with the score.",
    "voc.in_domain_accuracy_help_label": "The same check for the model trained on your "
    "labelled comments, measured honestly: {folds}-fold cross-validation, each comment "
    "predicted by a model that did not see it.",
    "voc.in_domain_accuracy_help_score": "The same check for the model trained on your "
    "rated comments, measured honestly: {folds}-fold cross-validation, each comment predicted "
    "by a model that did not see it.",
    "voc.checked_texts_label": "Labelled comments",
    "voc.checked_texts_score": "Rated comments",
    "voc.accuracy_reading_label": "With the {method}, **{accuracy}** of the {n} labelled "
    "comments are called right; always guessing “{majority}” would be right on {baseline}. "
    "Balanced accuracy {balanced} (the average of its hit rates on positive and on "
    "negative comments; 50% is guessing).",
    "voc.accuracy_reading_score": "With the {method}, **{accuracy}** of the {n} rated "
    "comments (happy or unhappy by their score) are called right; always guessing “{majority}” would "
    "be right on {baseline}. Balanced accuracy {balanced} (the average of its hit rates "
    "on happy and on unhappy comments; 50% is guessing).",
    "voc.majority_positive": "positive",
    "voc.majority_negative": "negative",
    "voc.lexicon_accuracy": "No-label accuracy",
    "voc.in_domain_accuracy": "In-domain accuracy",
    "voc.method_used": "Sentiment shown on this page: {method}.",
    "voc.tone_positive": "Positive",
    "voc.tone_neutral": "Neutral",
    "voc.tone_negative": "Negative",
    "voc.lang_en": "English",
    "voc.lang_zh": "Chinese",
    "voc.lang_other": "Other language",
    "voc.lang_none": "No comment",
    "voc.sentiment_by_group": "Average sentiment by NPS group: {items}.",
    "voc.sentiment_by_group_item": "{group} {value}",
    # topics tab
    "voc.topics_intro": "Themes found in the comments (TF-IDF and NMF; Chinese split into "
    "words by jieba). Each topic is named by its top words: rename it in the table, the "
    "name is used everywhere on this page. A comment can be about several topics.",
    "voc.topic_count": "Number of topics",
    "voc.topic_count_help": "More topics split themes finer; fewer merge them. Try a few "
    "values and keep the one whose topics read best.",
    "voc.topics_rename_help": "Double-click a name to rename a topic.",
    "voc.col_terms": "Top words",
    "voc.col_terms_help": "The words that define the topic, strongest first.",
    "voc.col_name": "Topic name",
    "voc.col_name_help": "Your name for the topic (editable).",
    "voc.col_texts": "Comments",
    "voc.col_share": "Share of comments",
    "voc.col_sentiment": "Sentiment",
    "voc.col_topic_tone": "Tone on this topic",
    "voc.col_topic_tone_help": "Sentiment of the part of the comment that is about this topic (-1 very negative, +1 very positive). The rest of the comment may say something else.",
    "voc.col_avg_score": "Average {score}",
    "voc.examples_title": "What customers say",
    "voc.examples_topic": "Topic",
    "voc.examples_positive": "Positive comments",
    "voc.examples_negative": "Negative comments",
    "voc.no_examples": "None in this topic.",
    "voc.col_text": "Comment",
    # drivers tab
    "voc.drivers_need": "Key drivers need comments, topics and a score (NPS or rating) or "
    "a sentiment label.",
    "voc.drivers_intro": "Which topics pull the score down or up: a regression of the "
    "score on which topics each comment mentions (ordinary least squares, robust "
    "intervals). Impact is the difference in score between comments that mention the "
    "topic and those that do not, other topics held equal.",
    "voc.drivers_intro_negative": "Which topics come with negative comments: a regression "
    "of being labelled negative (1 or 0) on which topics each comment mentions (a linear "
    "probability model by ordinary least squares, robust intervals). Impact is the "
    "difference in the share of negative comments, in percentage points, between "
    "comments that mention the topic and those that do not, other topics held equal.",
    "voc.driver_target": "What to explain",
    "voc.driver_target_help": "NPS answer (0–10), rating (1–5), being a detractor or a "
    "negative comment by its sentiment label (the impact is then the change in that "
    "chance, in percentage points).",
    "voc.target_nps": "NPS answer",
    "voc.target_rating": "Rating",
    "voc.target_detractor": "Being a detractor",
    "voc.target_negative": "Negative comment (label)",
    "voc.impact_nps": "Impact on the 0–10 answer",
    "voc.impact_rating": "Impact on the rating",
    "voc.impact_detractor": "Impact on the chance of being a detractor (points)",
    "voc.impact_negative": "Impact on the chance of a negative comment (points)",
    "voc.impact_help": "Negative: comments on this topic come with lower scores.",
    "voc.impact_help_negative": "Positive: comments on this topic are more often labelled "
    "negative, by this many percentage points.",
    "voc.chart_drivers": "Priority: impact against how often the topic comes up",
    "voc.drivers_chart_help": "Fix first what sits low and to the right (for the chance "
    "of being a detractor: high and to the right): frequent and pulling the score down. "
    "Lines are 95% intervals; a line crossing the dashed zero line means the effect is "
    "not clear. The topics explain {r2} of the variation (R²) in {n} scored comments.",
    "voc.drivers_chart_help_negative": "Fix first what sits high and to the right: "
    "frequent and going with negative comments. Lines are 95% intervals; a line crossing "
    "the dashed zero line means the effect is not clear. The topics explain {r2} of the "
    "variation (R²) in {n} labelled comments.",
    "voc.col_frequency": "Mentioned in",
    "voc.col_ci": "95% interval",
    "voc.col_ci_help": "The range the true impact very likely lies in.",
    "voc.col_p": "p-value",
    "voc.col_p_help": "Chance of an impact this large if the topic had none; below 0.05 "
    "is usually called significant.",
    "voc.col_reading": "Reading",
    "voc.driver_row_down": "Pulls the score down",
    "voc.driver_row_up": "Lifts the score",
    "voc.driver_row_unclear": "No clear effect",
    "voc.driver_row_down_negative": "More often negative",
    "voc.driver_row_up_negative": "Less often negative",
    "voc.driver_row_unclear_negative": "No clear effect",
    "voc.whatif_title": "What if",
    "voc.whatif_intro": "If the complaints behind a topic were resolved, the driver model "
    "says those customers' scores would rise by the topic's pull. Choose the topic and the "
    "share of its comments you would fix.",
    "voc.whatif_none": "No topic pulls the score down.",
    "voc.whatif_intro_negative": "If the complaints behind a topic were resolved, the "
    "driver model says those comments would be less often negative by the topic's impact. "
    "Choose the topic and the share of its comments you would fix.",
    "voc.whatif_none_negative": "No topic comes with more negative comments.",
    "voc.whatif_topic": "Resolve complaints about",
    "voc.whatif_share": "Share of those customers reached",
    "voc.whatif_metric_nps": "NPS today",
    "voc.whatif_metric_rating": "Average rating today",
    "voc.whatif_metric_detractor": "Detractors today",
    "voc.whatif_metric_negative": "Negative comments today",
    "voc.whatif_after": "Expected after the fix",
    "voc.whatif_after_help": "95% range {low} to {high}, from the interval of the topic's impact.",
    "voc.whatif_affected": "Customers affected",
    "voc.whatif_affected_negative": "Comments affected",
    "voc.whatif_reading_nps": "Resolving “{topic}” for {n} customers would move NPS from "
    "{before} to about {after} (range {low} to {high}).",
    "voc.whatif_reading_rating": "Resolving “{topic}” for {n} customers would move the "
    "average rating from {before} to about {after} (range {low} to {high}).",
    "voc.whatif_reading_detractor": "Resolving “{topic}” for {n} customers would move the "
    "share of detractors from {before} to about {after} (range {low} to {high}).",
    "voc.whatif_reading_negative": "Resolving “{topic}” in {n} comments would move the "
    "share of negative comments from {before} to about {after} (range {low} to {high}).",
    # verbatims tab
    "voc.verbatims_intro": "Read what customers wrote. Filter by topic, tone, score, date "
    "or a keyword, and export the list.",
    "voc.filter_topics": "Topics",
    "voc.all_topics": "All topics",
    "voc.filter_tone": "Tone",
    "voc.all_tones": "All tones",
    "voc.filter_keyword": "Keyword",
    "voc.filter_keyword_help": "Comments containing this text (upper or lower case alike).",
    "voc.filter_score": "{score}",
    "voc.filter_dates": "Dates",
    "voc.mask": "Hide e-mail addresses and phone numbers",
    "voc.mask_help": "Replaces them by [email] and [phone] on screen and in exports.",
    "voc.only_text": "Only responses with a comment",
    "voc.verbatims_caption": "{n} of {total} responses.",
    "voc.personal_found": "{n} comments contain an e-mail address or a phone number.",
    "voc.col_language": "Language",
    "voc.col_tone": "Tone",
    "voc.col_topics": "Topics",
    "voc.download_csv": "Download {n} comments (CSV)",
    "voc.download_excel": "Download {n} comments (Excel)",
    # charts
    "voc.chart_score": "Score",
    "voc.chart_answers": "Answers",
    "voc.chart_share": "Share",
    "voc.chart_responses": "Responses",
    "voc.chart_ci_low": "95% interval from",
    "voc.chart_ci_high": "95% interval to",
    "voc.chart_share_texts": "Share of comments",
    "voc.chart_texts": "Comments",
    "voc.chart_sentiment": "Average sentiment",
    "voc.chart_avg_score": "Average score",
    "voc.chart_topics": "Topics by share of comments (colour: tone)",
    "voc.chart_frequency": "Share of comments mentioning the topic",
}

ZH: dict[str, str] = {
    "voc.title": "客户之声",
    "voc.intro": "客户的感受如何、在谈论什么，以及解决哪些问题最能提升评分。",
    "voc.no_feedback": "还没有反馈数据。请在“数据”页上传问卷回答、评论或客服记录"
    "（一列文字和/或一个评分，例如 0–10 的 NPS 或 1–5 星评分）。",
    "voc.empty_feedback": "反馈表经过质量检查后没有剩余的行，原因见“数据质量”页。",
    "voc.no_text": "这份反馈只有评分、没有文字评论：下面显示评分，情感、主题和关键驱动因素需要一列文字。",
    "voc.few_texts": "只有少数几行带有评论：可以显示情感，但主题和驱动因素至少需要 {minimum} 条评论。",
    "voc.other_language": "有 {other} 条评论既不是英文也不是中文，没有情感得分，但仍计入评分和主题。",
    "voc.one_language": "所有评论都是同一种语言（英文 {en:,} 条，中文 {zh:,} 条）。",
    "voc.no_scores": "这份反馈没有评分（NPS、星级或满意度）：NPS、趋势、关键驱动因素和"
    "基于您数据训练的情感模型都需要评分。情感和主题仍可使用。",
    "voc.no_scores_labelled": "这份反馈没有评分（NPS、星级或满意度）：NPS 和趋势需要评分。"
    "它的情感标签用于训练和检验情感模型，关键驱动因素显示哪些主题伴随负面评论；主题也可以使用。",
    "voc.too_few_rated": "基于您数据的模型至少需要 {minimum} 条能从评分看出满意或不满意的评论；"
    "这份反馈有 {n} 条。现使用无需标注的方法。",
    "voc.too_few_labelled": "基于您数据的模型至少需要 {minimum} 条带情感标签的评论；这份反馈有 {n} 条。"
    "现使用无需标注的方法。",
    "voc.few_per_class_rated": "基于您数据的模型需要满意和不满意的带评分评论各至少 {minimum} 条；"
    "这份反馈有满意 {positive:,} 条、不满意 {negative:,} 条。现使用无需标注的方法。",
    "voc.few_per_class_labelled": "基于您数据的模型需要正面和负面的带标签评论各至少 {minimum} 条；"
    "这份反馈有正面 {positive:,} 条、负面 {negative:,} 条。现使用无需标注的方法。",
    "voc.one_class_rated_positive": "全部 {n:,} 条带评分的评论都是满意的（NPS 9–10 或 4–5 星）："
    "没有不满意的评论，就无从学习两者的区别，也无法检验准确率。现使用无需标注的方法。",
    "voc.one_class_rated_negative": "全部 {n:,} 条带评分的评论都是不满意的（NPS 0–6 或 1–2 星）："
    "没有满意的评论，就无从学习两者的区别，也无法检验准确率。现使用无需标注的方法。",
    "voc.one_class_labelled_positive": "全部 {n:,} 条带标签的评论都标为正面：只有一种标签，"
    "就无从学习两者的区别，也无法检验准确率。现使用无需标注的方法。",
    "voc.one_class_labelled_negative": "全部 {n:,} 条带标签的评论都标为负面：只有一种标签，"
    "就无从学习两者的区别，也无法检验准确率。现使用无需标注的方法。",
    "voc.one_topic": "评论中不同的词太少，分不出多个主题：全部显示为一个主题。",
    "voc.no_topics": "没有哪个主题在足够多的带评分评论中既被提到又未被提到（各至少 {minimum} 条），"
    "无法衡量其影响。",
    "voc.single_topic": "只有一个主题，没有可以比较的对象：关键驱动因素分析至少需要两个主题。",
    "voc.no_variance_nps": "全部 {n:,} 条带评分的评论 NPS 回答都相同（{value}），没有差异可以解释："
    "关键驱动因素分析需要有高有低的评分。",
    "voc.no_variance_rating": "全部 {n:,} 条带评分的评论星级都相同（{value}），没有差异可以解释："
    "关键驱动因素分析需要有高有低的评分。",
    "voc.no_variance_detractor_all": "全部 {n:,} 条带评分的评论都来自贬损者，没有差异可以解释："
    "关键驱动因素分析需要也有非贬损者。",
    "voc.no_variance_detractor_none": "{n:,} 条带评分的评论中没有一条来自贬损者，无法解释谁会成为贬损者。",
    "voc.no_variance_negative_all": "全部 {n:,} 条带标签的评论都标为负面，没有差异可以解释："
    "关键驱动因素分析也需要正面评论。",
    "voc.no_variance_negative_none": "{n:,} 条带标签的评论中没有一条标为负面，无法解释哪些主题"
    "伴随负面评论。",
    "voc.too_few_scored_negative": "关键驱动因素分析至少需要 {minimum} 条带情感标签的评论；目前有 {n} 条。",
    "voc.no_topics_negative": "没有哪个主题在足够多的带标签评论中既被提到又未被提到（各至少 {minimum} 条），"
    "无法衡量其影响。",
    "voc.no_customer_id": "按客户属性或 RFM 分群细分，需要反馈表中有客户ID才能关联到您的客户；"
    "这份反馈没有。",
    "voc.no_text_here": "这部分需要评论文字，而这份反馈没有。",
    "voc.few_answers": "回答少于 {minimum} 条：这个分数非常不确定。",
    "voc.no_nps": "没有 NPS 回答。",
    "voc.too_few_texts": "发现主题至少需要 {minimum} 条有内容的评论；目前有 {n} 条。",
    "voc.fewer_topics": "评论中不同的词太少，分不出这么多主题；现显示 {k} 个主题。",
    "voc.too_few_scored": "关键驱动因素分析至少需要 {minimum} 条带评分的评论；目前有 {n} 条。",
    "voc.training": "正在用您自己的评论训练情感模型…",
    "voc.finding_topics": "正在从评论中发现主题…",
    "voc.counts_caption": "共 {rows} 条回复，其中 {texts} 条有评论（英文 {en} 条，中文 {zh} 条）。",
    "voc.nps": "净推荐值（NPS）",
    "voc.nps_help": "推荐者（9–10 分）占比减去贬损者（0–6 分）占比，范围 −100 到 +100。"
    "基于 {n} 条回答的 95% 区间为 {low} 到 {high}：真实分数很可能落在这个范围内。",
    "voc.csat": "满意度（CSAT）",
    "voc.csat_help_csat": "{n} 条回答中满意（满意度量表最高两档）的占比。",
    "voc.csat_help_rating": "{n} 条评分中 4 星和 5 星的占比。",
    "voc.avg_rating": "平均星级",
    "voc.avg_rating_help": "1–5 星评分的平均值。",
    "voc.avg_sentiment": "平均情感",
    "voc.avg_sentiment_help": "评论的情感倾向，从 −1（非常负面）到 +1（非常正面），0 左右为中性。",
    "voc.reading_title": "这意味着什么",
    "voc.reading_nps": "NPS 为 **{nps:+.0f}**（95% 区间 {low:+.0f} 到 {high:+.0f}）：推荐者占 {promoters}，"
    "贬损者占 {detractors}。",
    "voc.reading_low_months": "最低的月份是 {months}，整体为 {nps:+.0f}：看看当时发生了什么"
    "（旺季、缺货、快递）。",
    "voc.reading_driver_nps": "拖累最大的是 **{topic}**：{share} 的评论提到它，这些评论的 0–10 分"
    "回答**低 {impact:.1f} 分**。优先解决它。",
    "voc.reading_driver_rating": "拖累最大的是 **{topic}**：{share} 的评论提到它，这些评论的星级"
    "**低 {impact:.1f} 星**。优先解决它。",
    "voc.reading_driver_detractor": "拖累最大的是 **{topic}**：{share} 的评论提到它，"
    "成为贬损者的概率**高 {impact:.1f} 个百分点**。优先解决它。",
    "voc.reading_driver_negative": "负面评论最大的来源是 **{topic}**：{share} 的评论提到它，"
    "这些评论为负面的概率**高 {impact:.1f} 个百分点**。优先解决它。",
    "voc.reading_no_drag_negative": "没有哪个主题明确让评论更可能是负面的：没有一个主题的"
    "区间完全高于零。",
    "voc.reading_lift_negative": "客户最称赞的是 **{topic}**（{share} 的评论，为负面的概率"
    "低 {impact:.1f} 个百分点）。在营销中突出它。",
    "voc.reading_no_drag_nps": "没有哪个主题明确拉低 NPS 回答：没有一个主题的区间完全低于零。",
    "voc.reading_no_drag_rating": "没有哪个主题明确拉低星级：没有一个主题的区间完全低于零。",
    "voc.reading_no_drag_detractor": "没有哪个主题明确让客户更可能成为贬损者：没有一个主题的"
    "区间完全高于零。",
    "voc.reading_lift_nps": "客户最喜欢的是 **{topic}**（{share} 的评论，回答高 {impact:.1f} 分）。"
    "在营销中突出它。",
    "voc.reading_lift_rating": "客户最喜欢的是 **{topic}**（{share} 的评论，星级高 {impact:.1f} 星）。"
    "在营销中突出它。",
    "voc.reading_lift_detractor": "最能保护评分的是 **{topic}**（{share} 的评论）。",
    "voc.reading_sentiment_lexicon": "{negative} 的评论是负面的（情感来自无需标注的词表方法）。",
    "voc.reading_sentiment_in_domain": "{negative} 的评论是负面的（情感来自用您自己的评论训练的"
    "模型）。",
    "voc.tab_scores": "评分",
    "voc.tab_sentiment": "情感",
    "voc.tab_topics": "主题",
    "voc.tab_drivers": "关键驱动因素与假设分析",
    "voc.tab_verbatims": "评论原文",
    "voc.score_kind": "评分",
    "voc.score_nps": "NPS 回答（0–10）",
    "voc.score_rating": "星级（1–5）",
    "voc.score_csat": "满意度",
    "voc.group_promoter": "推荐者（9–10）",
    "voc.group_passive": "被动者（7–8）",
    "voc.group_detractor": "贬损者（0–6）",
    "voc.group_satisfied": "满意",
    "voc.group_other": "其他",
    "voc.chart_distribution": "各分值的回答数：{score}",
    "voc.trend_metric": "趋势指标",
    "voc.metric_nps": "净推荐值 NPS",
    "voc.metric_avg_rating": "平均星级",
    "voc.metric_csat": "满意度（满意占比）",
    "voc.metric_avg_sentiment": "平均情感",
    "voc.chart_trend": "每月{metric}",
    "voc.trend_help": "阴影带是当月 NPS 的 95% 区间：回答少的月份区间宽，只有超出区间的差距才是真实变化。",
    "voc.no_dates": "反馈没有日期，无法显示月度趋势。",
    "voc.breakdown_title": "细分",
    "voc.breakdown_by": "细分依据",
    "voc.breakdown_metric": "显示",
    "voc.by_channel": "反馈渠道",
    "voc.by_language": "评论语言",
    "voc.by_rfm_segment": "客户分群（RFM）",
    "voc.by_customer": "客户：{attribute}",
    "voc.no_breakdown": "没有可用于细分的渠道或客户属性。带客户ID的反馈可以关联客户表和交易表。",
    "voc.breakdown_help": "回答少于 {pooled} 条的组合并为“其他”（少于 {hidden} 条则不显示）。每个 NPS 条形上的黑线是其 95% 区间。",
    "voc.unknown": "未知",
    "voc.other": "其他",
    "voc.sentiment_intro": "每条评论都有一个 −1 到 +1 的情感得分，并逐条识别语言。无需标注时，"
    "英文用 VADER（带规则的词表）打分，中文用本应用自己的词表（正面词、负面词、“不”等否定词和"
    "“很”等程度副词）。如果评论带有情感标签或评分，还会用您自己的评论训练一个模型，更准确时就用它。",
    "voc.method": "情感方法",
    "voc.method_auto": "更准确的那一个",
    "voc.method_lexicon": "无需标注的词表方法",
    "voc.method_in_domain": "用您自己的评论训练的模型",
    "voc.method_help": "“无需标注”的方法不需要训练。基于您数据的模型（字符 TF-IDF 加逻辑回归）"
    "从带情感标签的评论（或 NPS、星级能说明客户满意与否的评论）中学习客户的表达方式。",
    "voc.in_domain_needs_scores": "基于您数据的模型需要带情感标签、NPS 回答或星级的评论；"
    "现使用无需标注的方法。",
    "voc.lexicon_accuracy_help_label": "在带标签的评论中，情感（高于 +{band} 为正面，否则为负面）"
    "与标签一致的占比。",
    "voc.lexicon_accuracy_help_score": "在带评分的评论中（NPS 9–10 或 4–5 星为满意，NPS 0–6 或 "
    "1–2 星为不满意），情感与评分一致的占比。",
    "voc.in_domain_accuracy_help_label": "对用您带标签评论训练的模型做同样的检验，采用 {folds} 折交叉"
    "验证：每条评论都由没见过它的模型来预测。",
    "voc.in_domain_accuracy_help_score": "对用您带评分评论训练的模型做同样的检验，采用 {folds} 折交叉"
    "验证：每条评论都由没见过它的模型来预测。",
    "voc.checked_texts_label": "带标签的评论",
    "voc.checked_texts_score": "带评分的评论",
    "voc.accuracy_reading_label": "{method}在 {n} 条带标签的评论中**判断对了 {accuracy}**；"
    "如果总是猜“{majority}”，会对 {baseline}。平衡准确率为 {balanced}（正面和负面评论各自命中率"
    "的平均；50% 相当于瞎猜）。",
    "voc.accuracy_reading_score": "{method}在 {n} 条带评分的评论中（按评分分为满意或不满意）"
    "**判断对了 {accuracy}**；如果总是猜“{majority}”，会对 {baseline}。平衡准确率为 {balanced}"
    "（满意和不满意评论各自命中率的平均；50% 相当于瞎猜）。",
    "voc.majority_positive": "正面",
    "voc.majority_negative": "负面",
    "voc.lexicon_accuracy": "无需标注方法的准确率",
    "voc.in_domain_accuracy": "基于您数据的模型准确率",
    "voc.method_used": "本页显示的情感来自：{method}。",
    "voc.tone_positive": "正面",
    "voc.tone_neutral": "中性",
    "voc.tone_negative": "负面",
    "voc.lang_en": "英文",
    "voc.lang_zh": "中文",
    "voc.lang_other": "其他语言",
    "voc.lang_none": "无评论",
    "voc.sentiment_by_group": "各 NPS 群体的平均情感：{items}。",
    "voc.sentiment_by_group_item": "{group}为 {value}",
    "voc.topics_intro": "从评论中发现的主题（TF-IDF 与 NMF；中文用结巴分词）。每个主题以其"
    "最重要的词命名：可在表中重命名，新名称会用于本页各处。一条评论可以涉及多个主题。",
    "voc.topic_count": "主题数量",
    "voc.topic_count_help": "主题越多划分越细，越少则合并越多。多试几个数值，保留读起来最清楚的一组。",
    "voc.topics_rename_help": "双击名称即可重命名主题。",
    "voc.col_terms": "关键词",
    "voc.col_terms_help": "定义这个主题的词，按重要性排序。",
    "voc.col_name": "主题名称",
    "voc.col_name_help": "您给这个主题起的名字（可编辑）。",
    "voc.col_texts": "评论数",
    "voc.col_share": "评论占比",
    "voc.col_sentiment": "情感",
    "voc.col_topic_tone": "该主题上的情感",
    "voc.col_topic_tone_help": "评论中谈到该主题的那部分的情感（-1 非常负面，+1 非常正面）。评论的其余部分可能说的是别的。",
    "voc.col_avg_score": "平均{score}",
    "voc.examples_title": "客户怎么说",
    "voc.examples_topic": "主题",
    "voc.examples_positive": "正面评论",
    "voc.examples_negative": "负面评论",
    "voc.no_examples": "这个主题下没有。",
    "voc.col_text": "评论",
    "voc.drivers_need": "关键驱动因素分析需要评论、主题，以及评分（NPS 或星级）或情感标签。",
    "voc.drivers_intro": "哪些主题拉低或拉高了评分：用每条评论提到的主题对评分做回归"
    "（普通最小二乘法，稳健区间）。影响是提到该主题与未提到该主题的评论之间的评分差，"
    "其他主题保持不变。",
    "voc.drivers_intro_negative": "哪些主题伴随负面评论：用每条评论提到的主题对是否标为负面"
    "（1 或 0）做回归（线性概率模型，普通最小二乘法，稳健区间）。影响是提到该主题与未提到该"
    "主题的评论之间负面评论占比的差，以百分点计，其他主题保持不变。",
    "voc.driver_target": "要解释的指标",
    "voc.driver_target_help": "NPS 回答（0–10）、星级（1–5）、是否为贬损者，或按情感标签是否"
    "为负面评论（后两者的影响是概率的变化，以百分点计）。",
    "voc.target_nps": "NPS 回答",
    "voc.target_rating": "星级",
    "voc.target_detractor": "是否为贬损者",
    "voc.target_negative": "负面评论（标签）",
    "voc.impact_nps": "对 0–10 分回答的影响",
    "voc.impact_rating": "对星级的影响",
    "voc.impact_detractor": "对成为贬损者概率的影响（百分点）",
    "voc.impact_negative": "对评论为负面概率的影响（百分点）",
    "voc.impact_help": "为负：涉及这个主题的评论评分更低。",
    "voc.impact_help_negative": "为正：涉及这个主题的评论被标为负面的比例高出这么多个百分点。",
    "voc.chart_drivers": "优先级：影响与主题出现频率",
    "voc.drivers_chart_help": "优先解决右下方（对成为贬损者的概率而言是右上方）的主题："
    "出现频繁且拉低评分。竖线是 95% 区间；"
    "穿过零虚线说明影响不明确。这些主题解释了 {n} 条带评分评论中 {r2} 的差异（R²）。",
    "voc.drivers_chart_help_negative": "优先解决右上方的主题：出现频繁且伴随负面评论。竖线是 "
    "95% 区间；穿过零虚线说明影响不明确。这些主题解释了 {n} 条带标签评论中 {r2} 的差异（R²）。",
    "voc.col_frequency": "提及比例",
    "voc.col_ci": "95% 区间",
    "voc.col_ci_help": "真实影响很可能所在的范围。",
    "voc.col_p": "p 值",
    "voc.col_p_help": "如果该主题没有影响，出现这么大影响的概率；通常低于 0.05 视为显著。",
    "voc.col_reading": "解读",
    "voc.driver_row_down": "拉低评分",
    "voc.driver_row_up": "提升评分",
    "voc.driver_row_unclear": "影响不明确",
    "voc.driver_row_down_negative": "更常为负面",
    "voc.driver_row_up_negative": "较少为负面",
    "voc.driver_row_unclear_negative": "影响不明确",
    "voc.whatif_title": "假设分析",
    "voc.whatif_intro": "如果某个主题背后的投诉得到解决，驱动因素模型认为这些客户的评分会"
    "提高该主题的拉低幅度。选择主题以及您打算解决的评论比例。",
    "voc.whatif_none": "没有拉低评分的主题。",
    "voc.whatif_intro_negative": "如果某个主题背后的投诉得到解决，驱动因素模型认为这些评论为负面"
    "的概率会降低该主题的影响幅度。选择主题以及您打算解决的评论比例。",
    "voc.whatif_none_negative": "没有伴随更多负面评论的主题。",
    "voc.whatif_topic": "解决以下主题的投诉",
    "voc.whatif_share": "覆盖这些客户的比例",
    "voc.whatif_metric_nps": "当前 NPS",
    "voc.whatif_metric_rating": "当前平均星级",
    "voc.whatif_metric_detractor": "当前贬损者占比",
    "voc.whatif_metric_negative": "当前负面评论占比",
    "voc.whatif_after": "解决后的预期",
    "voc.whatif_after_help": "95% 范围 {low} 到 {high}，来自该主题影响的区间。",
    "voc.whatif_affected": "受影响的客户",
    "voc.whatif_affected_negative": "受影响的评论",
    "voc.whatif_reading_nps": "为 {n} 位客户解决“{topic}”后，NPS 预计从 {before} 升至约 {after}"
    "（范围 {low} 到 {high}）。",
    "voc.whatif_reading_rating": "为 {n} 位客户解决“{topic}”后，平均星级预计从 {before} 升至约 "
    "{after}（范围 {low} 到 {high}）。",
    "voc.whatif_reading_detractor": "为 {n} 位客户解决“{topic}”后，贬损者占比预计从 {before} "
    "变为约 {after}（范围 {low} 到 {high}）。",
    "voc.whatif_reading_negative": "为 {n} 条评论解决“{topic}”后，负面评论占比预计从 {before} "
    "变为约 {after}（范围 {low} 到 {high}）。",
    "voc.verbatims_intro": "阅读客户写下的内容。可按主题、情感、评分、日期或关键词筛选，并导出列表。",
    "voc.filter_topics": "主题",
    "voc.all_topics": "全部主题",
    "voc.filter_tone": "情感",
    "voc.all_tones": "全部情感",
    "voc.filter_keyword": "关键词",
    "voc.filter_keyword_help": "包含这段文字的评论（不区分大小写）。",
    "voc.filter_score": "{score}范围",
    "voc.filter_dates": "日期",
    "voc.mask": "隐藏邮箱地址和电话号码",
    "voc.mask_help": "在屏幕上和导出文件中替换为 [email] 和 [phone]。",
    "voc.only_text": "只看有评论的回复",
    "voc.verbatims_caption": "共 {total} 条回复，显示 {n} 条。",
    "voc.personal_found": "有 {n} 条评论包含邮箱地址或电话号码。",
    "voc.col_language": "语言",
    "voc.col_tone": "情感倾向",
    "voc.col_topics": "主题",
    "voc.download_csv": "下载 {n} 条评论（CSV）",
    "voc.download_excel": "下载 {n} 条评论（Excel）",
    "voc.chart_score": "分值",
    "voc.chart_answers": "回答数",
    "voc.chart_share": "占比",
    "voc.chart_responses": "回复数",
    "voc.chart_ci_low": "95% 区间下限",
    "voc.chart_ci_high": "95% 区间上限",
    "voc.chart_share_texts": "评论占比",
    "voc.chart_texts": "评论数",
    "voc.chart_sentiment": "平均情感",
    "voc.chart_avg_score": "平均评分",
    "voc.chart_topics": "各主题的评论占比（颜色：情感）",
    "voc.chart_frequency": "提及该主题的评论占比",
}
