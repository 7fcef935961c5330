"""Each tab of the Cross-sell page called alone with its inputs (AppTest.from_function).

The expected figures are the ones the page showed on the demo before its views moved
into core (commit ce3c7c3, page defaults); the numbers themselves are checked in
tests/core/test_crosssell_views.py.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.crosssell import HOLDOUT_TOP_N
from core.i18n import t


def _inputs(level: str = "product"):
    """The demo's transactions, baskets, model and default rules, as the page computes them."""
    from core.crosssell import BasketSettings, RuleSettings, baskets_for, fit_recommender
    from core.crosssell import rules_view as view
    from ui.state import get_table

    transactions = get_table("transactions")
    settings = BasketSettings(level)
    baskets = baskets_for(transactions.table, settings)
    rule_settings = RuleSettings()
    return (
        transactions,
        settings,
        baskets,
        fit_recommender(baskets),
        view(baskets, rule_settings),
        rule_settings,
    )


def _run(script, *args) -> AppTest:
    at = AppTest.from_function(script, args=args, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_rules_tab_alone():
    def script():
        from tests.app.test_crosssell_tabs import _inputs
        from ui.pages.crosssell_rules import rules_tab

        transactions, settings, baskets, _, _, _ = _inputs()
        rules_tab(transactions, settings, baskets)

    at = _run(script)
    assert _metric(at, t("crosssell.rules_found", "en")) == "9"
    assert "**Bamboo Whisk** also buy **Matcha Powder** 11\\.7× more often" in _text(at)
    assert len(at.dataframe[0].value) == 9
    at.selectbox(key="crosssell_filter").set_value("Milk Frother").run()
    assert set(at.dataframe[0].value["antecedent"]) <= {"Milk Frother", "Espresso Beans 1kg"}
    at.toggle(key="crosssell_pairs").set_value(True).run()
    assert not at.exception


def test_explore_tab_alone():
    def script():
        from tests.app.test_crosssell_tabs import _inputs
        from ui.pages.crosssell_explore import explore_tab

        transactions, settings, baskets, _, found, rule_settings = _inputs()
        explore_tab(transactions, ["product", "category"], settings, baskets, found, rule_settings)

    at = _run(script)
    text = _text(at)
    assert "first order had **Coffee** bought **French Press**" in text
    assert "first order had **Tea** bought **Tea Infuser**" in text
    at.slider(key="crosssell_heatmap_top").set_value(5).run()
    at.selectbox(key="crosssell_first_level").set_value("product").run()
    assert not at.exception


def test_next_best_tab_alone():
    def script():
        from tests.app.test_crosssell_tabs import _inputs
        from ui.pages.crosssell_next import next_tab

        transactions, settings, _, model, _, _ = _inputs()
        next_tab(transactions, settings, model)

    at = _run(script)
    table = at.dataframe[0].value
    assert len(table) == 1000  # 5,000 customers, the first 1,000 shown
    assert table.iloc[0][["Customer ID", "Product #1", "#1 goes with (bought)"]].tolist() == [
        "C00001",
        "Paper Filters 100",
        "Travel Mug",
    ]
    assert "Product #5" in table.columns
    at.slider(key="crosssell_top_n").set_value(2).run()
    table = at.dataframe[0].value
    assert "Product #2" in table.columns and "Product #3" not in table.columns
    assert table.iloc[0]["Product #2"] == "Ceramic Dripper"  # the start of the longer list


def test_check_tab_alone():
    def script():
        from tests.app.test_crosssell_tabs import _inputs
        from ui.pages.crosssell_next import check_tab

        transactions, settings, baskets, _, _, _ = _inputs()
        check_tab(transactions, settings, baskets)

    at = _run(script)
    assert _metric(at, t("crosssell.hit_rate", "en", top=HOLDOUT_TOP_N)) == "48.0%"
    assert _metric(at, t("crosssell.baseline_hit_rate", "en", top=HOLDOUT_TOP_N)) == "37.3%"
    assert _metric(at, t("crosssell.check_customers", "en")) == "947"
    assert at.metric[0].delta == "+10.8 pp"


def test_whatif_tab_alone_and_its_response():
    def script():
        from tests.app.test_crosssell_tabs import _inputs
        from ui.pages.crosssell_whatif import whatif_tab

        transactions, settings, baskets, model, found, rule_settings = _inputs()
        whatif_tab(transactions, settings, baskets, model, found, rule_settings)

    at = _run(script)
    # Paper Filters 100 → Pour-over Kettle: 454 customers × 30.17% × 25% = 34.2 orders
    # of 50.14: 1,717.20.
    assert _metric(at, t("crosssell.whatif_target", "en")) == "454"
    assert _metric(at, t("crosssell.whatif_orders", "en")) == "34.2"
    assert _metric(at, t("crosssell.whatif_revenue", "en")) == "1,717.20"
    at.slider(key="crosssell_whatif_response").set_value(50).run()
    assert _metric(at, t("crosssell.whatif_revenue", "en")) == "3,434.40"
    assert len(at.get("download_button")) == 1
