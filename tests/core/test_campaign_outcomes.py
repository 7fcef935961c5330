"""Outcome, revenue and covariate chosen after upload: which columns qualify, rows read, all recipients counted.

Known answers: counts and rates are computed in the test from the generated frame itself,
and the test statistics by statsmodels / scipy run directly on that frame's columns.
The Hillstrom-shaped table reproduces the published arm sizes and rates of Kevin
Hillstrom's MineThatData e-mail challenge (64,000 customers; visit 18.3 / 15.1 / 10.6%,
conversion 1.25 / 0.88 / 0.57% for Mens / Womens / No E-Mail) with few distinct rows,
so that most recipients have identical twins.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from core.campaign.abtest import compare, detect_control, srm_check
from core.campaign.outcomes import campaign_from_table, outcome_columns, recipient_rows
from core.ingest import ingest_file

ARMS = {"Mens E-Mail": 21307, "Womens E-Mail": 21387, "No E-Mail": 21306}
VISITS = {"Mens E-Mail": 3894, "Womens E-Mail": 3238, "No E-Mail": 2262}
CONVERSIONS = {"Mens E-Mail": 266, "Womens E-Mail": 189, "No E-Mail": 122}


def _hillstrom(seed: int = 5) -> pd.DataFrame:
    """64,000 recipients, no ID column, a handful of distinct values per column."""
    rng = np.random.default_rng(seed)
    parts = []
    for arm, n in ARMS.items():
        visit = np.zeros(n, dtype=int)
        visit[: VISITS[arm]] = 1
        conversion = np.zeros(n, dtype=int)
        conversion[: CONVERSIONS[arm]] = 1
        parts.append(
            pd.DataFrame(
                {
                    "recency": rng.integers(1, 4, n),
                    "history_segment": rng.choice(["1) $0 - $100", "2) $100 - $200"], n),
                    "history": rng.choice([29.99, 99.0, 180.0], n),
                    "mens": rng.integers(0, 2, n),
                    "womens": rng.integers(0, 2, n),
                    "zip_code": rng.choice(["Urban", "Rural", "Surburban"], n),
                    "newbie": rng.integers(0, 2, n),
                    "channel": rng.choice(["Web", "Phone"], n),
                    "segment": arm,
                    "visit": visit,
                    "conversion": conversion,
                    "spend": np.where(conversion == 1, rng.choice([29.99, 120.0], n), 0.0),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


@pytest.fixture(scope="module")
def hillstrom() -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _hillstrom()
    result = ingest_file(frame.to_csv(index=False).encode(), "hillstrom.csv", "campaign")
    assert result.table is not None, result.problem
    return frame, result.table


def test_hillstrom_columns_offered_and_defaults(hillstrom):
    _, table = hillstrom
    choices = outcome_columns(table)
    assert {"converted", "visit", "mens", "womens", "newbie"} <= set(choices.flags)
    assert {"recency", "revenue", "pre_period_spend"} <= set(choices.numbers)
    # Text columns are never offered.
    assert not {"history_segment", "zip_code"} & set(choices.flags + choices.numbers)
    assert (choices.outcome, choices.revenue, choices.covariate) == (
        "converted",
        "revenue",
        "pre_period_spend",
    )


def test_every_recipient_is_counted_and_the_statistics_match_statsmodels(hillstrom):
    frame, table = hillstrom
    assert frame.duplicated().mean() > 0.9  # identical rows are different people
    assert len(table) == 64_000
    for outcome, counts in (("converted", CONVERSIONS), ("visit", VISITS)):
        data = campaign_from_table(table, outcome, "revenue", "pre_period_spend")
        assert data.ok
        assert data.arms["recipients"].to_dict() == {k: float(v) for k, v in ARMS.items()}
        assert data.arms["conversions"].to_dict() == {k: float(v) for k, v in counts.items()}
        control = detect_control(data.groups)
        assert control == "No E-Mail"
        lifts = compare(data, control, "conversion").set_index("variant")
        column = "conversion" if outcome == "converted" else "visit"
        for arm in ("Mens E-Mail", "Womens E-Mail"):
            x = [frame.loc[frame["segment"] == g, column].sum() for g in (arm, control)]
            n = [ARMS[arm], ARMS[control]]
            _, p = proportions_ztest(x, n)
            low, high = confint_proportions_2indep(x[0], n[0], x[1], n[1], method="wald")
            row = lifts.loc[arm]
            assert row["abs_lift"] == pytest.approx(x[0] / n[0] - x[1] / n[1], abs=1e-12)
            assert row["p_value"] == pytest.approx(p, rel=1e-9)
            assert (row["abs_low"], row["abs_high"]) == pytest.approx((low, high), rel=1e-9)
    srm = srm_check(data.arms["recipients"])
    chi2, p = stats.chisquare(list(ARMS.values()))
    assert (srm.chi2, srm.p_value) == pytest.approx((chi2, p))
    # Revenue per recipient: Welch on the raw spend.
    revenue = compare(data, "No E-Mail", "revenue").set_index("variant")
    mens = frame.loc[frame["segment"] == "Mens E-Mail", "spend"]
    none = frame.loc[frame["segment"] == "No E-Mail", "spend"]
    welch = stats.ttest_ind(mens, none, equal_var=False)
    assert revenue.loc["Mens E-Mail", "p_value"] == pytest.approx(welch.pvalue, rel=1e-6)


def test_two_yes_no_outcomes_of_the_same_test(ingest):
    rng = np.random.default_rng(3)
    n = 3000
    frame = pd.DataFrame(
        {
            "userid": np.arange(n) + 116,
            "version": rng.choice(["gate_30", "gate_40"], n),
            "sum_gamerounds": rng.integers(0, 300, n),
            "retention_1": rng.choice(["TRUE", "FALSE"], n),
            "retention_7": rng.choice(["True", "False"], n, p=[0.2, 0.8]),
        }
    )
    table = ingest(frame.to_csv(index=False), "campaign").table
    choices = outcome_columns(table)
    assert "retention_7" in choices.flags and "sum_gamerounds" in choices.numbers
    assert "userid" not in choices.numbers  # mapped as the ID (or, unmapped, looks like one)
    for column, outcome in (("retention_1", choices.outcome), ("retention_7", "retention_7")):
        data = campaign_from_table(table, outcome, None)
        expected = (frame[column].str.lower() == "true").groupby(frame["version"]).sum()
        assert data.arms["conversions"].to_dict() == expected.astype(float).to_dict()


def test_unreadable_outcomes_are_left_out_and_counted():
    table = pd.DataFrame(
        {
            "group": pd.Categorical(["control"] * 4 + ["test"] * 4 + ["other"] * 2),
            "answer": ["yes", "no", "maybe", "", "是", "否", "yes", "yes", "??", "??"],
            "amount": ["10", "0", "5", "1", "x", "", "3", "4", "1", "1"],
        }
    )
    choices = outcome_columns(table.iloc[:8])
    assert "answer" not in choices.flags  # 1 of 7 filled cells unreadable: more than 5%
    rows = recipient_rows(table, "answer", "amount")
    assert rows.left_out == 5  # maybe, blank, ??, ?? (outcome) and x (amount)
    assert [(n.key, n.params) for n in rows.notes] == [
        ("campaign.rows_unreadable", {"n": 4, "column": "answer"}),
        ("campaign.rows_unreadable", {"n": 1, "column": "amount"}),
    ]
    data = campaign_from_table(table, "answer", "amount")
    assert data.arms["recipients"].to_dict() == {"control": 2.0, "test": 3.0}
    keys = [n.key for n in data.notes]
    assert keys[:2] == ["campaign.rows_unreadable", "campaign.rows_unreadable"]
    assert "campaign.empty_groups" in keys  # "other" lost all its rows
    assert "campaign.missing_revenue" in keys  # the blank amount counts as 0


def test_no_outcome_and_no_revenue_is_a_problem():
    table = pd.DataFrame({"group": ["a", "b"] * 5, "x": ["1", "0"] * 5})
    assert campaign_from_table(table, None, None).problem.key == "campaign.no_outcome"
