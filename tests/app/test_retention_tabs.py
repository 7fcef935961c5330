"""Each tab of the Retention page called alone with its inputs (AppTest.from_function).

The tabs are functions of the page's data (`RetentionData`) and of what earlier tabs
chose (the churn threshold, the model): here each is run without the page around it,
on the demo data unless said otherwise. The numbers are checked in the core tests.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.i18n import EN
from sample_data.subscriptions import make_telco
from tests.app.test_retention_page import _loaded, _markdown, _metrics


def _tab(script, *args, tables: dict | None = None) -> AppTest:
    at = AppTest.from_function(script, args=args, default_timeout=300)
    at.session_state["lang"] = "en"
    if tables is not None:
        at.session_state["tables"] = tables
    at.run()
    assert not at.exception, at.exception
    return at


def _cohorts() -> None:
    from ui.pages.retention_cohorts import cohorts_tab
    from ui.pages.retention_parts import retention_data

    cohorts_tab(retention_data())


def test_cohorts_tab_alone():
    at = _tab(_cohorts)
    assert "month 1:" in _markdown(at)
    at.selectbox(key="retention_split").set_value("channel").run()
    assert not at.exception
    assert "**Best and worst:**" in _markdown(at)
    assert (
        at.selectbox(key="retention_heatmap_group").value
        in at.selectbox(key="retention_heatmap_group").options
        or at.selectbox(key="retention_heatmap_group").value is not None
    )
    assert [b.label for b in at.get("download_button")] == [
        EN["retention.download_csv"],
        EN["retention.download_excel"],
    ]


def _churn_and_survival(by: str | None) -> None:
    import streamlit as st

    from ui.pages.retention_cohorts import churn_tab
    from ui.pages.retention_parts import retention_data
    from ui.pages.retention_survival import survival_tab

    data = retention_data()
    churn_days = churn_tab(data)
    st.session_state["churn_days_seen"] = churn_days
    survival_tab(data, churn_days)


def test_churn_and_survival_tabs_alone():
    at = _tab(_churn_and_survival, "channel")
    label = EN["retention.metric_monthly_churn"].format(n=12)
    assert label in _metrics(at)
    assert at.session_state["churn_days_seen"] == at.number_input(key="retention_churn_days").value
    text = _markdown(at)
    assert "**Referral** customers stay the longest" in text
    assert "each month about" in text
    at.number_input(key="retention_churn_days").set_value(60).run()
    assert not at.exception and at.session_state["churn_days_seen"] == 60


def test_churn_and_survival_tabs_of_a_subscription_table():
    data = make_telco(n=2000).to_csv(index=False).encode()
    tables = {"customers": _loaded("customers", data, "telco.csv")}
    at = _tab(_churn_and_survival, None, tables=tables)
    assert at.session_state["churn_days_seen"] is None
    assert _metrics(at)[EN["retention.metric_customers"]] == "2,000"
    assert not at.number_input  # no threshold to choose: the table says who churned


def _model_and_risk() -> None:
    from ui.pages.retention_at_risk import at_risk_tab
    from ui.pages.retention_model import model_tab
    from ui.pages.retention_parts import retention_data

    model, key = model_tab(retention_data(), None)
    at_risk_tab(model, key)


def test_model_and_at_risk_tabs_alone():
    at = _tab(_model_and_risk)
    metrics = _metrics(at)
    assert 0.7 < float(metrics[EN["retention.metric_auc"]].split()[0]) <= 1.0
    assert EN["retention.metric_at_stake"] in metrics
    at_risk = next(d.value for d in at.dataframe if "at_stake" in d.value.columns)
    assert (at_risk["risk"] >= 50).all() and len(at_risk) <= 500
    count = len(at_risk)
    at.slider(key="retention_min_risk").set_value(80).run()
    assert not at.exception
    fewer = next(d.value for d in at.dataframe if "at_stake" in d.value.columns)
    assert (fewer["risk"] >= 80).all() and len(fewer) < count


def _whatif() -> None:
    import streamlit as st

    from core.churn_model import offer_basis
    from ui.pages.retention_at_risk import whatif_panel
    from ui.pages.retention_parts import retention_data
    from ui.state import memo

    if "model" not in st.session_state:
        from ui.pages.retention_model import model_tab

        st.session_state["model"] = model_tab(retention_data(), None)
    model, key = st.session_state["model"]
    whatif_panel(model, memo("ret_offer_basis", key, lambda: offer_basis(model), keep=2))


def test_whatif_fragment_alone():
    at = _tab(_whatif)
    kept = _metrics(at)[EN["retention.whatif_kept"]]
    at.slider(key="retention_whatif_points").set_value(30).run()
    assert not at.exception
    assert _metrics(at)[EN["retention.whatif_kept"]] != kept
    at.number_input(key="retention_whatif_cost").set_value(500.0).run()
    assert EN["retention.whatif_loss"] in [w.value for w in at.warning]
