"""The Retention page through AppTest: demo data in both languages, widgets, subscription data, thin data.

The numbers are checked in tests/core/test_retention.py and test_churn_model.py. The
telecom-shaped subscribers table (sample_data.subscriptions.make_telco) goes through
the real intake (ingest_file) as a customers table, with no transactions table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import EN, ZH
from core.ingest import ingest_file
from sample_data.subscriptions import make_telco
from tests.app.apptest import open_page
from ui.state import LoadedTable

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/retention.py"


def _page(lang: str = "en", tables: dict | None = None) -> AppTest:
    at = open_page(PAGE, lang, tables)
    assert not at.error
    return at


def _loaded(kind: str, data: bytes, name: str) -> LoadedTable:
    result = ingest_file(data, name, kind)
    assert result.table is not None
    return LoadedTable(kind, result.table, result.report, result.fingerprint, name)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.fixture(scope="module")
def demo() -> AppTest:
    return _page()


def test_demo_page_shows_every_section(demo):
    metrics = _metrics(demo)
    for key in (
        "retention.metric_auc",
        "retention.metric_at_stake",
        "retention.whatif_kept",
    ):
        assert EN[key] in metrics, key
    assert EN["retention.metric_precision_top"].format(share="10%") in metrics
    assert EN["retention.metric_monthly_churn"].format(n=12) in metrics
    assert 0.7 < float(metrics[EN["retention.metric_auc"]].split()[0]) <= 1.0
    text = _markdown(demo)
    # The planted story: Referral customers stay longest, Paid social leave soonest.
    assert "**Referral** customers stay the longest" in text
    assert "**Paid social** customers leave the soonest" in text
    assert "What drives the risk" in text
    survival = next(d.value for d in demo.dataframe if "median" in d.value.columns)
    assert set(survival["group"]) >= {"Referral", "Paid social"}
    at_risk = next(d.value for d in demo.dataframe if "at_stake" in d.value.columns)
    assert at_risk["at_stake"].is_monotonic_decreasing and (at_risk["risk"] >= 50).all()
    assert at_risk["reason"].str.len().gt(0).all()


def test_widgets_change_the_results(demo):
    at = demo
    before = _markdown(at)
    at.selectbox(key="retention_period").set_value("quarter").run()
    assert not at.exception
    assert "quarter 1:" in _markdown(at) and before != _markdown(at)

    at.selectbox(key="retention_split").set_value("first_discount").run()
    assert not at.exception
    assert "**No** customers are still buying" in _markdown(at)

    kept = _metrics(at)[EN["retention.whatif_kept"]]
    at.slider(key="retention_whatif_points").set_value(30).run()
    assert _metrics(at)[EN["retention.whatif_kept"]] != kept

    label = EN["retention.metric_monthly_churn"].format(n=12)
    churn = _metrics(at)[label]
    at.number_input(key="retention_churn_days").set_value(60).run()
    assert not at.exception and not at.error
    assert _metrics(at)[label] != churn


def test_retention_page_in_chinese():
    at = _page("zh")
    assert at.title[0].value == "留存与流失"
    labels = set(_metrics(at))
    assert {ZH["retention.metric_auc"], ZH["retention.whatif_roi"]} <= labels
    assert "**Referral** 客户留存最久" in _markdown(at)


def test_subscription_table_without_transactions():
    path = ROOT / "sample_data" / "subscriptions.csv"
    at = _page(tables={"customers": _loaded("customers", path.read_bytes(), path.name)})
    assert EN["retention.subscription_mode"] in [i.value for i in at.info]
    metrics = _metrics(at)
    # The churn-risk model learns from the churn flag: plan and channel carry the signal.
    assert float(metrics[EN["retention.metric_auc"]].split()[0]) > 0.6
    table = at.session_state["tables"]["customers"].table
    assert metrics[EN["retention.sub_metric_current"]] == f"{int((table['churned'] == 0).sum()):,}"
    assert metrics[EN["retention.metric_customers"]] == "2,000"
    assert EN["retention.metric_monthly_churn"].format(n=12) in metrics
    at.selectbox(key="retention_survival_by").set_value("plan").run()
    assert not at.exception and not at.error
    text = _markdown(at)
    assert "**Premium** customers stay the longest" in text
    assert "**Basic** customers leave the soonest" in text


def test_thin_data_gives_messages_not_errors():
    rows = "".join(f"C{i},2024-03-0{i + 1},{10 + i}\n" for i in range(5))
    data = ("customer_id,order_date,amount\n" + rows).encode()
    at = _page(tables={"transactions": _loaded("transactions", data, "few.csv")})
    warnings = [w.value for w in at.warning]
    assert EN["retention.too_few_lifetimes"].format(minimum=10) in warnings
    assert any(w.startswith("Not enough history for an honest check") for w in warnings)
    assert EN["retention.at_risk_needs_model"] in [i.value for i in at.info]


AUC_WITH_INTERVAL = re.compile(r"^(0\.\d\d) ?[（(](?:区间 )?(0\.\d\d)–(0\.\d\d)[）)]$")


def _telco(signal: bool = True, n: int = 7000) -> dict[str, LoadedTable]:
    data = make_telco(n=n, signal=signal).to_csv(index=False).encode()
    return {"customers": _loaded("customers", data, "telco.csv")}


@pytest.fixture(scope="module")
def telco_tables() -> dict[str, LoadedTable]:
    return _telco()


def _check_telco_page(at: AppTest, catalog: dict[str, str], table: pd.DataFrame) -> None:
    metrics = _metrics(at)
    auc = AUC_WITH_INTERVAL.match(metrics[catalog["retention.metric_auc"]])
    assert auc, metrics[catalog["retention.metric_auc"]]
    value, low, high = (float(g) for g in auc.groups())
    assert 0.8 <= value <= 0.87 and low < value < high
    hit = float(metrics[catalog["retention.metric_precision_top"].format(share="10%")].rstrip("%"))
    base = float(metrics[catalog["retention.sub_metric_base_rate"]].rstrip("%"))
    assert hit > 2 * base and 24 < base < 29
    still = table.loc[table["churned"] == 0, "customer_id"]
    assert metrics[catalog["retention.sub_metric_current"]] == f"{len(still):,}"
    assert catalog["retention.sub_metric_at_stake"] in metrics
    at_risk = next(d.value for d in at.dataframe if "at_stake" in d.value.columns)
    assert set(at_risk["customer_id"]) <= set(still) and len(at_risk) > 100
    assert at_risk["at_stake"].is_monotonic_decreasing and (at_risk["risk"] >= 50).all()
    assert at_risk["reason"].str.len().gt(0).all()


def test_subscription_model_from_a_telco_table(telco_tables):
    at = _page(tables=telco_tables)
    table = telco_tables["customers"].table
    _check_telco_page(at, EN, table)
    text = _markdown(at)
    assert "the model is good (AUC 0.8" in text and "subscribers it rates riskiest" in text
    assert "- **Contract** Month\\-to\\-month: higher risk" in text
    assert "**What drives the risk:** above all **Contract**" in text
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Trained on 4,900 subscribers and checked on 2,100") for c in captions)
    assert any("(DeLong's method), measured on 2,100 subscribers" in c for c in captions)
    assert EN["retention.model_needs_data"] not in [i.value for i in at.info]
    # The what-if counts monthly charges.
    kept = _metrics(at)[EN["retention.sub_whatif_revenue_kept"]]
    at.slider(key="retention_whatif_points").set_value(30).run()
    assert not at.exception and _metrics(at)[EN["retention.sub_whatif_revenue_kept"]] != kept


def test_subscription_model_in_chinese(telco_tables):
    at = _page("zh", telco_tables)
    _check_telco_page(at, ZH, telco_tables["customers"].table)
    text = _markdown(at)
    assert "模型表现良好" in text and "**Contract** 为 Month\\-to\\-month：风险更高" in text


def test_subscription_model_without_signal_says_it_is_not_useful():
    at = _page(tables=_telco(signal=False, n=3000))
    text = _markdown(at)
    assert "**What this means:** the model is not useful" in text
    assert "What drives the risk" not in text
    value = float(_metrics(at)[EN["retention.metric_auc"]].split()[0])
    assert 0.44 <= value <= 0.56


def test_subscription_table_with_too_few_cancellations_says_so():
    raw = make_telco(n=400, seed=11)
    churned = raw.index[raw["Churn"] == "Yes"]
    raw.loc[churned[30:], "Churn"] = "No"
    data = raw.to_csv(index=False).encode()
    at = _page(tables={"customers": _loaded("customers", data, "few.csv")})
    expected = EN["retention.sub_model_too_few"].format(churners=30, stayers=370, needed=50)
    assert expected in [w.value for w in at.warning]
    assert EN["retention.at_risk_needs_model"] in [i.value for i in at.info]


def test_both_tables_let_the_user_pick_the_subscription_model():
    tables = {
        kind: _loaded(kind, (ROOT / "sample_data" / name).read_bytes(), name)
        for kind, name in (("transactions", "transactions.csv"), ("customers", "subscriptions.csv"))
    }
    at = _page(tables=tables)
    source = at.radio(key="retention_model_source")
    assert source.value == "history"
    assert EN["retention.metric_current"] in _metrics(at)
    source.set_value("subscription").run()
    assert not at.exception and not at.error
    metrics = _metrics(at)
    assert EN["retention.sub_metric_current"] in metrics
    assert EN["retention.sub_metric_base_rate"] in metrics
    assert any(c.value.startswith("Trained on 1,400 subscribers") for c in at.caption)
