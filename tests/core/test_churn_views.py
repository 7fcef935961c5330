"""What the model and at-risk tabs show, from core: readings, the at-risk list and the what-if, by hand.

The what-if's numbers are those of test_retention_offer_by_hand (tests/core/test_churn_model.py),
now through the basis sorted once per model; the readings are the texts the page wrote
before they moved into core (issue 14).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.churn_model import (
    AT_RISK_SHOWN,
    AUC_GOOD,
    AUC_HELP,
    AUC_USEFUL,
    AUC_WEAK,
    LOW_RISK,
    MSG_NO_REASON,
    ChurnModelResult,
    OfferSettings,
    at_risk_headers,
    at_risk_list,
    at_risk_selection,
    at_risk_table,
    feature_name,
    importance_table,
    model_caption,
    offer,
    offer_basis,
    retention_offer,
    whatif,
)
from core.i18n import EN, t
from core.i18n import render as say
from core.problems import Problem

SCORES = pd.DataFrame(
    {
        "risk": [0.9, 0.5, 0.05, 0.2],
        "value": [100.0, 200.0, 1000.0, 50.0],
        "at_stake": [90.0, 100.0, 50.0, 10.0],
        "reason": ["recency_days", MSG_NO_REASON, LOW_RISK, LOW_RISK],
        "reason_value": ["120", "", "", ""],
        "reason_typical": ["30", "", "", ""],
        "recency_days": [120.0, 40.0, 3.0, 10.0],
        "frequency": [2.0, 5.0, 9.0, 4.0],
    },
    index=pd.Index(["a", "b", "c", "d"], name="customer_id"),
).sort_values("at_stake", ascending=False)


def _model(**fields) -> ChurnModelResult:
    defaults = {
        "horizon_days": 90,
        "train_cutoff": pd.Timestamp("2024-01-01"),
        "test_cutoff": pd.Timestamp("2024-04-01"),
        "as_of": pd.Timestamp("2024-06-30"),
        "n_train": 1200,
        "n_test": 1300,
        "auc": 0.84,
        "auc_low": 0.81,
        "auc_high": 0.87,
        "precision_top": 0.6,
        "base_rate": 0.25,
        "scores": SCORES,
        "importance": pd.DataFrame(
            {"feature": ["recency_days", "frequency"], "importance": [0.1, 0.02], "spread": [0, 0]}
        ),
    }
    return ChurnModelResult(**{**defaults, **fields})


def test_whatif_matches_the_offer_by_hand():
    # Riskiest half: a (0.9) and b (0.5); 10 points off each: kept 0.2, revenue 30,
    # cost 2 x 4 = 8, net 30 x 50% - 8 = 7.
    model = _model()
    basis = offer_basis(model)
    assert basis.risk.tolist() == [0.9, 0.5, 0.2, 0.05] and basis.money
    answer = whatif(basis, OfferSettings(share=50, points=10, cost=4.0, margin=50))
    assert answer.offer == retention_offer(SCORES, 0.5, 10, 4.0, margin=0.5)
    assert answer.offer.net == pytest.approx(7.0) and answer.problem is None
    assert answer.reading == Problem(
        "retention.whatif_reading",
        {
            "n": "2",
            "share": 50,
            "churners": "1",
            "kept": "0",
            "revenue": "30.00",
            "cost": "8.00",
            "net": "7.00",
            "margin": 50,
        },
        "info",
    )


def test_whatif_warns_when_the_offer_loses_money():
    basis = offer_basis(_model())
    losing = whatif(basis, OfferSettings(share=50, points=10, cost=20.0, margin=50))
    assert losing.offer.net == pytest.approx(15 - 40)
    assert losing.problem == Problem("retention.whatif_loss", {}, "warning")
    free = whatif(basis, OfferSettings(share=50, points=0, cost=0.0, margin=50))
    assert free.problem is None and np.isnan(free.offer.roi)


def test_whatif_without_money_counts_customers_only():
    model = _model(mode="subscription", scores=SCORES.assign(value=np.nan, at_stake=np.nan))
    basis = offer_basis(model)
    assert not basis.money and basis.reading_key == "retention.whatif_reading_no_value"
    assert basis.value_to_year == 12.0
    answer = whatif(basis, OfferSettings(share=100, points=60, cost=1.0, margin=40))
    assert answer.offer.kept == pytest.approx(0.6 + 0.5 + 0.2 + 0.05)
    assert answer.problem is None  # no money known: no verdict on it


def test_offer_keeps_the_scores_order_for_equal_risks():
    scores = pd.DataFrame({"risk": [0.5, 0.5, 0.5], "value": [1.0, 10.0, 100.0]})
    # The first customer of three with equal risks is contacted: value 1, as before.
    from core.churn_model import _basis

    assert offer(_basis(scores, 1.0), 1 / 3, 100, 0.0).revenue_kept == pytest.approx(0.5)


def test_at_risk_list_is_a_slice_of_the_table_of_everyone():
    model = _model()
    everyone = at_risk_table(model, "en")
    assert everyone["customer_id"].tolist() == ["b", "a", "c", "d"]  # by revenue at stake
    assert everyone["risk"].tolist() == pytest.approx([50.0, 90.0, 5.0, 20.0])
    template = EN["retention.reason_text"]
    assert everyone["reason"].tolist() == [
        EN[MSG_NO_REASON],
        template.format(feature=feature_name("recency_days"), value="120", typical="30"),
        EN[LOW_RISK],
        EN[LOW_RISK],
    ]
    listed = at_risk_selection(model, everyone, 50, "en")
    assert listed.count == 2 and listed.shown["customer_id"].tolist() == ["b", "a"]
    assert list(listed.download.columns) == [EN[k] for k in at_risk_headers(model).values()]
    assert listed.caption == Problem(
        "retention.list_caption", {"n": "2", "risk": 50, "shown": AT_RISK_SHOWN}, "info"
    )
    pd.testing.assert_frame_equal(at_risk_list(model, 0.5, "en"), listed.shown)


def test_at_risk_headers_follow_the_mode():
    assert list(at_risk_headers(_model())) == [
        "customer_id",
        "risk",
        "value",
        "at_stake",
        "reason",
        "recency_days",
        "frequency",
    ]
    unpriced = _model(mode="subscription", scores=SCORES.assign(value=np.nan))
    headers = at_risk_headers(unpriced)
    assert "value" not in headers and "at_stake" not in headers
    assert at_risk_headers(_model(mode="subscription"))["value"] == "retention.sub_col_value"


@pytest.mark.parametrize(
    ("auc", "low", "quality"),
    [
        (AUC_GOOD, 0.75, "good"),
        (AUC_GOOD - 0.001, 0.75, "useful"),
        (AUC_USEFUL, 0.65, "useful"),
        (AUC_WEAK, 0.55, "weak"),
        (AUC_WEAK - 0.001, 0.55, "none"),
        (0.75, 0.5, "none"),  # an interval reaching 0.5 could be chance
    ],
    ids=["good", "just-below-good", "useful", "weak", "below-weak", "interval-reaches-chance"],
)
def test_quality_thresholds(auc, low, quality):
    assert _model(auc=auc, auc_low=low).quality == quality


def test_model_readings():
    model = _model()
    assert model.auc_reading == Problem(
        "retention.auc_reading_good",
        {"auc": "0.84", "precision": "60.0%", "base": "25.0%", "lift": "2.4"},
        "info",
    )
    assert say(model.auc_value) == "0.84 (0.81–0.87)"
    assert say(model.auc_interval_reading).startswith("AUC 0.84, 95% interval 0.81 to 0.87")
    assert "1,300 customers" in say(model.auc_interval_reading)
    assert model.precision_help.params == {"share": "10%"}
    assert model.base_rate_help.params == {"days": 90}
    assert say(AUC_HELP).endswith("above 0.8 is good.")
    assert model.expected_churners == pytest.approx(1.65) and model.at_stake == 250.0
    assert model_caption(model) == model.caption
    assert (
        model.caption.params["train"] == "2024-01-01" and model.caption.params["n_test"] == "1,300"
    )
    sub = _model(mode="subscription", horizon_days=0, n_train=4900, n_test=2100)
    assert say(sub.caption).startswith(
        "Trained on 4,900 subscribers and checked on 2,100 others drawn at random (30%,"
    )
    assert sub.auc_reading.key == "retention.sub_auc_reading_good"


def test_importance_table_names_features_in_the_language():
    table = importance_table(_model(), "zh", top=1)
    assert table["label"].tolist() == [t("retention.feat_recency_days", "zh")]
    assert feature_name("orders_recent") == "Orders in the last 90 days"
    assert feature_name("orders_before_recent") == "Orders 90 to 180 days ago"
