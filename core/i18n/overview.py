"""Messages of the Overview page: KPIs, period choice and notes (English and Simplified Chinese; merged by core.i18n)."""

EN: dict[str, str] = {
    "overview.choose_period": "Period",
    "overview.all_data": "All data",
    "overview.period_span": "From {start} to {end} (the last {days} days in the data).",
    "overview.all_span": "All the data: from {start} to {end} ({days} days).",
    "overview.all_data_no_change": (
        "No changes are shown: there is no earlier period of the same length to compare with."
    ),
    "overview.no_full_previous": (
        "The data starts on {start}, so there is no full previous {days} days to compare "
        "with: no changes are shown."
    ),
    "overview.period_longer_than_data": (
        "The data covers only {span} days (from {start}), fewer than {days}: these figures "
        "are for all of it, and there is nothing to compare with."
    ),
    "overview.periods_not_offered": (
        "The data covers {span} days (from {start} to {end}), so periods of {periods} days "
        "are not offered: they are longer than the data."
    ),
    "overview.previous_empty": (
        "There were no orders in the previous {days} days ({start} to {end}), so the changes "
        "in revenue, orders and active customers cannot be computed."
    ),
    "overview.zero_orders": (
        "Orders with an amount of 0 in this period: {n}. They count as orders and make their "
        "customers active, and they lower the average order value."
    ),
    "overview.all_line.customers": "Everyone who has bought so far.",
    "overview.all_line.active_customers": "Bought at least once in the data.",
    "overview.all_line.revenue": "Sales over all the data.",
    "overview.all_line.orders": "Orders over all the data.",
    "overview.all_line.average_order_value": "Typical basket over all the data.",
    "overview.all_line.repeat_rate": "Customers who came back for a second order.",
    "overview.title": "Overview",
    "overview.no_transactions": "Load a transactions file to see the overview.",
    "overview.no_orders": "The transactions table has no usable orders. See the data quality report.",
    "overview.period": "Compare the last",
    "overview.last_days": "{days} days",
    "overview.period_caption": "From {start} to {end} (the last {days} days in the data), against the {days} days before.",
    "overview.previous_partial": "The data does not reach back a full period before this one, so changes compare with a shorter period.",
    "overview.chart_help": "Hover over a month to read its figures. Lighter bars and hollow points mark months the data covers only in part.",
    "overview.next_title": "Where to look next",
    "overview.hint_revenue_down": "Revenue is down {change} on the previous period: check whether fewer customers bought or each bought less (active customers vs average order value above).",
    "overview.hint_active_down": "Fewer customers bought ({change}): the retention view will show who is slipping away.",
    "overview.hint_low_repeat": "Only {rate} of customers have ordered more than once: a second-order programme for new customers is usually the biggest lever.",
    "overview.hint_quality": "{n} rows were set aside when reading the data: see the data quality report to make sure nothing important is missing.",
    "overview.pages_title": "What each page answers",
    "overview.page_segmentation": "Who are my customers? RFM segments, clusters and lifecycle stages, with lists to export.",
    "overview.page_clv": "What are they worth? Expected purchases, chance of still being a customer, and lifetime value.",
    "overview.page_retention": "Who is slipping away? Cohorts, churn, survival curves and a list of customers to call.",
    "overview.page_voc": "What do they say? Scores, sentiment, topics and what drives the score down.",
    "overview.page_campaign": "Did the campaign work? Lift with honest uncertainty, return on spend and the next test's size.",
    "overview.page_crosssell": "What to offer next? Products bought together and a next best product per customer.",
    "kpi.customers": "Customers",
    "kpi.active_customers": "Active customers",
    "kpi.revenue": "Revenue",
    "kpi.orders": "Orders",
    "kpi.average_order_value": "Average order value",
    "kpi.repeat_rate": "Repeat-purchase rate",
    "kpi_help.customers": "Distinct customers who bought at least once up to the end of the period. The change compares with the count at the end of the previous period.",
    "kpi_help.active_customers": "Distinct customers with at least one order in the period.",
    "kpi_help.revenue": "Sum of order amounts in the period (returns excluded).",
    "kpi_help.orders": "Orders in the period (an order ID, or one customer's lines at the same time).",
    "kpi_help.average_order_value": "Revenue divided by orders in the period.",
    "kpi_help.repeat_rate": "Share of all customers so far who have placed two or more orders. The change is in percentage points (pp).",
    "kpi_line.customers": "Everyone who has bought so far.",
    "kpi_line.active_customers": "Bought in the last {days} days.",
    "kpi_line.revenue": "Sales in the last {days} days.",
    "kpi_line.orders": "Orders in the last {days} days.",
    "kpi_line.average_order_value": "Typical basket in the last {days} days.",
    "kpi_line.repeat_rate": "Customers who came back for a second order.",
}

ZH: dict[str, str] = {
    "overview.choose_period": "时间段",
    "overview.all_data": "全部数据",
    "overview.period_span": "从 {start} 到 {end}（数据中最近的 {days} 天）。",
    "overview.all_span": "全部数据：从 {start} 到 {end}（共 {days} 天）。",
    "overview.all_data_no_change": "不显示变化：没有更早的同样长度的时间段可供对比。",
    "overview.no_full_previous": (
        "数据从 {start} 开始，没有完整的之前 {days} 天可供对比，因此不显示变化。"
    ),
    "overview.period_longer_than_data": (
        "数据只覆盖 {span} 天（从 {start} 开始），不足 {days} 天：这些数字是全部数据的，"
        "没有可对比的时间段。"
    ),
    "overview.periods_not_offered": (
        "数据覆盖 {span} 天（{start} 至 {end}），因此不提供 {periods} 天的时间段：它们比数据还长。"
    ),
    "overview.previous_empty": (
        "之前的 {days} 天（{start} 至 {end}）没有订单，因此无法计算收入、订单数和活跃客户的变化。"
    ),
    "overview.zero_orders": (
        "本时间段有 {n} 个订单金额为 0：它们计入订单数和活跃客户，并会拉低客单价。"
    ),
    "overview.all_line.customers": "迄今买过东西的所有人。",
    "overview.all_line.active_customers": "在数据中至少购买过一次。",
    "overview.all_line.revenue": "全部数据的销售额。",
    "overview.all_line.orders": "全部数据的订单。",
    "overview.all_line.average_order_value": "全部数据的典型订单金额。",
    "overview.all_line.repeat_rate": "回来下第二单的客户。",
    "overview.title": "总览",
    "overview.no_transactions": "请加载交易文件以查看总览。",
    "overview.no_orders": "交易表中没有可用的订单。请查看数据质量报告。",
    "overview.period": "对比最近",
    "overview.last_days": "{days} 天",
    "overview.period_caption": "从 {start} 到 {end}（数据中最近的 {days} 天），与之前的 {days} 天对比。",
    "overview.previous_partial": "数据没有覆盖到之前完整的一个周期，因此变化是与较短的周期对比。",
    "overview.chart_help": "将鼠标移到某个月上即可查看该月数据。颜色较浅的柱和空心点表示数据只覆盖了该月的一部分。",
    "overview.next_title": "下一步看哪里",
    "overview.hint_revenue_down": "收入比上一周期下降 {change}：看看是购买的客户变少了，还是每位客户买得少了（见上方的活跃客户和客单价）。",
    "overview.hint_active_down": "购买的客户变少了（{change}）：留存分析会显示哪些客户正在流失。",
    "overview.hint_low_repeat": "只有 {rate} 的客户下过两次及以上订单：针对新客的二次购买计划通常是最大的增长点。",
    "overview.hint_quality": "读取数据时有 {n} 行被单独列出：请查看数据质量报告，确认没有遗漏重要内容。",
    "overview.pages_title": "各页面回答什么问题",
    "overview.page_segmentation": "我的客户是谁？RFM 分群、聚类和生命周期阶段，可导出客户名单。",
    "overview.page_clv": "客户值多少钱？预期购买次数、仍是活跃客户的概率和终身价值。",
    "overview.page_retention": "谁在流失？同期群、流失率、生存曲线，以及需要联系的客户名单。",
    "overview.page_voc": "客户在说什么？评分、情感、话题，以及拉低评分的原因。",
    "overview.page_campaign": "活动有效吗？带可信区间的提升效果、投资回报和下一次测试所需的样本量。",
    "overview.page_crosssell": "下一步推荐什么？常被一起购买的商品，以及每位客户的下一个最佳商品。",
    "kpi.customers": "客户数",
    "kpi.active_customers": "活跃客户",
    "kpi.revenue": "收入",
    "kpi.orders": "订单数",
    "kpi.average_order_value": "客单价",
    "kpi.repeat_rate": "复购率",
    "kpi_help.customers": "截至本周期末至少购买过一次的客户数。变化与上一周期末的客户数对比。",
    "kpi_help.active_customers": "本周期内至少下过一单的客户数。",
    "kpi_help.revenue": "本周期内订单金额之和（不含退货）。",
    "kpi_help.orders": "本周期内的订单数（按订单号，或同一客户同一时间的多行）。",
    "kpi_help.average_order_value": "本周期收入除以订单数。",
    "kpi_help.repeat_rate": "迄今所有客户中下过两次及以上订单的比例。变化以百分点（pp）表示。",
    "kpi_line.customers": "迄今买过东西的所有人。",
    "kpi_line.active_customers": "最近 {days} 天内购买过。",
    "kpi_line.revenue": "最近 {days} 天的销售额。",
    "kpi_line.orders": "最近 {days} 天的订单。",
    "kpi_line.average_order_value": "最近 {days} 天的典型订单金额。",
    "kpi_line.repeat_rate": "回来下第二单的客户。",
}
