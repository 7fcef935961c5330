"""Cohorts, churn over time and survival: known answers worked out by hand, and statsmodels run directly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from core.format import fmt_p
from core.ingest import ingest_file
from core.problems import Problem
from core.retention import (
    MSG_NO_EVENTS,
    MSG_TOO_FEW_LIFETIMES,
    acquisition_attributes,
    activity_spells,
    average_curve,
    churn_outcome,
    churn_threshold_days,
    cohort_activity,
    cohort_table,
    customer_lifetimes,
    has_subscription_columns,
    kaplan_meier,
    logrank_reading,
    monthly_churn,
    period_number,
    period_start,
    pooled_groups,
    subscription_activity,
    subscription_lifetimes,
    subscription_monthly_churn,
)
from core.segmentation import lifecycle_thresholds
from core.summary import orders_table
from sample_data.subscriptions import FILE_NAME, generate, make_subscriptions

ROOT = Path(__file__).resolve().parents[2]


def _orders(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "order_date": pd.to_datetime([r[1] for r in rows]),
            "amount": [r[2] for r in rows],
        }
    )


# A small history. Monthly cohorts: January = {A, B}, February = {C, D}.
# The data ends on 2024-04-01, so April is incomplete and left out.
HISTORY = _orders(
    [
        ("A", "2024-01-05", 10.0),
        ("B", "2024-01-20", 7.0),
        ("C", "2024-02-02", 4.0),
        ("A", "2024-02-10", 20.0),
        ("C", "2024-02-20", 6.0),
        ("D", "2024-02-28", 9.0),
        ("C", "2024-03-03", 8.0),
        ("B", "2024-03-15", 3.0),
        ("A", "2024-04-01", 5.0),
    ]
)


def _cell(table: pd.DataFrame, cohort: str, age: int, group: str = "all") -> pd.Series:
    rows = table[
        (table["group"] == group)
        & (table["cohort_start"] == pd.Timestamp(cohort))
        & (table["age"] == age)
    ]
    assert len(rows) == 1, (cohort, age, group)
    return rows.iloc[0]


def test_periods_are_consecutive_numbers_with_their_first_day():
    dates = pd.to_datetime(["2024-01-01", "2024-01-07", "2024-01-08", "2024-05-15", "2023-12-31"])
    weeks = period_number(dates, "week")
    # 2024-01-01 is a Monday: the 7th is in the same week, the 8th in the next.
    assert weeks[1] == weeks[0] and weeks[2] == weeks[0] + 1 and weeks[4] == weeks[0] - 1
    assert list(period_start(weeks[:3], "week")) == list(
        pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-08"])
    )
    months = period_number(dates, "month")
    assert months[3] - months[0] == 4 and months[0] - months[4] == 1
    quarters = period_number(dates, "quarter")
    assert period_start(quarters[3:4], "quarter")[0] == pd.Timestamp("2024-04-01")
    assert quarters[0] - quarters[4] == 1


def test_cohort_table_both_definitions_and_revenue_by_hand():
    activity = cohort_activity(HISTORY, "month")
    assert activity.partial_start == pd.Timestamp("2024-04-01")
    table = cohort_table(activity)
    # Only complete months: January cohort ages 0-2, February cohort ages 0-1.
    assert sorted(zip(table["cohort_start"].dt.month, table["age"], strict=True)) == [
        (1, 0),
        (1, 1),
        (1, 2),
        (2, 0),
        (2, 1),
    ]
    jan = [_cell(table, "2024-01-01", k) for k in range(3)]
    assert [c["customers"] for c in jan] == [2, 2, 2]
    # Exactly period k: Jan {A, B}; Feb {A}; Mar {B}.
    assert [c["active"] for c in jan] == [2, 1, 1]
    assert [c["retention"] for c in jan] == [1.0, 0.5, 0.5]
    # Period k or later (within the complete months): A's last month is 1, B's is 2.
    assert [c["active_later"] for c in jan] == [2, 2, 1]
    assert [c["retention_later"] for c in jan] == [1.0, 1.0, 0.5]
    # Revenue: Jan 10 + 7 = 17, Feb 20, Mar 3.
    assert [c["revenue"] for c in jan] == [17.0, 20.0, 3.0]
    assert [round(c["revenue_retention"], 6) for c in jan] == [
        1.0,
        round(20 / 17, 6),
        round(3 / 17, 6),
    ]
    feb = [_cell(table, "2024-02-01", k) for k in range(2)]
    # C bought twice in February (one active customer), D once; only C in March.
    assert [c["active"] for c in feb] == [2, 1]
    assert [c["active_later"] for c in feb] == [2, 1]
    assert [c["revenue"] for c in feb] == [19.0, 8.0]


def test_average_curve_weights_cohorts_by_size_and_uses_only_observed_cohorts():
    average = average_curve(cohort_table(cohort_activity(HISTORY, "month"))).set_index("age")
    assert average.loc[1, "retention"] == (1 + 1) / (2 + 2)
    assert average.loc[1, "retention_later"] == (2 + 1) / (2 + 2)
    assert average.loc[1, "revenue_retention"] == pytest.approx((20 + 8) / (17 + 19))
    # Age 2: only the January cohort has been observed that long.
    assert average.loc[2, "cohorts"] == 1
    assert average.loc[2, "retention"] == 0.5


def test_cohort_table_by_group():
    groups = pd.Series({"A": "x", "C": "x", "B": "y", "D": "y"})
    table = cohort_table(cohort_activity(HISTORY, "month"), groups, min_group_customers=1)
    # January, group x = {A}: active in months 0 and 1, not 2.
    assert [_cell(table, "2024-01-01", k, "x")["active"] for k in range(3)] == [1, 1, 0]
    assert [_cell(table, "2024-01-01", k, "y")["active_later"] for k in range(3)] == [1, 1, 1]
    assert table.groupby("group")["customers"].first().to_dict() == {"x": 1, "y": 1}


def test_weekly_and_quarterly_cohorts_cover_every_customer_once():
    for period in ("week", "quarter"):
        activity = cohort_activity(HISTORY, period)
        table = cohort_table(activity)
        sizes = table[table["age"] == 0]
        assert (sizes["active"] == sizes["customers"]).all()
        assert sizes["customers"].sum() <= 4


def test_subscription_activity_runs_from_signup_to_end():
    customers = pd.DataFrame(
        {
            "customer_id": ["s1", "s2", "s3"],
            "signup_date": pd.to_datetime(["2024-01-10", "2024-01-20", "2024-02-05"]),
            "end_date": pd.to_datetime(["2024-03-02", None, None]),
            "churned": [1.0, 0.0, 0.0],
        }
    )
    activity = subscription_activity(customers, "month", as_of=pd.Timestamp("2024-04-30"))
    table = cohort_table(activity)
    jan = [_cell(table, "2024-01-01", k) for k in range(4)]
    # s1 subscribed January to March, s2 still subscribed in April.
    assert [c["active"] for c in jan] == [2, 2, 2, 1]
    assert [c["retention_later"] for c in jan] == [1.0, 1.0, 1.0, 0.5]
    assert table["revenue"].isna().all()


# Churn spells with a 30-day threshold, worked out by hand:
# P buys 01-01, 01-20 (spell to 02-20: first day of more than 30 silent days), then 03-15
# (a new spell, 55 days later, ending 04-15); Q buys 01-10 (ends 02-10); R buys 04-30, the
# last day of data (still active).
SPELL_ORDERS = _orders(
    [
        ("P", "2024-01-01", 1.0),
        ("Q", "2024-01-10", 1.0),
        ("P", "2024-01-20", 1.0),
        ("P", "2024-03-15", 1.0),
        ("R", "2024-04-30", 1.0),
    ]
)


def test_monthly_churn_by_hand():
    spells = activity_spells(SPELL_ORDERS, 30)
    assert sorted(np.datetime64(int(d), "D").astype(str) for d in spells.end) == [
        "2024-02-10",
        "2024-02-20",
        "2024-04-15",
        "2024-05-31",
    ]
    monthly = monthly_churn(spells).set_index("month")
    # Feb: P and Q active on 02-01, both churn in February. Mar: nobody active on 03-01;
    # P comes back. Apr: P active on 04-01 and churns on 04-15; R is new.
    assert list(monthly.index.month) == [2, 3, 4]
    assert monthly["active_start"].tolist() == [2, 0, 1]
    assert monthly["churned"].tolist() == [2, 0, 1]
    assert monthly["returned"].tolist() == [0, 1, 0]
    assert monthly["new_customers"].tolist() == [0, 0, 1]
    assert monthly.loc["2024-02-01", "churn_rate"] == 1.0
    assert np.isnan(monthly.loc["2024-03-01", "churn_rate"])


def test_lifetimes_from_transactions_by_hand():
    lifetimes = customer_lifetimes(activity_spells(SPELL_ORDERS, 30)).table
    assert lifetimes.loc["P", "duration"] == 74  # 2024-01-01 to 2024-03-15
    assert bool(lifetimes.loc["P", "churned"])  # 46 silent days > 30
    assert lifetimes.loc["Q", "duration"] == 0 and bool(lifetimes.loc["Q", "churned"])
    assert lifetimes.loc["R", "duration"] == 0 and not bool(lifetimes.loc["R", "churned"])


def test_churn_threshold_is_the_segmentation_pages_threshold():
    orders = _orders(
        [(f"c{i % 40}", f"2024-{1 + i // 40:02d}-{1 + i % 28:02d}", 5.0) for i in range(400)]
    )
    days, gaps, _ = churn_threshold_days(orders)
    found = lifecycle_thresholds(orders)
    assert (days, gaps) == (found.churn_days, found.n_gaps)


def test_kaplan_meier_by_hand():
    # Times 1, 1, 2, 2, 2+, 2+, 3, 3, 4+, 4+, 5+ (+ = censored), 11 at risk at the start:
    # S(1) = 9/11; at 2, 9 at risk and 2 events: S(2) = 9/11 * 7/9 = 7/11; at 3, 5 at risk
    # (2 events, 2 censored at 2 have left) and 2 events: S(3) = 7/11 * 3/5.
    lifetimes = pd.DataFrame(
        {
            "duration": [1, 2, 2, 3, 4] * 2 + [5],
            "churned": [True, True, False, True, False] * 2 + [False],
        },
        index=[f"c{i}" for i in range(11)],
    )
    result = kaplan_meier(lifetimes)
    curve = result.curves.set_index("time")["survival"]
    assert result.curves["survival"].iloc[0] == 1.0 and result.curves["time"].iloc[0] == 0
    assert curve.loc[1.0] == pytest.approx(9 / 11)
    assert curve.loc[2.0] == pytest.approx(7 / 11)
    assert curve.loc[3.0] == pytest.approx(7 / 11 * 3 / 5)
    assert result.groups.loc[0, "median"] == 3.0  # first time S <= 0.5
    assert result.logrank_p is None


def test_kaplan_meier_and_logrank_agree_with_statsmodels():
    rng = np.random.default_rng(5)
    n = 600
    group = rng.choice(["a", "b", "c"], size=n)
    scale = np.select([group == "a", group == "b"], [100.0, 160.0], 220.0)
    life = rng.exponential(scale).round()
    follow = rng.uniform(30, 400, size=n).round()
    lifetimes = pd.DataFrame(
        {"duration": np.minimum(life, follow), "churned": life <= follow},
        index=[f"c{i}" for i in range(n)],
    )
    groups = pd.Series(group, index=lifetimes.index)
    result = kaplan_meier(lifetimes, groups, horizon=180)
    chi2, p = survdiff(lifetimes["duration"].to_numpy(), lifetimes["churned"].to_numpy(int), group)
    assert result.logrank_chi2 == pytest.approx(chi2)
    assert result.logrank_p == pytest.approx(p)
    assert result.logrank_df == 2
    for name in ("a", "b", "c"):
        mask = group == name
        fit = SurvfuncRight(lifetimes["duration"][mask], lifetimes["churned"][mask].astype(int))
        ours = result.curves[result.curves["group"] == name]
        steps = ours.iloc[1 : 1 + len(fit.surv_times)]
        np.testing.assert_allclose(steps["time"], fit.surv_times)
        np.testing.assert_allclose(steps["survival"], fit.surv_prob)
        row = result.groups.set_index("group").loc[name]
        assert row["median"] == pytest.approx(fit.quantile(0.5))
        at = np.searchsorted(fit.surv_times, 180, side="right") - 1
        assert row["survival_at"] == pytest.approx(fit.surv_prob[at])
    reading = logrank_reading(result)
    assert reading.key == "retention.logrank_differ" and reading.severity == "info"
    assert (reading.params["best"], reading.params["worst"]) == ("c", "a")
    assert reading.params["p"] == fmt_p(p) and reading.params["chi2"] == f"{chi2:.1f}"


def test_logrank_says_same_when_groups_do_not_differ():
    rng = np.random.default_rng(11)
    n = 400
    life = rng.exponential(100, size=n).round()
    lifetimes = pd.DataFrame(
        {"duration": np.minimum(life, 300), "churned": life <= 300},
        index=[f"c{i}" for i in range(n)],
    )
    groups = pd.Series(rng.choice(["x", "y"], size=n), index=lifetimes.index)
    result = kaplan_meier(lifetimes, groups)
    assert result.logrank_p > 0.05
    assert logrank_reading(result).key == "retention.logrank_same"


def test_best_and_worst_groups_when_medians_are_not_reached():
    # Group "long": nobody churns before 100 of 200 days; "short": 40% churn by day 10.
    n = 50
    duration = np.concatenate([np.full(n, 200.0), np.full(n, 150.0)])
    churned = np.zeros(2 * n, dtype=bool)
    churned[n : n + 20] = True
    duration[n : n + 20] = 10.0
    churned[:5] = True
    duration[:5] = 100.0
    lifetimes = pd.DataFrame(
        {"duration": duration, "churned": churned}, index=[f"c{i}" for i in range(2 * n)]
    )
    groups = pd.Series(["long"] * n + ["short"] * n, index=lifetimes.index)
    result = kaplan_meier(lifetimes, groups)  # no horizon: survival_at is empty
    assert result.groups["median"].isna().all()
    # Compared at day 150 (the shorter follow-up): long 0.9, short 0.6.
    assert logrank_reading(result).params["best"] == "long"
    assert logrank_reading(result).params["worst"] == "short"


def test_survival_messages_for_thin_data():
    few = pd.DataFrame({"duration": [1.0, 2.0], "churned": [True, False]}, index=["a", "b"])
    assert kaplan_meier(few).problem == Problem(MSG_TOO_FEW_LIFETIMES, {"minimum": 10})
    none = pd.DataFrame(
        {"duration": np.arange(12.0), "churned": [False] * 12}, index=[f"c{i}" for i in range(12)]
    )
    assert kaplan_meier(none).problem == Problem(MSG_NO_EVENTS)


def test_pooled_groups_keeps_large_groups_and_names_the_rest():
    values = pd.Series(["a"] * 10 + ["b"] * 6 + ["c"] * 2 + [None] * 3)
    pooled = pooled_groups(values, top=8, min_customers=5)
    assert pooled.value_counts().to_dict() == {"a": 10, "b": 6, "unknown": 3, "other": 2}


def test_acquisition_attributes_from_the_first_order():
    transactions = pd.DataFrame(
        {
            "customer_id": ["A", "A", "A", "B", "B"],
            "order_date": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-02-01", "2024-01-05", "2024-03-01"]
            ),
            "amount": [5.0, 20.0, 50.0, 8.0, 1.0],
            "category": ["Tea", "Coffee", "Gifts", "Snacks", "Tea"],
            "discount": [0.0, 2.0, 0.0, 0.0, 3.0],
        }
    )
    customers = pd.DataFrame(
        {"customer_id": ["A", "B"], "channel": ["Referral", "Paid social"], "age": [30, 61]}
    )
    attrs = acquisition_attributes(transactions, customers)
    # A's first order: Tea 5 and Coffee 20 (the larger), one line discounted.
    assert attrs.loc["A", "first_category"] == "Coffee"
    assert attrs.loc["A", "first_discount"] == "yes"
    assert attrs.loc["B", "first_category"] == "Snacks"
    assert attrs.loc["B", "first_discount"] == "no"  # B's discount was on a later order
    assert attrs.loc["B", "channel"] == "Paid social"
    assert attrs.loc["B", "age_band"] == "55-64"
    # First-order values: A 25, B 8.
    assert attrs["first_value"].nunique() == 2


def test_value_bands_by_hand():
    from core.retention import value_bands

    values = np.array([5.0, 10.0, 12.0, 20.0, 30.0, 44.0, 61.0, 100.0])
    # Quartiles (numpy linear): 11.5, 25, 48.25 -> rounded to 12, 25, 48.
    bands = value_bands(values)
    assert bands.tolist() == ["≤ 12", "≤ 12", "≤ 12", "12–25", "25–48", "25–48", "> 48", "> 48"]
    assert value_bands(np.zeros(3)).tolist() == ["all"] * 3
    from core.retention import group_sort_key

    assert sorted(["> 48", "other", "12–25", "Tea", "≤ 12", "25–48"], key=group_sort_key) == [
        "≤ 12",
        "12–25",
        "25–48",
        "Tea",
        "> 48",
        "other",
    ]


@pytest.fixture(scope="module")
def subscriptions() -> pd.DataFrame:
    path = ROOT / "sample_data" / FILE_NAME
    return ingest_file(path.read_bytes(), path.name, "customers").table


def test_subscription_file_is_reproducible(tmp_path):
    written = generate(tmp_path)
    assert written.read_bytes() == (ROOT / "sample_data" / FILE_NAME).read_bytes()
    assert len(make_subscriptions()) == 2_000


def test_subscription_mode_reads_the_planted_patterns(subscriptions):
    assert has_subscription_columns(subscriptions)
    assert not has_subscription_columns(subscriptions.drop(columns=["churned", "end_date"]))
    lifetimes = subscription_lifetimes(subscriptions)
    assert lifetimes.unit == "tenure" and lifetimes.dropped == 0
    assert lifetimes.table["churned"].sum() == int(subscriptions["churned"].sum())
    attrs = acquisition_attributes(None, subscriptions)
    by_plan = kaplan_meier(lifetimes.table, attrs["plan"], horizon=12).groups.set_index("group")
    # Monthly cancellation 7% / 4% / 2%: Premium lives longest, Basic shortest.
    assert by_plan.loc["Premium", "survival_at"] > by_plan.loc["Standard", "survival_at"]
    assert by_plan.loc["Standard", "survival_at"] > by_plan.loc["Basic", "survival_at"]
    by_channel = kaplan_meier(lifetimes.table, attrs["channel"], horizon=12)
    reading = logrank_reading(by_channel)
    assert reading.key == "retention.logrank_differ"
    assert (reading.params["best"], reading.params["worst"]) == ("Referral", "Paid social")


def test_subscription_churn_by_month_counts_end_dates(subscriptions):
    monthly = subscription_monthly_churn(subscriptions)
    ended = subscriptions["end_date"].dropna()
    in_months = ended[
        (ended >= monthly["month"].min())
        & (ended < monthly["month"].max() + pd.offsets.MonthBegin())
    ]
    assert monthly["churned"].sum() == len(in_months)
    assert (monthly["churn_rate"].dropna().between(0, 1)).all()


def test_subscription_lifetimes_from_dates_without_tenure():
    customers = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "signup_date": pd.to_datetime(["2024-01-01", "2024-01-11", None]),
            "end_date": pd.to_datetime(["2024-01-31", None, None]),
        }
    )
    lifetimes = subscription_lifetimes(customers, as_of=pd.Timestamp("2024-03-01"))
    assert lifetimes.unit == "days" and lifetimes.dropped == 1
    assert lifetimes.table.loc["a", "duration"] == 30 and bool(lifetimes.table.loc["a", "churned"])
    assert lifetimes.table.loc["b", "duration"] == 50 and not bool(
        lifetimes.table.loc["b", "churned"]
    )


def test_demo_data_tells_the_planted_story():
    path = ROOT / "sample_data"
    transactions = ingest_file(
        (path / "transactions.csv").read_bytes(), "transactions.csv", "transactions"
    ).table
    customers = ingest_file(
        (path / "customers.csv").read_bytes(), "customers.csv", "customers"
    ).table
    orders = orders_table(transactions)
    attrs = acquisition_attributes(transactions, customers)
    days, _, _ = churn_threshold_days(orders)
    lifetimes = customer_lifetimes(activity_spells(orders, days)).table
    channel = kaplan_meier(lifetimes, attrs["channel"], horizon=365)
    assert logrank_reading(channel).params["best"] == "Referral"
    assert logrank_reading(channel).params["worst"] == "Paid social"
    discount = kaplan_meier(lifetimes, attrs["first_discount"]).groups.set_index("group")
    assert discount.loc["yes", "median"] < discount.loc["no", "median"]
    curves = average_curve(cohort_table(cohort_activity(orders, "month"), attrs["first_discount"]))
    at_six = curves[curves["age"] == 6].set_index("group")["retention_later"]
    assert at_six["yes"] < at_six["no"]


def test_churn_outcome_by_hand():
    customers = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "churned": [1.0, 0.0, np.nan, np.nan],
            "end_date": pd.to_datetime([None, None, "2024-05-01", None]),
        }
    )
    # A set flag or an end date is churned; a 0 flag is still subscribed; a blank flag
    # without an end date is unknown (survival counts it as still subscribed).
    np.testing.assert_array_equal(churn_outcome(customers), [1.0, 0.0, 1.0, np.nan])
    np.testing.assert_array_equal(
        churn_outcome(customers.drop(columns="churned")), [0.0, 0.0, 1.0, 0.0]
    )
    lifetimes = subscription_lifetimes(customers.assign(tenure=[3, 4, 5, 6]))
    assert lifetimes.table["churned"].tolist() == [True, False, True, False]


def test_risk_chart_names_subscribers_and_monthly_charges():
    from core.charts.retention import risk_value_chart

    bands = pd.DataFrame({"band": [0.0, 0.1], "customers": [3, 4], "at_stake": [1.0, 2.0]})
    charges = risk_value_chart(bands, "en", subscription=True).to_dict()
    assert charges["title"] == "Monthly charges at stake by churn risk"
    assert charges["encoding"]["y"]["field"] == "at_stake"
    counts = risk_value_chart(bands, "zh", subscription=True, money=False).to_dict()
    assert counts["encoding"]["y"]["field"] == "customers"
    assert counts["title"] == "按流失风险划分的仍在订阅用户"


def test_chart_builders_give_titled_charts_with_tooltips():
    from core.charts.retention import (
        calibration_chart,
        churn_rate_chart,
        cohort_curves_chart,
        cohort_heatmap,
        cohort_label,
        group_curves_chart,
        importance_chart,
        risk_value_chart,
        survival_chart,
    )

    table = cohort_table(cohort_activity(HISTORY, "month"))
    average = average_curve(table)
    assert cohort_label(table["cohort_start"], "quarter").iloc[0] == "2024-Q1"
    monthly = monthly_churn(activity_spells(SPELL_ORDERS, 30))
    lifetimes = pd.DataFrame(
        {"duration": np.arange(12.0), "churned": [True, False] * 6},
        index=[f"c{i}" for i in range(12)],
    )
    curves = kaplan_meier(lifetimes).curves
    curves = curves.assign(x=curves["time"])
    charts = [
        cohort_heatmap(table, "retention_later", "month", "zh"),
        cohort_curves_chart(table, average, "retention", "month"),
        group_curves_chart(average, "revenue_retention", "week"),
        churn_rate_chart(monthly),
        survival_chart(curves, "months"),
        calibration_chart(
            pd.DataFrame({"bin": [1], "predicted": [0.2], "observed": [0.3], "customers": [5]})
        ),
        importance_chart(pd.DataFrame({"label": ["a"], "importance": [0.1], "spread": [0.01]})),
        risk_value_chart(
            pd.DataFrame({"band": [0.0, 0.1], "customers": [3, 4], "at_stake": [1.0, 2.0]})
        ),
    ]
    for chart in charts:
        spec = chart.to_dict()
        assert spec.get("title")
        assert "tooltip" in str(spec)
    assert "在第 k 期或之后活跃" in str(charts[0].to_dict())
