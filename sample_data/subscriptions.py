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
