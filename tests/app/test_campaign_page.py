"""The Campaign evaluation page through AppTest: demo, Chinese, widgets, typed totals, uploads, bad tables.

The numbers themselves are checked in tests/core/test_campaign_*.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import CATALOGS
from core.ingest import build_table, guess_mapping, ingest_file, read_raw
from tests.app.apptest import open_page
from ui.state import LoadedTable, shared_store

EN, ZH = CATALOGS["en"], CATALOGS["zh"]
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
    assert not any("campaign." in t for t in texts), "a message key leaked"
    result = next(d.value for d in at.dataframe if "p_adjusted" in d.value.columns)
    assert len(result) == 4  # two variants x (conversion, revenue per recipient)
    # The no-control estimate waits for the user's start date, then estimates from it.
    assert EN["campaign.impact_pick_start"] in texts
    assert "Total effect" not in _metrics(at)
    at.date_input(key="campaign_impact_start").set_value(date(2026, 3, 2)).run()
    assert "Over the measured period the KPI was" in "\n".join(_texts(at))


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


def _results(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if "p_adjusted" in d.value.columns]


def _select(at: AppTest, prefix: str):
    return next(s for s in at.selectbox if (s.key or "").startswith(prefix))


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
    # No group is named like a control: the page asks, and shows no result until answered.
    assert EN["campaign.control_needed"] in [w.value for w in at.warning]
    assert at.selectbox(key="campaign_control").value is None
    assert not _results(at) and "A" not in _metrics(at)
    texts = "\n".join(_texts(at))
    assert "raised conversion" not in texts and "lowered conversion" not in texts
    at.selectbox(key="campaign_control").set_value("A").run()
    result = _results(at)[0]
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
    assert EN["campaign.zero_conversions"] in [w.value for w in at.warning]
    assert not _results(at)
    texts = "\n".join(_texts(at))
    for wrong in ("nan", "-inf", "p = 0.000", "p 0.000"):
        assert wrong not in texts


def test_impact_what_if_and_channel_widgets():
    at = _page()
    before = _metrics(at)["Net profit"]
    at.slider(key="campaign_whatif_keep").set_value(50).run()
    assert _metrics(at)["Net profit"] != before
    at.date_input(key="campaign_impact_start").set_value(date(2026, 3, 2)).run()
    total = _metrics(at)["Total effect"]
    at.radio(key="campaign_impact_freq").set_value("W").run()
    assert not at.exception
    assert _metrics(at)["Total effect"] != total
    at.radio(key="campaign_impact_source").set_value("paste").run()
    assert not at.exception and not at.error
    # The prefilled example series (demo only) has a planted +400 per day over its last 14 days.
    texts = "\n".join(_texts(at))
    assert "above the forecast" in texts
    channels = next(d.value for d in at.dataframe if "cpa" in d.value.columns)
    assert channels["cpa"].notna().all()


def _hillstrom(n: int = 6000, seed: int = 12) -> pd.DataFrame:
    """A Hillstrom-shaped e-mail test (no ID column, few distinct rows: many recipients are identical)."""
    rng = np.random.default_rng(seed)
    segment = rng.choice(["Mens E-Mail", "Womens E-Mail", "No E-Mail"], n)
    visit_p = np.select([segment == "Mens E-Mail", segment == "Womens E-Mail"], [0.18, 0.15], 0.10)
    visit = (rng.random(n) < visit_p).astype(int)
    conversion = visit * (rng.random(n) < 0.08)
    return pd.DataFrame(
        {
            "recency": rng.integers(1, 4, n),
            "history_segment": rng.choice(["1) $0 - $100", "2) $100 - $200"], n),
            "history": rng.choice([29.99, 99.0], n),
            "mens": rng.integers(0, 2, n),
            "womens": 1,
            "zip_code": rng.choice(["Urban", "Rural"], n),
            "newbie": rng.integers(0, 2, n),
            "channel": rng.choice(["Web", "Phone"], n),
            "segment": segment,
            "visit": visit,
            "conversion": conversion,
            "spend": np.where(conversion == 1, 50.0, 0.0),
        }
    )


def test_recipients_without_ids_are_all_counted_and_no_email_is_the_control():
    frame = _hillstrom()
    assert frame.duplicated().mean() > 0.5  # most rows have an identical twin
    at = _page(tables=_campaign(frame.to_csv(index=False), "hillstrom.csv"))
    assert not at.error and not at.exception
    assert EN["campaign.control_needed"] not in [w.value for w in at.warning]
    assert at.selectbox(key="campaign_control").value == "No E-Mail"
    assert f"{len(frame):,} recipients from hillstrom\\.csv" in "\n".join(_texts(at))
    srm = next(d.value for d in at.dataframe if "expected" in d.value.columns)
    assert srm["recipients"].sum() == len(frame)
    counts = frame["segment"].value_counts()
    assert dict(zip(srm["group"], srm["recipients"], strict=True)) == counts.to_dict()
    # Outcome: conversion (mapped); switch to visit without uploading again.
    before = _results(at)[0]
    _select(at, "campaign_outcome").set_value("visit").run()
    after = _results(at)[0]
    assert not before["p_value"].equals(after["p_value"])
    rates = frame.groupby("segment")["visit"].mean()
    assert _metrics(at)["Mens E-Mail"] == f"{rates['Mens E-Mail']:.2%}"


def test_switching_between_two_yes_no_outcomes_changes_the_result():
    rng = np.random.default_rng(7)
    n = 4000
    version = rng.choice(["gate_30", "gate_40"], n)
    frame = pd.DataFrame(
        {
            "userid": np.arange(n) + 116,
            "version": version,
            "sum_gamerounds": rng.integers(0, 200, n),
            "retention_1": np.where(rng.random(n) < 0.45, "TRUE", "FALSE"),
            "retention_7": np.where(
                rng.random(n) < np.where(version == "gate_30", 0.19, 0.18), "TRUE", "FALSE"
            ),
        }
    )
    at = _page(tables=_campaign(frame.to_csv(index=False), "cookie_cats.csv"))
    # Neither version is named like a control: nothing is shown until the user picks one.
    assert not _results(at)
    at.selectbox(key="campaign_control").set_value("gate_30").run()
    outcome = _select(at, "campaign_outcome")
    assert "retention_7" in outcome.options
    day1 = _metrics(at)["gate_40"]
    outcome.set_value("retention_7").run()
    day7 = _metrics(at)["gate_40"]
    share = (frame.loc[frame["version"] == "gate_40", "retention_7"] == "TRUE").mean()
    assert day7 == f"{share:.2%}" and day7 != day1


def _transactions_only() -> dict:
    raw = (ROOT / "sample_data" / "transactions.csv").read_bytes()
    result = ingest_file(raw, "shop.csv", "transactions")
    table = LoadedTable("transactions", result.table, result.report, result.fingerprint, "shop.csv")
    return {"transactions": table}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_without_a_campaign_table_no_demo_number_appears(lang):
    at = _page(lang, tables=_transactions_only())
    assert not at.exception and not at.error
    texts = "\n".join(_texts(at))
    for demo in ("variant_b", "variant_a", "App push", "Email", "0.77", "0.66"):
        assert demo not in texts
    assert not _results(at)
    assert not [d for d in at.dataframe if "cpa" in d.value.columns]
    assert not any(m.label in ("Total effect", "总效果") for m in at.metric)
    catalog = EN if lang == "en" else ZH
    for key in ("campaign.no_table", "campaign.summary_empty", "campaign.channels_empty"):
        assert catalog[key] in texts
    assert catalog["campaign.impact_pick_start"] in texts


def _catalog(lang: str) -> dict:
    return EN if lang == "en" else ZH


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_degenerate_tables_say_what_they_are(lang):
    catalog = _catalog(lang)
    rows = "group,converted,revenue\n"
    everybody = rows + "".join(f"{g},1,{10 + i % 3}\n" for i in range(60) for g in ("control", "b"))
    same_revenue = rows + "".join(
        f"{g},{i % 4 == 0:d},5\n" for i in range(60) for g in ("control", "b")
    )
    totals = "group,recipients,conversions\ncontrol,1000,30\nb,0,0\nc,1000,45\n"
    cases = [
        (everybody, "campaign.all_converted", "info"),  # revenue still varies
        (same_revenue, "campaign.revenue_constant", "info"),
        (totals, "campaign.empty_groups", "info"),
    ]
    for csv, key, box in cases:
        at = _page(lang, tables=_campaign(csv, "case.csv"))
        assert not at.exception and not at.error
        shown = [e.value for e in getattr(at, box)]
        head = catalog[key].split("{")[0]
        assert any(head in value for value in shown), (key, shown)
        texts = "\n".join(_texts(at))
        for wrong in ("nan", "NaN", "inf", "p = 0.000", "p 0.000"):
            assert wrong not in texts, (key, wrong)
        for frame in _results(at):
            assert np.isfinite(frame["abs_lift"]).all()
    # Revenue constant: conversion is still compared, revenue is not.
    at = _page(lang, tables=_campaign(same_revenue, "case.csv"))
    result = _results(at)[0]
    assert len(result) == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unknown_control_is_asked_in_both_languages(lang):
    csv = "version,converted\n" + "".join(
        f"{g},{i % 5 == 0:d}\n" for i in range(200) for g in ("gate_30", "gate_40")
    )
    at = _page(lang, tables=_campaign(csv, "two.csv"))
    assert _catalog(lang)["campaign.control_needed"] in [w.value for w in at.warning]
    assert not _results(at) and "gate_30" not in _metrics(at)
    if lang == "zh":
        return  # AppTest formats radio labels outside the run, in English: set widgets in English
    at.selectbox(key="campaign_control").set_value("gate_40").run()
    assert len(_results(at)[0]) == 1


# --- the purchase history by customer ID (core.campaign.customers) ---------------------------


def _demo_tables(*kinds: str) -> dict:
    tables = {}
    for kind in kinds:
        raw = (ROOT / "sample_data" / f"{kind}.csv").read_bytes()
        result = ingest_file(raw, f"{kind}.csv", kind)
        tables[kind] = LoadedTable(kind, result.table, result.report, result.fingerprint, "x.csv")
    return tables


def _level_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "n_control" in d.value.columns)


def test_demo_breaks_down_by_segment_before_the_send_and_cuped_from_history():
    at = _page()
    breakdown = at.selectbox(key="campaign_seg_by")
    assert breakdown.options == [
        EN[k] for k in ("field.segment", "campaign.by_rfm_segment", "campaign.by_lifecycle_stage")
    ]
    texts = "\n".join(_texts(at))
    assert (
        EN["campaign.segments_as_of"].format(date="2026-03-01", matched="4,533", total="20,000")
        in texts
    )
    breakdown.set_value("rfm_segment").run()
    assert not at.exception and not at.error
    table = _level_table(at)
    assert {"Not a customer yet", "Champions", "Lost"} <= set(table["level"])
    # 15,467 subscribers never bought: the "not a customer yet" level holds them all.
    new = table[table["level"] == "Not a customer yet"]
    assert new["n_control"].iloc[0] + new["n_variant"].sum() == 15467
    at.selectbox(key="campaign_seg_by").set_value("lifecycle_stage").run()
    assert "Churned" in set(_level_table(at)["level"])
    # The Segmentation page's cached tables, as of the day before the send, once each:
    # on the demo they live in the server's shared store (ui.state.memo), not the session.
    session = (
        [name for name, _ in at.session_state["_cache"]] if "_cache" in at.session_state else []
    )
    assert "rfm" not in session and "stages" not in session
    day = pd.Timestamp("2026-03-01")
    shared = [key for key in shared_store().cached_keys() if key[0] in ("rfm", "stages")]
    assert [key[1][1:] for key in shared if key[0] == "rfm" and key[1][1] == day] == [
        (day, "total")
    ]
    assert sum(1 for key in shared if key[0] == "stages" and key[1][-1] == day) == 1

    # CUPED from purchase history: spend in the 90 days before the send (= the demo's
    # pre_period_spend, so the same 13.0% of the variance), then over 30 days.
    cuped = _select(at, "campaign_cuped")
    assert EN["campaign.history_spend"] in cuped.options
    cuped.set_value("__spend_before_send").run()
    assert not at.exception and not at.error
    texts = "\n".join(_texts(at))
    covariate = EN["campaign.cuped_history"]
    assert covariate.format(days=90, date="2026-03-02", matched="4,533", total="20,000") in texts
    assert "the adjustment removes 13.0% of the variance" in texts
    narrower = next(d.value for d in at.dataframe if "narrower" in d.value.columns)
    assert (narrower["narrower"] > 0).all()
    at.number_input(key="campaign_history_days").set_value(30).run()
    texts = "\n".join(_texts(at))
    assert covariate.format(days=30, date="2026-03-02", matched="4,533", total="20,000") in texts
    assert "the adjustment removes 13.0% of the variance" not in texts


def test_demo_segments_before_the_send_in_chinese():
    # AppTest cannot set widgets in Chinese (see above): the choices are seeded instead.
    fingerprint = _demo_tables("campaign")["campaign"].fingerprint
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["lang"] = "zh"
    at.session_state["campaign_seg_by"] = "rfm_segment"
    at.session_state[f"campaign_cuped_history_{fingerprint[:12]}"] = "__spend_before_send"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    texts = "\n".join(_texts(at))
    assert (
        ZH["campaign.segments_as_of"].format(date="2026-03-01", matched="4,533", total="20,000")
        in texts
    )
    assert {ZH["campaign.not_a_customer"], ZH["segment.champions"]} <= set(
        _level_table(at)["level"]
    )
    covariate = ZH["campaign.cuped_history"]
    assert covariate.format(days=90, date="2026-03-02", matched="4,533", total="20,000") in texts
    assert ZH["campaign.cuped_reduction"].format(share="13.0%") in texts
    assert not any("campaign." in t for t in _texts(at))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_without_customer_ids_the_history_features_say_why(lang):
    catalog = _catalog(lang)
    frame = _hillstrom(1500)
    tables = _campaign(frame.to_csv(index=False), "hillstrom.csv") | _demo_tables("transactions")
    at = _page(lang, tables=tables)
    assert not at.exception and not at.error
    texts = "\n".join(_texts(at))
    assert catalog["campaign.segments_no_id"] in texts  # under "For whom"
    assert catalog["campaign.spend_no_id"] in texts  # under the CUPED choice
    assert catalog["campaign.history_spend"] not in _select(at, "campaign_cuped").options
    for wrong in ("nan", "NaN", "campaign."):
        assert wrong not in texts


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_with_ids_but_no_transactions_the_history_features_say_why(lang):
    catalog = _catalog(lang)
    at = _page(lang, tables=_demo_tables("campaign"))
    assert not at.exception and not at.error
    texts = "\n".join(_texts(at))
    assert catalog["campaign.segments_no_transactions"] in texts
    assert catalog["campaign.spend_no_transactions"] in texts
    assert at.selectbox(key="campaign_seg_by").options == [catalog["field.segment"]]


def test_without_a_send_date_segments_are_of_the_last_order_and_cuped_says_why():
    frame = pd.read_csv(ROOT / "sample_data" / "campaign.csv").drop(columns="send_date")
    tables = _campaign(frame.to_csv(index=False)) | _demo_tables("transactions")
    at = _page(tables=tables)
    assert not at.exception and not at.error
    texts = "\n".join(_texts(at))
    assert EN["campaign.spend_no_send_date"] in texts
    # The demo's transactions end on 2026-06-30; every recipient who ever ordered is found.
    assert (
        EN["campaign.segments_as_of_last"].format(
            date="2026-06-30", matched="4,533", total="20,000"
        )
        in texts
    )
    assert EN["campaign.by_rfm_segment"] in at.selectbox(key="campaign_seg_by").options
