"""What each tab of the Retention page shows, from core's views: known answers worked out by hand.

The small histories are those of tests/core/test_retention.py, whose cohort tables, monthly
churn and Kaplan-Meier steps are worked out there; the expected readings here are the
numbers the page showed for them before its computations moved into core (issue 14).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.calendar import DAYS_PER_MONTH
from core.i18n import EN, ZH
from core.i18n import render as say
from core.problems import Problem
from core.retention import (
    ALL,
    HEATMAP_MAX_COHORTS,
    OTHER,
    CohortSettings,
    Lifetimes,
    Name,
    activity_spells,
    churn_view,
    cohort_activity,
    cohort_export,
    cohort_view,
    group_label,
    group_name,
    named_groups,
    split_label,
    subscription_churn_view,
    subscription_lifetimes,
    survival_groups,
    survival_view,
)
from tests.core.test_retention import HISTORY, SPELL_ORDERS, _orders

NO_ATTRIBUTES = pd.DataFrame(index=pd.Index([], name="customer_id", dtype="str"))


def test_cohort_view_reads_the_average_curve():
    # HISTORY (test_retention.py): at age 1, retention 2/4 and retention_later 3/4; age 3
    # is never observed, so the reading quotes month 1 only.
    view = cohort_view(cohort_activity(HISTORY, "month"), NO_ATTRIBUTES, CohortSettings())
    assert view.problem is None and view.groups == (ALL,)
    assert view.partial_start == pd.Timestamp("2024-04-01") and view.has_revenue
    (reading,) = view.readings
    assert reading.key == "retention.cohort_reading" and reading.severity == "info"
    assert reading.params["first"] == "50.0%"
    assert say(reading) == (
        "**What this means:** 50.0% of new customers buy again in the month right after "
        "their first one. Still buying later on (active in that period or after it): "
        "month 1: 75.0%."
    )
    # The Chinese separator "，" after the last age is trimmed as the English ", " is.
    assert say(reading, "zh").endswith("的比例：第 1 个月为 75.0%。")
    assert view.heatmap_note(ALL) is None
    assert len(view.heatmap_rows(ALL)) == 5


def test_cohort_view_of_subscriptions_speaks_of_subscribers():
    view = cohort_view(
        cohort_activity(HISTORY, "month"), NO_ATTRIBUTES, CohortSettings(), subscription=True
    )
    assert view.readings[0].key == "retention.cohort_reading_subscription"


def _two_groups() -> tuple[pd.DataFrame, pd.DataFrame]:
    # Ten "x" customers all buy again in February; of ten "y" customers three do. One x
    # customer buys on 03-31 so that March is complete. At age 1 (the second quoted age
    # is not observed, so the first is used): x 100%, y 30%.
    rows = [(f"x{i}", "2024-01-05", 10.0) for i in range(10)]
    rows += [(f"x{i}", "2024-02-05", 10.0) for i in range(10)]
    rows += [(f"y{i}", "2024-01-06", 10.0) for i in range(10)]
    rows += [(f"y{i}", "2024-02-06", 10.0) for i in range(3)]
    rows += [("x0", "2024-03-31", 10.0)]
    attributes = pd.DataFrame(
        {"channel": ["Email"] * 10 + ["Paid social"] * 10},
        index=pd.Index([f"x{i}" for i in range(10)] + [f"y{i}" for i in range(10)]),
    )
    return _orders(rows), attributes


def test_cohort_view_names_the_best_and_the_worst_group():
    orders, attributes = _two_groups()
    view = cohort_view(
        cohort_activity(orders, "month"), attributes, CohortSettings("month", "channel")
    )
    assert view.groups == ("Email", "Paid social")
    main, split = view.readings
    assert main.params["first"] == "65.0%"  # 13 of 20 bought in February
    assert split == Problem(
        "retention.split_reading",
        {
            "age": 1,
            "best": "Email",
            "best_value": "100.0%",
            "worst": "Paid social",
            "worst_value": "30.0%",
        },
        "info",
    )
    assert isinstance(split.params["best"], Name)
    text = say(split, "en", lambda name: f"<{name}>")
    assert "**<Email>** customers are still buying, against 30.0% of the **<Paid social>**" in text
    export = cohort_export(view, "en")
    assert set(export[EN["retention.col_group"]]) == {"Email", "Paid social"}
    assert export[EN["retention.col_cohort"]].iloc[0] == "2024-01"


def test_other_and_unknown_are_never_named_best_or_worst():
    # Four customers in groups of one each are pooled as "other" (MIN_GROUP_CUSTOMERS):
    # one group, nothing to compare.
    attributes = pd.DataFrame({"channel": ["a", "b", "c", "d"]}, index=list("ABCD"))
    view = cohort_view(
        cohort_activity(HISTORY, "month"), attributes, CohortSettings(split="channel")
    )
    assert view.groups == (OTHER,)
    assert [r.key for r in view.readings] == ["retention.cohort_reading"]


def test_cohort_view_without_cohorts_says_why():
    view = cohort_view(None, NO_ATTRIBUTES, CohortSettings(), subscription=True)
    assert view.problem == Problem("retention.sub_no_signup", {}, "info")
    one_month = _orders([("A", "2024-01-05", 1.0), ("B", "2024-01-09", 1.0)])
    empty = cohort_view(cohort_activity(one_month, "month"), NO_ATTRIBUTES, CohortSettings())
    assert empty.problem == Problem("retention.no_cohorts", {}, "info")


def test_heatmap_keeps_the_most_recent_cohorts():
    # 40 weekly cohorts of one customer each (a customer every Monday, data to a Sunday).
    days = pd.date_range("2024-01-01", periods=40, freq="7D")
    rows = [(f"c{i}", str(d.date()), 1.0) for i, d in enumerate(days)]
    rows.append(("c0", str((days[-1] + pd.Timedelta(days=6)).date()), 1.0))
    view = cohort_view(
        cohort_activity(_orders(rows), "week"), NO_ATTRIBUTES, CohortSettings("week")
    )
    assert view.heatmap_note(ALL) == Problem(
        "retention.heatmap_recent", {"n": HEATMAP_MAX_COHORTS, "total": 40}, "info"
    )
    assert view.heatmap_rows(ALL)["cohort"].nunique() == HEATMAP_MAX_COHORTS
    assert view.group_rows(ALL)["cohort"].nunique() == 40


def test_churn_view_pools_months_and_reads_a_year():
    # SPELL_ORDERS with 30 days (test_monthly_churn_by_hand): Feb 2 of 2 churn, Mar none
    # active, Apr 1 of 1: pooled 3 / 3 = 100%, a year at that rate 100%; R is active.
    view = churn_view(SPELL_ORDERS, activity_spells(SPELL_ORDERS, 30), 30)
    assert (view.months, view.rate, view.yearly) == (3, 1.0, 1.0)
    assert view.last_month == pd.Timestamp("2024-04-01") and view.last_rate == 1.0
    assert view.peak_month == pd.Timestamp("2024-02-01")  # the first of the equal peaks
    assert view.active_now == 1 and view.notes == () and view.problem is None
    assert view.reading == Problem(
        "retention.churn_reading",
        {"rate": "100.0%", "yearly": "100.0%", "peak_month": "2024-02", "peak": "100.0%"},
        "info",
    )


def test_churn_view_yearly_rate_compounds_the_monthly_rate():
    monthly = pd.DataFrame(
        {
            "month": pd.to_datetime(["2024-01-01", "2024-02-01"]),
            "active_start": [100, 100],
            "churned": [4, 6],
            "churn_rate": [0.04, 0.06],
            "new_customers": [0, 0],
            "returned": [0, 0],
        }
    )
    from core.retention import _churn_view

    view = _churn_view(monthly, 90)
    # 10 of 200 a month: 1 - 0.95^12 = 45.96% a year.
    assert view.rate == pytest.approx(0.05)
    assert view.yearly == pytest.approx(1 - 0.95**12)
    assert view.reading.params["yearly"] == "46.0%"
    assert view.peak_month == pd.Timestamp("2024-02-01")


def test_churn_view_says_when_the_threshold_is_long():
    # The data spans 120 days (01-01 to 04-30): three thresholds of 41 days do not fit.
    view = churn_view(SPELL_ORDERS, activity_spells(SPELL_ORDERS, 41), 41)
    assert view.notes == (Problem("retention.threshold_long", {"days": 41, "span": 120}, "info"),)


def test_subscription_churn_view_counts_the_table():
    customers = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "signup_date": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-02-01", "2024-02-10"]),
            "end_date": pd.to_datetime(["2024-03-10", None, "2024-04-02", None]),
        }
    )
    lifetimes = subscription_lifetimes(customers)
    view = subscription_churn_view(customers, lifetimes)
    assert view.customers == 4 and view.churned_share == 0.5 and view.active_now == 2
    # Feb: a, b and c (signed up that day) subscribed on 02-01, none ends; Mar: all 4
    # subscribed, a ends; the table ends in April (incomplete, left out): 1 / (3 + 4).
    assert view.monthly["active_start"].tolist() == [3, 4]
    assert view.monthly["churned"].tolist() == [0, 1]
    assert view.rate == pytest.approx(1 / 7)


def test_survival_view_in_months_and_in_tenure():
    # Kaplan-Meier by hand (test_kaplan_meier_by_hand): median 3, nobody lost at time 0.
    table = pd.DataFrame(
        {
            "duration": [1, 2, 2, 3, 4] * 2 + [5],
            "churned": [True, True, False, True, False] * 2 + [False],
        },
        index=[f"c{i}" for i in range(11)],
    )
    tenure = survival_view(Lifetimes(table, "tenure"), None, None)
    assert tenure.unit == "tenure" and tenure.problem is None
    assert tenure.summary["median"].tolist() == [3.0]
    assert np.isnan(tenure.summary["survival_at"].iloc[0])  # followed up to 5 < 12
    median, *rest = tenure.readings
    assert rest == []  # one curve: no log-rank test
    assert median == Problem(
        "retention.median_reading_tenure",
        {"median": "3.0", "unit": Problem("retention.unit_tenure", {}, "info"), "lost": "0.0%"},
        "info",
    )
    days = Lifetimes(table.assign(duration=table["duration"] * 100.0), "days")
    months = survival_view(days, None, None)
    assert months.summary["median"].iloc[0] == pytest.approx(300 / DAYS_PER_MONTH)
    assert months.curves["x"].max() == pytest.approx(500 / DAYS_PER_MONTH)
    assert months.readings[0].params["median"] == f"{300 / DAYS_PER_MONTH:.1f}"
    # Read at one year: the curve after the last event before day 365 (S(300) = 21/55).
    assert months.summary["survival_at"].iloc[0] == pytest.approx(100 * 7 / 11 * 3 / 5)
    assert say(months.readings[0]).startswith("**What this means:** half of your customers stop")


def test_survival_view_by_group_reads_the_log_rank_test():
    # Group "a" leaves at 1-2, "b" at 8-9 (each with one censored): they differ.
    duration = [1, 1, 2, 2, 3] * 2 + [8, 8, 9, 9, 10] * 2
    churned = [True, True, True, True, False] * 4
    table = pd.DataFrame(
        {"duration": np.asarray(duration, float), "churned": churned},
        index=[f"c{i}" for i in range(20)],
    )
    attributes = pd.DataFrame({"plan": ["a"] * 10 + ["b"] * 10}, index=table.index)
    groups = survival_groups(attributes, "plan")
    view = survival_view(Lifetimes(table, "tenure"), groups, "plan")
    assert view.summary["group"].tolist() == ["a", "b"]
    logrank = view.readings[1]
    assert logrank.key == "retention.logrank_differ"
    assert (logrank.params["best"], logrank.params["worst"]) == ("b", "a")


def test_survival_view_without_events_has_no_curves():
    table = pd.DataFrame(
        {"duration": np.arange(12.0), "churned": [False] * 12}, index=[f"c{i}" for i in range(12)]
    )
    view = survival_view(Lifetimes(table, "days"), None, None)
    assert view.curves.empty and view.problem == Problem("retention.no_events")
    few = survival_view(Lifetimes(table.head(3), "days"), None, None)
    assert few.problem == Problem("retention.too_few_lifetimes", {"minimum": 10})
    assert say(few.problem) == "Survival curves need at least 10 customers."


def test_groups_and_splits_are_named_in_each_language():
    assert group_name("other") == Problem("retention.value_other", {}, "info")
    assert group_name("Email") == Name("Email")
    assert group_label("yes", "en") == "Yes" and group_label("Email", "zh") == "Email"
    assert split_label("channel", "en") == EN["retention.group_channel"]
    assert split_label("cohort", "zh") == ZH["retention.group_cohort"]
    assert split_label("plan", "en") == "plan"
    frame = pd.DataFrame({"group": ["unknown", "Basic"], "customers": [1, 2]})
    assert named_groups(frame, "en")["group"].tolist() == ["Unknown", "Basic"]


def test_say_makes_only_the_users_text_inert():
    reading = Problem(
        "retention.logrank_same",
        {"chi2": "1.2", "p": "0.310", "best": Name("*Gold*"), "worst": group_name("other")},
    )
    text = say(reading, "en", lambda name: name.replace("*", "\\*"))
    assert "\\*Gold\\*" in text and "Other" in text and "chi² 1.2, p 0.310" in text
