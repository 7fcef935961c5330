"""Each Campaign tab function, called alone with its inputs (AppTest.from_function).

The inputs are the demo campaign as the page builds them (outcome converted, revenue,
CUPED on pre_period_spend, control "control"). The numbers are the ones the page showed
before its statistics moved to core (tests/app/test_campaign_page.py checks them on the
whole page; tests/core/test_campaign_views.py at the source).
"""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from core.campaign.power import sample_size
from core.format import fmt_count


def script(tab: str, lang: str) -> None:
    import streamlit as st

    from core.campaign.abtest import breakdown_columns
    from core.campaign.outcomes import campaign_from_table
    from core.campaign.power import plan_defaults
    from core.campaign.result import result_view
    from core.campaign.segments import SegmentSettings, segments_view
    from core.campaign.trust import trust_view
    from ui.state import get_table, memo

    st.session_state.setdefault("lang", lang)
    campaign = get_table("campaign")
    columns = ("converted", "revenue", "pre_period_spend")
    key = (campaign.fingerprint, "rows", *columns)
    data = memo("campaign_data", key, lambda: campaign_from_table(campaign.table, *columns))
    control = "control"
    view = memo("campaign_result", (key, control), lambda: result_view(data, control))
    if tab == "result":
        from ui.pages.campaign_result import result_tab

        uneven = segments_view(data, control, SegmentSettings("segment", "conversion")).uneven
        result_tab(data, key, control, control, view, uneven, None)
    elif tab == "trust":
        from ui.pages.campaign_trust import trust_tab

        trust_tab(data, trust_view(data, control, view.lifts), None, None)
    elif tab == "money":
        from ui.pages.campaign_money import money_tab

        money_tab(data, key, control, view.lifts)
    elif tab == "segments":
        from ui.pages.campaign_segments import segments_tab

        segments_tab(data, key, control, breakdown_columns(data), tuple(view.lifts), None)
    elif tab == "plan":
        from ui.pages.campaign_plan import plan_tab

        plan_tab(plan_defaults(data, control))
    elif tab == "impact":
        from ui.pages.campaign_impact import impact_tab

        impact_tab(get_table("transactions"), True)
    else:
        from ui.pages.campaign_impact import channels_tab

        channels_tab(True)


def _tab(tab: str, lang: str = "en") -> AppTest:
    at = AppTest.from_function(script, args=(tab, lang), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert not at.error
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label.replace("\\", ""): m.value for m in at.metric}


def _texts(at: AppTest) -> str:
    elements = [*at.markdown, *at.caption, *at.info, *at.warning, *at.success]
    return "\n".join(e.value for e in elements)


def _table(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_result_tab():
    at = _tab("result")
    metrics = _metrics(at)
    # sample_data/README.md: 2.95% / 3.61% / 3.72%, variant_a +0.66 points.
    assert metrics["control"] == "2.95%"
    assert metrics["variant_a"] == "3.61%" and metrics["variant_b"] == "3.72%"
    texts = _texts(at)
    assert "raised conversion by 0.66 points" in texts
    assert "largest for **lapsed**" in texts
    assert "p = 0.000" not in texts
    table = _table(at, "p_adjusted")
    assert len(table) == 4
    # p-values are shown as core.format.fmt_p writes them.
    assert table["p_text"].str.fullmatch(r"< 0\.001|[01]\.\d{3}").all()
    at.toggle(key="campaign_bayes").set_value(True).run()
    chance = _table(at, "p_adjusted")["chance_to_beat"]
    assert chance.notna().sum() == 2 and (chance.dropna() > 90).all()


def test_result_tab_in_chinese():
    at = _tab("result", "zh")
    texts = _texts(at)
    assert "使转化率提高了 0.66 个百分点" in texts and "异质性检验" in texts
    assert "campaign." not in texts


def test_trust_tab():
    at = _tab("trust")
    texts = _texts(at)
    assert "no sign of a sending problem" in texts
    assert "removes 13.0% of the variance" in texts  # README: CUPED cuts the variance ~13%
    # Hand (tests/core/test_campaign_views.py): chi2 0.11 and p 0.946 against an equal split.
    assert _metrics(at)["Chi-square"] == "0.11" and _metrics(at)["p-value of the split"] == "0.946"
    srm = _table(at, "expected")
    assert srm["recipients"].sum() == 20000
    assert (_table(at, "narrower")["narrower"] > 0).all()


def test_money_tab_what_ifs():
    at = _tab("money")
    metrics = _metrics(at)
    assert {"Net profit", "Extra revenue", "Chance of a profit"} <= set(metrics)
    before = dict(metrics)
    at.slider(key="campaign_margin").set_value(60).run()
    assert _metrics(at)["Net profit"] != before["Net profit"]
    at.slider(key="campaign_whatif_keep").set_value(50).run()
    assert "Sending variant" in _texts(at)
    assert not at.exception


def test_segments_tab():
    at = _tab("segments")
    table = _table(at, "n_control")
    assert set(table["level"]) == {"active", "lapsed", "subscriber"}
    # README: lapsed, variant_b: 2.6% -> 8.4%.
    lapsed = table[(table["level"] == "lapsed") & (table["variant"] == "variant_b")]
    assert lapsed["abs_lift"].iloc[0] == pytest.approx(5.8, abs=0.1)
    assert "6 comparisons here" in _texts(at)
    at.radio(key="campaign_seg_metric").set_value("revenue").run()
    assert not at.exception and "revenue per recipient" in _texts(at)


def test_plan_tab():
    at = _tab("plan")
    # The control's rate (2.95%) and a change of 0.5 points: core.campaign.power.sample_size.
    need = sample_size(0.0295, 0.005, daily_volume=2000)
    assert _metrics(at)["Total recipients"] == fmt_count(need.total)
    at.number_input(key="campaign_plan_mde").set_value(1.0).run()
    assert _metrics(at)["Total recipients"] == fmt_count(sample_size(0.0295, 0.01).total)
    at.number_input(key="campaign_plan_baseline").set_value(99.0).run()
    assert "between 0% and 100%" in "\n".join(w.value for w in at.warning)


def test_impact_tab_waits_for_a_start_then_estimates():
    at = _tab("impact")
    assert "Pick the date the campaign started" in _texts(at)
    at.date_input(key="campaign_impact_start").set_value(date(2026, 3, 2)).run()
    assert "Over the measured period the KPI was" in _texts(at)
    assert "Total effect" in _metrics(at)


def test_channels_tab():
    at = _tab("channels")
    assert _table(at, "cpa")["cpa"].notna().all()
    assert "Best return: **App push** (ROI 460%)" in _texts(at)  # hand: core test_campaign_views
    at.slider(key="campaign_channel_margin").set_value(20).run()
    assert "(ROI 180%)" in _texts(at)  # (8,400 x 0.2 - 600) / 600
