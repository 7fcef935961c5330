"""The Campaign evaluation page through AppTest: demo, Chinese, widgets, typed totals, uploads, bad tables.

The numbers themselves are checked in tests/core/test_campaign_*.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from core.i18n.en import MESSAGES as EN
from core.ingest import build_table, guess_mapping, read_raw
from tests.app.apptest import open_page
from ui.state import LoadedTable

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/campaign.py"


def _page(lang: str = "en", tables: dict | None = None) -> AppTest:
    at = open_page(PAGE, lang, tables)
    return at


def _campaign(csv: str, name: str = "campaign.csv") -> dict:
    raw = read_raw(csv.encode(), name)
    result = build_table(raw, "campaign", guess_mapping(raw.frame, "campaign").columns)
    assert result.table is not None, result.problem
    return {
        "campaign": LoadedTable("campaign", result.table, result.report, result.fingerprint, name)
    }


def _texts(at: AppTest) -> list[str]:
    elements = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success]
    return [e.value for e in elements]


def _metrics(at: AppTest) -> dict[str, str]:
    # Group names are user text: the page escapes them for markdown ("variant\\_a").
    return {m.label.replace("\\", ""): m.value for m in at.metric}


def test_demo_campaign_in_english():
    at = _page()
    assert not at.error
    metrics = _metrics(at)
    assert metrics["control"] == "2.95%"
    assert metrics["variant_a"] == "3.61%" and metrics["variant_b"] == "3.72%"
    texts = "\n".join(_texts(at))
    assert "raised conversion by 0.66 points" in texts
    assert "largest for **lapsed**" in texts  # variant_b works only for lapsed customers
    assert "no sign of a sending problem" in texts
    assert "removes 13.0% of the variance" in texts  # README: CUPED cuts the variance ~13%
    assert "Over the measured period the KPI was" in texts  # pre/post from the transactions
    assert not any("campaign." in t for t in texts), "a message key leaked"
    result = next(d.value for d in at.dataframe if "p_adjusted" in d.value.columns)
    assert len(result) == 4  # two variants x (conversion, revenue per recipient)


def test_demo_campaign_in_chinese():
    at = _page("zh")
    assert not at.error
    assert at.title[0].value == "营销活动评估"
    texts = "\n".join(_texts(at))
    assert "使转化率提高了 0.66 个百分点" in texts
    assert "lapsed" in texts and "异质性检验" in texts
    assert not any("campaign." in t for t in _texts(at))


def test_widgets_change_the_results():
    at = _page()
    at.selectbox(key="campaign_control").set_value("variant_a").run()
    assert not at.exception
    result = next(d.value for d in at.dataframe if "p_adjusted" in d.value.columns)
    assert set(result["variant"]) == {"control", "variant_b"}
    before = _metrics(at)["Total recipients"]
    at.number_input(key="campaign_plan_mde").set_value(1.0).run()
    assert _metrics(at)["Total recipients"] != before
    # Typed totals: the prefilled example is the demo's totals, so the conversion test agrees.
    at.radio(key="campaign_source").set_value("summary").run()
    assert not at.exception and not at.error
    # ...and says so, so that nobody takes the example for their own result.
    assert any(EN["campaign.example_numbers"] in box.value for box in at.info)
    typed = next(d.value for d in at.dataframe if "p_adjusted" in d.value.columns)
    conversion = EN["campaign.metric_conversion"]
    pd.testing.assert_series_equal(
        typed.loc[typed["metric"] == conversion, "p_value"],
        result.loc[result["metric"] == conversion, "p_value"],
    )


def test_an_uploaded_table_with_five_groups_and_no_control_name():
    rng = np.random.default_rng(4)
    groups = rng.choice(["A", "B", "C", "D", "E"], 6000)
    converted = rng.random(6000) < np.where(groups == "C", 0.08, 0.05)
    revenue = np.where(converted, rng.lognormal(3.5, 0.7, 6000), 0.0).round(2)
    frame = pd.DataFrame(
        {
            "customer_id": [f"U{i}" for i in range(6000)],
            "variant": groups,
            "converted": converted.astype(int),
            "revenue": revenue,
            "channel": rng.choice(["email", "sms"], 6000),
        }
    )
    at = _page(tables=_campaign(frame.to_csv(index=False), "five.csv"))
    assert not at.error
    info = [i.value for i in at.info]
    assert any("No group is named like a control" in i for i in info)
    result = next(d.value for d in at.dataframe if "p_adjusted" in d.value.columns)
    assert len(result) == 8  # four variants x two measures, Holm-corrected
    assert "Add each recipient's spend before the campaign" in "\n".join(_texts(at))


def test_bad_tables_give_clear_messages():
    one_group = "customer_id,group,converted\n" + "".join(
        f"C{i},control,{i % 7 == 0:d}\n" for i in range(50)
    )
    at = _page(tables=_campaign(one_group))
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Only one group was found") for w in warnings)
    assert not at.error  # the planning, impact and channel tabs still work
    totals = "group,recipients,conversions\ncontrol,40,0\nvariant,45,0\n"
    at = _page(tables=_campaign(totals, "totals.csv"))
    notes = "\n".join(i.value for i in at.info)
    assert EN["campaign.zero_conversions"] in notes
    assert "Small groups" in notes


def test_impact_what_if_and_channel_widgets():
    at = _page()
    before = _metrics(at)["Net profit"]
    at.slider(key="campaign_whatif_keep").set_value(50).run()
    assert _metrics(at)["Net profit"] != before
    total = _metrics(at)["Total effect"]
    at.radio(key="campaign_impact_freq").set_value("W").run()
    assert not at.exception
    assert _metrics(at)["Total effect"] != total
    at.radio(key="campaign_impact_source").set_value("paste").run()
    assert not at.exception and not at.error
    # The prefilled example series has a planted +400 per day over its last 14 days.
    texts = "\n".join(_texts(at))
    assert "above the forecast" in texts
    channels = next(d.value for d in at.dataframe if "cpa" in d.value.columns)
    assert channels["cpa"].notna().all()
