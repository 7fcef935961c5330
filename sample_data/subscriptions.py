"""Seeded generator of a subscription-style customers table (for the Retention page's subscription mode).

    python -m sample_data.subscriptions            # writes sample_data/subscriptions.csv
    python -m sample_data.subscriptions --out DIR

One row per subscriber of "Lumen & Leaf Coffee Club", a monthly coffee subscription:
customer_id ("M00001"), signup_date, channel (acquisition channel), plan (Basic,
Standard, Premium), tenure (whole months subscribed, up to 2026-06-30 for those still
subscribed), churned (1 = cancelled) and end_date (the cancellation day; empty while
subscribed). Upload it as the *customers* table.

Planted patterns (checked in tests/core/test_retention.py):
- the monthly chance of cancelling is 7% on Basic, 4% on Standard and 2% on Premium;
- Referral subscribers cancel at 0.6 times and Paid social at 1.7 times the rate of
  the others (Organic search, Email).
So Premium and Referral subscribers live longest and Basic / Paid social the shortest.
Every random draw comes from one `numpy.random.default_rng(SEED)`: runs are identical.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240701
N_SUBSCRIBERS = 2_000
START = np.datetime64("2024-01-01", "D")
LAST_SIGNUP = np.datetime64("2026-05-31", "D")
AS_OF = np.datetime64("2026-06-30", "D")
PLANS = {"Basic": 0.07, "Standard": 0.04, "Premium": 0.02}  # monthly cancellation chance
PLAN_WEIGHTS = (0.5, 0.3, 0.2)
CHANNELS = {"Organic search": 1.0, "Email": 1.0, "Referral": 0.6, "Paid social": 1.7}
CHANNEL_WEIGHTS = (0.35, 0.2, 0.15, 0.3)
FILE_NAME = "subscriptions.csv"


def make_subscriptions(n: int = N_SUBSCRIBERS, seed: int = SEED) -> pd.DataFrame:
    """The subscription table as a DataFrame (dates as ISO text, end_date empty while subscribed)."""
    rng = np.random.default_rng(seed)
    span = int((LAST_SIGNUP - START).astype(int)) + 1
    signup = np.sort(START + rng.integers(0, span, size=n).astype("timedelta64[D]"))
    plan = rng.choice(list(PLANS), size=n, p=PLAN_WEIGHTS)
    channel = rng.choice(list(CHANNELS), size=n, p=CHANNEL_WEIGHTS)
    hazard = np.array([PLANS[p] for p in plan]) * np.array([CHANNELS[c] for c in channel])
    # Months until cancelling: the first month in which a monthly coin with chance `hazard` comes up.
    months = rng.geometric(np.clip(hazard, 1e-6, 1.0))
    day_in_month = rng.integers(0, 28, size=n)
    signup_month = signup.astype("datetime64[M]")
    end = (signup_month + months).astype("datetime64[D]") + (
        (signup - signup_month.astype("datetime64[D]")).astype(int) + day_in_month
    ) % 28
    churned = end <= AS_OF
    observed_months = (AS_OF.astype("datetime64[M]") - signup_month).astype(int) - (
        (AS_OF - AS_OF.astype("datetime64[M]").astype("datetime64[D]")).astype(int)
        < (signup - signup_month.astype("datetime64[D]")).astype(int)
    )
    tenure = np.where(churned, months, np.maximum(observed_months, 0))
    return pd.DataFrame(
        {
            "customer_id": [f"M{i + 1:05d}" for i in range(n)],
            "signup_date": pd.to_datetime(signup).strftime("%Y-%m-%d"),
            "channel": channel,
            "plan": plan,
            "tenure": tenure.astype(int),
            "churned": churned.astype(int),
            "end_date": np.where(churned, pd.to_datetime(end).strftime("%Y-%m-%d"), ""),
        }
    )


# ---------------------------------------------------------------------------
# A telecom-style subscribers table (for the churn-risk model's subscription mode)
# ---------------------------------------------------------------------------

TELCO_SEED = 20240915
TELCO_SUBSCRIBERS = 7_000
_YES_NO = np.array(["No", "Yes"])


def _codes(rng: np.random.Generator, n: int) -> list[str]:
    letters = rng.integers(0, 26, size=(n, 5)) + ord("A")
    return ["".join(map(chr, row)) for row in letters]


def make_telco(
    n: int = TELCO_SUBSCRIBERS, seed: int = TELCO_SEED, signal: bool = True
) -> pd.DataFrame:
    """A table shaped like the public telecom churn set: one row per subscriber, ~26% churned.

    The columns and their values are those of the well-known file (customerID, gender,
    SeniorCitizen 0/1, Partner, Dependents, tenure 0-72 months, PhoneService,
    MultipleLines, InternetService, OnlineSecurity, OnlineBackup, DeviceProtection,
    TechSupport, StreamingTV, StreamingMovies, Contract, PaperlessBilling,
    PaymentMethod, MonthlyCharges, TotalCharges as text with a blank for tenure 0,
    Churn Yes/No); the numbers are invented.

    signal=True plants a logistic churn model: month-to-month contracts, short tenure
    (on a log scale), fibre, high monthly charges, electronic checks, paperless billing,
    no tech support and senior citizens raise the odds; one- and two-year contracts
    lower them. signal=False draws Churn independently of every column (same rate).
    """
    rng = np.random.default_rng(seed)
    contract = rng.choice(["Month-to-month", "One year", "Two year"], size=n, p=(0.55, 0.21, 0.24))
    long_contract = contract != "Month-to-month"
    tenure = np.where(
        long_contract,
        rng.integers(0, 73, size=n),
        np.minimum(rng.exponential(18, size=n).astype(int), 72),
    )
    internet = rng.choice(["DSL", "Fiber optic", "No"], size=n, p=(0.34, 0.44, 0.22))
    has_net = internet != "No"
    phone = rng.random(n) < 0.9
    multiple = phone & (rng.random(n) < 0.47)

    def addon(p: float) -> tuple[np.ndarray, np.ndarray]:
        taken = has_net & (rng.random(n) < p)
        return taken, np.where(has_net, _YES_NO[taken.astype(int)], "No internet service")

    security, security_text = addon(0.37)
    backup, backup_text = addon(0.44)
    protection, protection_text = addon(0.44)
    support, support_text = addon(0.37)
    tv, tv_text = addon(0.5)
    movies, movies_text = addon(0.5)
    monthly = (
        20.0
        + np.select([internet == "DSL", internet == "Fiber optic"], [25.0, 50.0], 0.0)
        + 5.0 * phone
        + 5.0 * multiple
        + 5.0 * (security + backup + protection + support)
        + 10.0 * (tv + movies)
        + rng.normal(0, 2.5, size=n)
    ).clip(18.25, 118.75)
    payment = rng.choice(
        [
            "Electronic check",
            "Mailed check",
            "Bank transfer (automatic)",
            "Credit card (automatic)",
        ],
        size=n,
        p=(0.34, 0.23, 0.22, 0.21),
    )
    paperless = rng.random(n) < 0.59
    senior = rng.random(n) < 0.16
    partner = rng.random(n) < 0.48
    dependents = partner & (rng.random(n) < 0.6)
    if signal:
        logit = (
            0.3
            + np.select([contract == "One year", contract == "Two year"], [-1.3, -2.6], 0.0)
            - 0.7 * np.log1p(tenure)
            + 0.75 * (internet == "Fiber optic")
            + 0.012 * (monthly - 65.0)
            + 0.6 * (payment == "Electronic check")
            + 0.35 * paperless
            + 0.3 * senior
            + 0.35 * (has_net & ~support)
        )
        churn = rng.random(n) < 1 / (1 + np.exp(-logit))
    else:
        churn = rng.random(n) < 0.265
    total = tenure * monthly * rng.uniform(0.97, 1.03, size=n)
    return pd.DataFrame(
        {
            "customerID": [f"{i + 1:04d}-{code}" for i, code in enumerate(_codes(rng, n))],
            "gender": rng.choice(["Female", "Male"], size=n),
            "SeniorCitizen": senior.astype(int),
            "Partner": _YES_NO[partner.astype(int)],
            "Dependents": _YES_NO[dependents.astype(int)],
            "tenure": tenure,
            "PhoneService": _YES_NO[phone.astype(int)],
            "MultipleLines": np.where(phone, _YES_NO[multiple.astype(int)], "No phone service"),
            "InternetService": internet,
            "OnlineSecurity": security_text,
            "OnlineBackup": backup_text,
            "DeviceProtection": protection_text,
            "TechSupport": support_text,
            "StreamingTV": tv_text,
            "StreamingMovies": movies_text,
            "Contract": contract,
            "PaperlessBilling": _YES_NO[paperless.astype(int)],
            "PaymentMethod": payment,
            "MonthlyCharges": monthly.round(2),
            "TotalCharges": np.where(tenure > 0, np.char.mod("%.2f", total), " "),
            "Churn": _YES_NO[churn.astype(int)],
        }
    )


def generate(out_dir: Path) -> Path:
    """Write subscriptions.csv into `out_dir` (UTF-8, no BOM, \\n line endings) and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / FILE_NAME
    make_subscriptions().to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    print(generate(parser.parse_args().out))


if __name__ == "__main__":
    main()
