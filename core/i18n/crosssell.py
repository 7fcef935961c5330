"""Messages of the Cross-sell page (English and Simplified Chinese; merged by core.i18n)."""

EN: dict[str, str] = {
    "crosssell.title": "Cross-sell",
    "crosssell.intro": "Which products sell together and which product to offer each customer next.",
    # Data and level
    "crosssell.no_items": (
        "Cross-sell needs to know what was bought: the transactions have no product or "
        "category column. Upload order lines with a product name (or a product category) "
        "on the Data page."
    ),
    "crosssell.level": "Analyse by",
    "crosssell.level_product": "Product",
    "crosssell.level_category": "Category",
    "crosssell.level_help": (
        "Product finds pairs such as kettle and filters; category finds broader patterns "
        "such as coffee with kitchenware."
    ),
    "crosssell.leave_out": "Leave out",
    "crosssell.leave_out_none": "Nothing left out",
    "crosssell.leave_out_help": (
        "Lines that are not really products, such as postage, fees or gift wrap, would "
        "otherwise look bought together with everything."
    ),
    "crosssell.item_product": "product",
    "crosssell.item_category": "category",
    "crosssell.data_caption": (
        "{baskets} baskets of {items} different items; {multi} of the baskets hold two or "
        "more items. A basket is {source}."
    ),
    "crosssell.source_order_id": "an order (order ID)",
    "crosssell.source_customer_day": (
        "everything a customer bought on one day (the data has no order ID)"
    ),
    "crosssell.tab_rules": "Bought together",
    "crosssell.tab_explore": "Explore",
    "crosssell.tab_next": "Next best product",
    "crosssell.tab_check": "How good are the recommendations?",
    "crosssell.tab_whatif": "What if",
    # Rules
    "crosssell.rules_intro": (
        "An association rule **X → Y** says: baskets with X often also hold Y. "
        "*Support* is how common the pair is, *confidence* how often X's baskets hold Y, "
        "and *lift* how many times more often than in an average basket."
    ),
    "crosssell.min_support": "Minimum support",
    "crosssell.min_support_help": (
        "Share of all baskets that hold both items. Higher values keep only pairs that "
        "are bought together often enough to matter."
    ),
    "crosssell.min_confidence": "Minimum confidence",
    "crosssell.min_confidence_help": (
        "Of the baskets with the first item, the share that also hold the second one "
        "(the chance that a buyer of X also takes Y)."
    ),
    "crosssell.rules_found": "Rules found",
    "crosssell.rules_help": (
        "Pairs X → Y that pass both thresholds, were bought together in at least "
        "{min_baskets} baskets and more often than chance (lift above 1)."
    ),
    "crosssell.baskets": "Baskets analysed",
    "crosssell.baskets_help": "Orders (or customer-days) with at least one item.",
    "crosssell.multi_baskets": "Baskets with 2+ items",
    "crosssell.multi_baskets_help": (
        "Only baskets holding two or more different items can show what sells together."
    ),
    "crosssell.no_multi_item_baskets": (
        "No basket holds two different items, so nothing can be found about what sells "
        "together. Check that the file has one row per order line with an order ID, or "
        "try the product level."
    ),
    "crosssell.no_rules": (
        "No rule passes these thresholds. Lower the minimum support or confidence."
    ),
    "crosssell.reading_title": "What this means",
    "crosssell.rule_sentence": (
        "Customers who buy **{x}** also buy **{y}** {lift}× more often than average "
        "({confidence} of baskets with {x} also hold {y})."
    ),
    "crosssell.reading_caption": (
        'Strong rules are candidates for bundles, "frequently bought together" blocks on '
        "product pages and follow-up e-mails. A lift near 1 means no link."
    ),
    "crosssell.table_title": "All rules",
    "crosssell.filter_item": "Show rules with this {item}",
    "crosssell.all_items": "All",
    "crosssell.table_capped": "The table shows the {n} rules with the highest lift; the download has all.",
    "crosssell.col_antecedent": "If a basket has",
    "crosssell.col_antecedent_help": "The item already in the basket (X).",
    "crosssell.col_consequent": "It also has",
    "crosssell.col_consequent_help": "The item bought with it (Y).",
    "crosssell.col_baskets": "Baskets with both",
    "crosssell.col_baskets_help": "Number of baskets that hold both items.",
    "crosssell.col_support": "Support",
    "crosssell.col_confidence": "Confidence",
    "crosssell.col_lift": "Lift",
    "crosssell.col_lift_help": (
        "Confidence divided by how common Y is in all baskets: 3 means Y is three times "
        "more likely in a basket with X than in an average basket; 1 means no link."
    ),
    "crosssell.col_conviction": "Conviction",
    "crosssell.col_conviction_help": (
        "How much more often X would appear without Y if the two were unrelated "
        "(1 = unrelated; higher = the rule fails less often)."
    ),
    "crosssell.col_consequent_support": "Y in all baskets",
    "crosssell.col_consequent_support_help": "Share of all baskets that hold Y (the average).",
    "crosssell.download_rules": "Download the rules ({n}, CSV)",
    "crosssell.rules_map_help": (
        "Each point is a rule: further right = more common, higher = more reliable, darker "
        "and larger = stronger link (lift). Hover to read it."
    ),
    # Explore
    "crosssell.heatmap_title": "Which items are bought together",
    "crosssell.heatmap_top": "Number of items",
    "crosssell.heatmap_help": "How many items the heatmap compares.",
    "crosssell.heatmap_which": "Items in the heatmap",
    "crosssell.heatmap_rules": "In the strongest rules",
    "crosssell.heatmap_popular": "Most bought",
    "crosssell.heatmap_which_help": (
        "The items of the rules with the highest lift (first tab's thresholds), or the "
        "items in the most baskets."
    ),
    "crosssell.heatmap_caption": (
        "Read across a row: a dark cell means baskets with the row's item hold the "
        "column's item more often than average (lift above 1); grey means less often."
    ),
    "crosssell.second_title": "What customers buy in their second order",
    "crosssell.second_intro": (
        "The second order is the moment a new customer becomes a regular. What they buy "
        "then, and how it depends on the first order, tells you what to suggest after a "
        "first purchase."
    ),
    "crosssell.first_level": "Group first orders by",
    "crosssell.first_level_help": (
        "Category compares customers by what kind of first order they placed; product by "
        "the exact items."
    ),
    "crosssell.second_caption": "{n} customers placed a second order.",
    "crosssell.no_second_orders": (
        "No customer has placed two orders yet, so second orders cannot be shown."
    ),
    "crosssell.no_flows": (
        "Too few customers per first-order item (at least {minimum} needed) to compare second orders."
    ),
    "crosssell.flow_sentence": (
        "{share} of the customers whose first order had **{first}** bought **{second}** in "
        "their second order, against {others} of the others."
    ),
    "crosssell.flow_caption": (
        "Use these pairs for the welcome series: after a first order with the left item, "
        "offer the right one."
    ),
    # Next best product
    "crosssell.next_intro": (
        "For every customer, the items they are most likely to want next, based on "
        "what customers with similar purchases bought. Items a customer already bought "
        "are never suggested."
    ),
    "crosssell.top_n": "Suggestions per customer",
    "crosssell.top_n_help": "How many items to list for each customer, best first.",
    "crosssell.no_recommendations": "There is nothing to recommend: no customer bought an item.",
    "crosssell.segments": "Customers in segments",
    "crosssell.all_segments": "All segments",
    "crosssell.segments_help": (
        "RFM segments from the Segmentation page (recency, frequency, spend on the last "
        "day of the data)."
    ),
    "crosssell.col_segment": "Segment",
    "crosssell.col_reason": "#1 goes with (bought)",
    "crosssell.col_rank": "{item} #{rank}",
    "crosssell.next_caption": "{n} customers (the table shows up to {shown}; downloads have all).",
    "crosssell.download_csv": "Download {n} customers (CSV)",
    "crosssell.download_excel": "Download {n} customers (Excel)",
    "crosssell.recommended_caption": (
        "The items suggested first most often: stock and creative for these will be "
        "needed in a cross-sell campaign."
    ),
    "crosssell.method_title": "How the suggestions are made",
    "crosssell.method_text": (
        "Item-to-item collaborative filtering (as described by Amazon, Linden et al. 2003): "
        "two items are similar when the same customers buy both (cosine similarity over "
        "customers). A customer's score for an item adds up its similarity to everything "
        "they bought; items they already own are left out, and ties go to the more popular "
        "item. Check the next tab to see how often this would have been right."
    ),
    # Holdout check
    "crosssell.check_intro": (
        "An honest test: the suggestions are computed only from orders before a cut-off "
        "day, then compared with what each customer really bought in their next order "
        "after it. The benchmark is simply suggesting the most popular items the customer "
        "does not own yet."
    ),
    "crosssell.no_holdout_customers": (
        "No customer bought both before and after the cut-off (with something new), so "
        "the suggestions cannot be checked. Move the cut-off."
    ),
    "crosssell.cutoff": "Cut-off day",
    "crosssell.cutoff_help": (
        "Orders before this day train the suggestions; each customer's first order on or "
        "after it is the answer. By default {share} of the orders are before it."
    ),
    "crosssell.hit_rate": "Hit rate (top {top})",
    "crosssell.hit_rate_help": (
        "Share of customers whose next order held at least one of their {top} suggested items "
        "(counting only items they had not bought before)."
    ),
    "crosssell.baseline_hit_rate": "Most popular items (top {top})",
    "crosssell.baseline_help": (
        "The same check when everyone gets the {top} most popular items they do not own yet."
    ),
    "crosssell.check_customers": "Customers checked",
    "crosssell.check_customers_help": (
        "Customers who bought before the cut-off and whose next order held something new."
    ),
    "crosssell.check_few_items": (
        "With only {n} items to choose from, a top {top} list covers most of them, so "
        "both hit rates are high and the comparison says little. Use the product level "
        "for a real test."
    ),
    "crosssell.method_model": "Personal suggestions",
    "crosssell.method_popular": "Most popular items",
    "crosssell.check_reading_better": (
        "For {n} customers who ordered again after {cutoff}, the top {top} suggestions held "
        "something they really bought next for **{rate}** of them, against {baseline} when "
        "suggesting the most popular items: {times}× as often. The personal list is worth "
        "using."
    ),
    "crosssell.check_reading_worse": (
        "For {n} customers who ordered again after {cutoff}, the top {top} suggestions were "
        "right for {rate} of them, against **{baseline}** for the most popular items "
        "({times}×). Here the simple best-seller list works as well or better: use it."
    ),
    # What if
    "crosssell.whatif_intro": (
        "Plan a bundle or cross-sell e-mail: offer Y to the customers who bought X but "
        "never Y. The estimate uses the rule's confidence as their natural propensity "
        "and your assumption of how much of it the campaign turns into extra orders."
    ),
    "crosssell.whatif_no_rules": (
        "No rule at the current thresholds: lower the minimum support or confidence on "
        "the first tab."
    ),
    "crosssell.whatif_rule": "Campaign: offer Y to the buyers of X",
    "crosssell.whatif_rule_help": (
        "The rules of the first tab, the campaign with the most expected revenue first."
    ),
    "crosssell.whatif_option": "{x} → {y}  (confidence {confidence}, {n} customers)",
    "crosssell.whatif_ranking": "The {n} campaigns worth most at this response",
    "crosssell.whatif_response": "Campaign response (share of the confidence)",
    "crosssell.whatif_response_help": (
        "Of the customers who would buy Y with X, the share the campaign actually brings "
        "in as extra orders. {default} is a cautious guess; test it with a control group."
    ),
    "crosssell.whatif_target": "Customers to target",
    "crosssell.whatif_target_help": "Customers who bought X but have never bought Y.",
    "crosssell.whatif_orders": "Expected extra orders",
    "crosssell.whatif_orders_help": "Customers to target × confidence × campaign response.",
    "crosssell.whatif_price": "Average spend on Y",
    "crosssell.whatif_price_help": "Average amount spent on Y in an order that holds it.",
    "crosssell.whatif_revenue": "Expected extra revenue",
    "crosssell.whatif_revenue_help": "Expected extra orders × average spend on Y.",
    "crosssell.whatif_reading": (
        "Offering **{y}** to the {n} customers of **{x}** who do not have it: with a "
        "confidence of {confidence} and a response of {response}, expect about {orders} "
        "extra orders worth {price} each, **{revenue}** in total, before discount and "
        "sending costs."
    ),
    "crosssell.unknown_item": "This item is not in the data.",
    "crosssell.pairs_toggle": "Also find rules that start from two items",
    "crosssell.pairs_help": (
        "Rules such as {{X1, X2}} → Y: what a basket that already holds two items also "
        "gets. Only rules where knowing both items raises the confidence by {gain} points "
        "or more are shown."
    ),
    "crosssell.pairs_running": "Counting baskets with three items…",
    "crosssell.no_pair_rules": (
        "No rule with two items adds anything to the single-item rules at these thresholds."
    ),
    "crosssell.pair_sentence": (
        "Customers who buy **{x}** and **{z}** together also buy **{y}** in {confidence} "
        "of those baskets ({gain} points more than with either item alone)."
    ),
    "crosssell.col_pair": "If a basket has both",
    "crosssell.col_gain": "Gain (points)",
    "crosssell.col_gain_help": (
        "Confidence of the two-item rule minus the better confidence of the two "
        "single-item rules: what knowing both items adds."
    ),
    "crosssell.col_offer": "Offer",
    "crosssell.col_because": "Because they bought",
    "crosssell.download_audience": "Download the {n} customers to target (CSV)",
    # Charts
    "crosssell.chart_support": "Support (share of baskets)",
    "crosssell.chart_confidence": "Confidence",
    "crosssell.chart_lift": "Lift",
    "crosssell.chart_baskets": "Baskets with both",
    "crosssell.chart_rules_map": "Rules: how common, how reliable, how strong",
    "crosssell.chart_also_bought": "Also in the basket",
    "crosssell.chart_bought": "Basket has",
    "crosssell.chart_baskets_both": "Baskets with both",
    "crosssell.chart_heatmap": "Bought together: lift between these items",
    "crosssell.chart_share_second": "Share of second orders",
    "crosssell.chart_customers": "Customers",
    "crosssell.chart_second_items": "Most common items in second orders",
    "crosssell.chart_first_had": "First order had it",
    "crosssell.chart_first_had_not": "Other customers",
    "crosssell.chart_share_second_bought": "Bought in the second order",
    "crosssell.chart_flows": "First order → most typical second-order item",
    "crosssell.chart_recommended": "Most suggested first",
    "crosssell.chart_hit_rate": "Hit rate",
    "crosssell.chart_hits": "Customers with a hit",
    "crosssell.chart_holdout": "Top {top} contains what they bought next",
}

ZH: dict[str, str] = {
    "crosssell.title": "交叉销售",
    "crosssell.intro": "哪些商品常被一起购买，以及下一步该向每位客户推荐什么商品。",
    "crosssell.no_items": (
        "交叉销售需要知道客户买了什么：交易数据中没有商品或品类列。"
        "请在“数据”页上传带有商品名称（或商品品类）的订单明细。"
    ),
    "crosssell.level": "分析层级",
    "crosssell.level_product": "商品",
    "crosssell.level_category": "品类",
    "crosssell.level_help": "按商品可发现“手冲壶配滤纸”这类组合；按品类可看到“咖啡配厨具”这类大方向。",
    "crosssell.leave_out": "排除的条目",
    "crosssell.leave_out_none": "不排除任何条目",
    "crosssell.leave_out_help": "运费、手续费、礼品包装等并非真正商品的明细行，否则会显得和所有商品都一起购买。",
    "crosssell.item_product": "商品",
    "crosssell.item_category": "品类",
    "crosssell.data_caption": (
        "共 {baskets} 个购物篮，涉及 {items} 个不同条目；其中 {multi} 的购物篮包含两个及以上条目。"
        "一个购物篮指{source}。"
    ),
    "crosssell.source_order_id": "一笔订单（按订单号）",
    "crosssell.source_customer_day": "同一客户同一天购买的全部商品（数据中没有订单号）",
    "crosssell.tab_rules": "常一起购买",
    "crosssell.tab_explore": "深入探索",
    "crosssell.tab_next": "下一个推荐商品",
    "crosssell.tab_check": "推荐准不准？",
    "crosssell.tab_whatif": "假设分析",
    "crosssell.rules_intro": (
        "关联规则 **X → Y** 的意思是：含 X 的购物篮也常含 Y。"
        "*支持度* 表示这对组合有多常见，*置信度* 表示含 X 的购物篮中有多少也含 Y，"
        "*提升度* 表示这一比例是普通购物篮的多少倍。"
    ),
    "crosssell.min_support": "最低支持度",
    "crosssell.min_support_help": "同时包含两个条目的购物篮占全部购物篮的比例。调高后只保留经常一起购买、值得关注的组合。",
    "crosssell.min_confidence": "最低置信度",
    "crosssell.min_confidence_help": "在含第一个条目的购物篮中，同时含第二个条目的比例（买 X 的客户顺带买 Y 的概率）。",
    "crosssell.rules_found": "找到的规则",
    "crosssell.rules_help": "通过两个门槛、至少在 {min_baskets} 个购物篮中一起出现、且一起购买的频率高于随机水平（提升度大于 1）的组合 X → Y。",
    "crosssell.baskets": "分析的购物篮",
    "crosssell.baskets_help": "至少包含一个条目的订单（或客户-日）。",
    "crosssell.multi_baskets": "含 2 个以上条目的购物篮",
    "crosssell.multi_baskets_help": "只有包含两个及以上不同条目的购物篮，才能看出哪些商品一起卖。",
    "crosssell.no_multi_item_baskets": (
        "没有任何购物篮包含两个不同的条目，因此无法分析哪些商品一起购买。"
        "请确认文件是每行一条订单明细并带有订单号，或改用商品层级。"
    ),
    "crosssell.no_rules": "没有规则通过当前门槛。请降低最低支持度或置信度。",
    "crosssell.reading_title": "这意味着什么",
    "crosssell.rule_sentence": (
        "购买 **{x}** 的客户同时购买 **{y}** 的可能性是平均水平的 {lift} 倍"
        "（含 {x} 的购物篮中有 {confidence} 也含 {y}）。"
    ),
    "crosssell.reading_caption": (
        "强规则适合做组合套装、商品页的“经常一起购买”模块以及购后跟进邮件。提升度接近 1 表示两者没有关联。"
    ),
    "crosssell.table_title": "全部规则",
    "crosssell.filter_item": "只看包含此{item}的规则",
    "crosssell.all_items": "全部",
    "crosssell.table_capped": "表格显示提升度最高的 {n} 条规则；下载文件包含全部规则。",
    "crosssell.col_antecedent": "购物篮中已有",
    "crosssell.col_antecedent_help": "已在购物篮中的条目（X）。",
    "crosssell.col_consequent": "同时还买了",
    "crosssell.col_consequent_help": "与之一起购买的条目（Y）。",
    "crosssell.col_baskets": "同时包含的购物篮数",
    "crosssell.col_baskets_help": "同时包含这两个条目的购物篮数量。",
    "crosssell.col_support": "支持度",
    "crosssell.col_confidence": "置信度",
    "crosssell.col_lift": "提升度",
    "crosssell.col_lift_help": (
        "置信度除以 Y 在全部购物篮中的占比：3 表示含 X 的购物篮出现 Y 的概率是普通购物篮的三倍；1 表示没有关联。"
    ),
    "crosssell.col_conviction": "确信度",
    "crosssell.col_conviction_help": "如果两者无关，“有 X 无 Y”会多出现多少倍（1 = 无关；越高表示规则越少出错）。",
    "crosssell.col_consequent_support": "Y 在全部购物篮中的占比",
    "crosssell.col_consequent_support_help": "包含 Y 的购物篮占全部购物篮的比例（平均水平）。",
    "crosssell.download_rules": "下载规则（{n} 条，CSV）",
    "crosssell.rules_map_help": (
        "每个点是一条规则：越靠右越常见，越靠上越可靠，颜色越深、点越大表示关联越强（提升度）。鼠标悬停可查看详情。"
    ),
    "crosssell.heatmap_title": "哪些条目常在同一购物篮中",
    "crosssell.heatmap_top": "条目数量",
    "crosssell.heatmap_help": "热力图中比较的条目数量。",
    "crosssell.heatmap_which": "热力图中的条目",
    "crosssell.heatmap_rules": "最强规则中的条目",
    "crosssell.heatmap_popular": "购买最多的条目",
    "crosssell.heatmap_which_help": "提升度最高的规则中的条目（按第一个标签页的门槛），或出现在最多购物篮中的条目。",
    "crosssell.heatmap_caption": (
        "按行阅读：颜色越深，表示含该行条目的购物篮比平均水平更常包含该列条目（提升度大于 1）；灰色表示比平均更少。"
    ),
    "crosssell.second_title": "客户第二单买什么",
    "crosssell.second_intro": (
        "第二单是新客变成回头客的关键时刻。客户第二单买什么、又如何取决于首单，"
        "告诉你在首次购买后该推荐什么。"
    ),
    "crosssell.first_level": "首单分组方式",
    "crosssell.first_level_help": "按品类比较首单的类型；按商品比较首单中的具体商品。",
    "crosssell.second_caption": "共有 {n} 位客户下了第二单。",
    "crosssell.no_second_orders": "还没有客户下过两单，无法展示第二单的情况。",
    "crosssell.no_flows": "每个首单条目的客户太少（至少需要 {minimum} 位），无法比较第二单。",
    "crosssell.flow_sentence": (
        "首单含 **{first}** 的客户中，有 {share} 在第二单购买了 **{second}**，其他客户中这一比例仅为 {others}。"
    ),
    "crosssell.flow_caption": "可用于新客欢迎旅程：首单买了左边的条目后，推荐右边的条目。",
    "crosssell.next_intro": (
        "为每位客户列出他们接下来最可能想要的条目，依据是购买相似商品的客户还买了什么。"
        "客户已买过的条目绝不会被推荐。"
    ),
    "crosssell.top_n": "每位客户的推荐数",
    "crosssell.top_n_help": "每位客户列出多少个条目，按推荐强度排序。",
    "crosssell.no_recommendations": "没有可推荐的内容：没有客户购买过任何条目。",
    "crosssell.segments": "客户所属分群",
    "crosssell.all_segments": "全部分群",
    "crosssell.segments_help": "来自“客户分群”页的 RFM 分群（以数据最后一天计算最近一次购买、频次和消费金额）。",
    "crosssell.col_segment": "分群",
    "crosssell.col_reason": "#1 的推荐依据（已购）",
    "crosssell.col_rank": "推荐{item} #{rank}",
    "crosssell.next_caption": "共 {n} 位客户（表格最多显示 {shown} 行；下载文件包含全部）。",
    "crosssell.download_csv": "下载 {n} 位客户（CSV）",
    "crosssell.download_excel": "下载 {n} 位客户（Excel）",
    "crosssell.recommended_caption": "最常被排在第一位推荐的条目：做交叉销售活动时需要为它们备好库存和素材。",
    "crosssell.method_title": "推荐是如何产生的",
    "crosssell.method_text": (
        "采用“物品到物品”的协同过滤（亚马逊 Linden 等人 2003 年提出）：同一批客户都买过的两个条目被视为相似"
        "（基于客户的余弦相似度）。客户对某条目的得分是它与该客户买过的所有条目的相似度之和；"
        "客户已拥有的条目被排除，得分相同时优先推荐更热门的条目。下一个标签页可以查看这种推荐过去的命中率。"
    ),
    "crosssell.check_intro": (
        "一次诚实的检验：只用截止日之前的订单计算推荐，再与每位客户截止日之后下一单实际买的东西对比。"
        "对照基准是直接推荐客户还没买过的最热门条目。"
    ),
    "crosssell.no_holdout_customers": (
        "没有客户在截止日前后都购买过（并买了新东西），无法检验推荐效果。请调整截止日。"
    ),
    "crosssell.cutoff": "截止日",
    "crosssell.cutoff_help": "截止日之前的订单用于生成推荐；每位客户在截止日当天或之后的第一单作为答案。默认让 {share} 的订单落在截止日之前。",
    "crosssell.hit_rate": "命中率（前 {top} 个）",
    "crosssell.hit_rate_help": "下一单中至少包含一个推荐条目（前 {top} 个）的客户占比（只计算客户之前没买过的条目）。",
    "crosssell.baseline_hit_rate": "最热门条目（前 {top} 个）",
    "crosssell.baseline_help": "同样的检验，但每位客户都收到他们尚未购买的 {top} 个最热门条目。",
    "crosssell.check_customers": "参与检验的客户",
    "crosssell.check_customers_help": "截止日前购买过、且截止日后的下一单中有新条目的客户。",
    "crosssell.check_few_items": "可选条目只有 {n} 个，前 {top} 个推荐几乎覆盖全部条目，因此两种命中率都很高，比较意义不大。请改用商品层级进行真正的检验。",
    "crosssell.method_model": "个性化推荐",
    "crosssell.method_popular": "最热门条目",
    "crosssell.check_reading_better": (
        "在 {cutoff} 之后再次下单的 {n} 位客户中，前 {top} 个推荐里包含其下一单实际购买条目的比例为 **{rate}**，"
        "而推荐最热门条目只有 {baseline}：是后者的 {times} 倍。个性化推荐清单值得使用。"
    ),
    "crosssell.check_reading_worse": (
        "在 {cutoff} 之后再次下单的 {n} 位客户中，前 {top} 个推荐的命中率为 {rate}，"
        "而推荐最热门条目为 **{baseline}**（{times} 倍）。在这份数据上，简单的畅销榜同样有效甚至更好：直接用它即可。"
    ),
    "crosssell.whatif_intro": (
        "规划组合套装或交叉销售邮件：向买过 X 但从未买过 Y 的客户推荐 Y。"
        "估算以规则的置信度作为他们的自然购买倾向，再乘以你假设的活动转化比例。"
    ),
    "crosssell.whatif_no_rules": "当前门槛下没有规则：请在第一个标签页降低最低支持度或置信度。",
    "crosssell.whatif_rule": "活动：向 X 的购买者推荐 Y",
    "crosssell.whatif_rule_help": "第一个标签页中的规则，预计收入最高的活动排在最前。",
    "crosssell.whatif_option": "{x} → {y}（置信度 {confidence}，{n} 位客户）",
    "crosssell.whatif_ranking": "按当前响应计算，最有价值的 {n} 个活动",
    "crosssell.whatif_response": "活动响应（占置信度的比例）",
    "crosssell.whatif_response_help": (
        "在会顺带购买 Y 的客户中，活动真正带来额外订单的比例。{default} 是较保守的估计；建议用对照组检验。"
    ),
    "crosssell.whatif_target": "目标客户数",
    "crosssell.whatif_target_help": "买过 X 但从未买过 Y 的客户。",
    "crosssell.whatif_orders": "预计额外订单",
    "crosssell.whatif_orders_help": "目标客户数 × 置信度 × 活动响应。",
    "crosssell.whatif_price": "Y 的平均消费",
    "crosssell.whatif_price_help": "在包含 Y 的订单中，花在 Y 上的平均金额。",
    "crosssell.whatif_revenue": "预计额外收入",
    "crosssell.whatif_revenue_help": "预计额外订单 × Y 的平均消费。",
    "crosssell.whatif_reading": (
        "向买过 **{x}** 但还没有 **{y}** 的 {n} 位客户推荐 {y}：按置信度 {confidence}、响应 {response} 计算，"
        "预计带来约 {orders} 笔额外订单，每笔 {price}，合计 **{revenue}**（未扣除折扣和发送成本）。"
    ),
    "crosssell.unknown_item": "数据中没有这个条目。",
    "crosssell.pairs_toggle": "同时查找以两个条目为前提的规则",
    "crosssell.pairs_help": (
        "例如 {{X1, X2}} → Y：购物篮中已有两个条目时还会买什么。"
        "只显示同时知道两个条目能让置信度提高 {gain} 个百分点以上的规则。"
    ),
    "crosssell.pairs_running": "正在统计包含三个条目的购物篮…",
    "crosssell.no_pair_rules": "在当前门槛下，以两个条目为前提的规则并没有比单条目规则提供更多信息。",
    "crosssell.pair_sentence": (
        "同时购买 **{x}** 和 **{z}** 的客户中，有 {confidence} 的购物篮还包含 **{y}**"
        "（比只看其中任一条目高 {gain} 个百分点）。"
    ),
    "crosssell.col_pair": "购物篮中同时有",
    "crosssell.col_gain": "增益（百分点）",
    "crosssell.col_gain_help": "双条目规则的置信度减去两个单条目规则中较高的置信度：同时知道两个条目带来的额外信息。",
    "crosssell.col_offer": "推荐",
    "crosssell.col_because": "因为已购买",
    "crosssell.download_audience": "下载 {n} 位目标客户（CSV）",
    "crosssell.chart_support": "支持度（占购物篮比例）",
    "crosssell.chart_confidence": "置信度",
    "crosssell.chart_lift": "提升度",
    "crosssell.chart_baskets": "同时包含的购物篮数",
    "crosssell.chart_rules_map": "规则：有多常见、多可靠、多强",
    "crosssell.chart_also_bought": "购物篮中同时有",
    "crosssell.chart_bought": "购物篮中有",
    "crosssell.chart_baskets_both": "同时包含的购物篮数",
    "crosssell.chart_heatmap": "同篮购买：这些条目之间的提升度",
    "crosssell.chart_share_second": "占第二单的比例",
    "crosssell.chart_customers": "客户数",
    "crosssell.chart_second_items": "第二单中最常见的条目",
    "crosssell.chart_first_had": "首单包含它",
    "crosssell.chart_first_had_not": "其他客户",
    "crosssell.chart_share_second_bought": "第二单购买比例",
    "crosssell.chart_flows": "首单 → 第二单最典型的条目",
    "crosssell.chart_recommended": "最常被排在第一位推荐",
    "crosssell.chart_hit_rate": "命中率",
    "crosssell.chart_hits": "命中的客户数",
    "crosssell.chart_holdout": "前 {top} 个推荐包含其下一单购买的条目",
}
