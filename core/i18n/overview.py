"""Messages of the Overview page's period choice and KPI notes (English and Simplified Chinese; merged by core.i18n).

The page's older messages (overview.title, overview.period_caption, kpi.*, ...) are in en.py and zh.py.
"""

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
}
