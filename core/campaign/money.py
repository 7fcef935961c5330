"""What a campaign earned: incremental conversions, revenue, profit, cost, ROI, break-even, roll-out."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from core.campaign.abtest import CampaignData


def campaign_cost(data: CampaignData, group: str, cost_per_recipient: float | None) -> float:
    """What sending to one group cost: the cost column's total, else recipients x cost per recipient."""
    arm = data.arms.loc[group]
    if cost_per_recipient is None and not math.isnan(float(arm["cost"])):
        return float(arm["cost"])
    return float(arm["recipients"]) * float(cost_per_recipient or 0.0)


def money_table(
    data: CampaignData,
    conversion: pd.DataFrame,
    revenue: pd.DataFrame | None,
    margin: float,
    cost_per_recipient: float | None = None,
) -> pd.DataFrame:
    """Per variant: what its lift was worth over its own recipients, with 95% intervals.

    Incremental conversions = conversion lift x the variant's recipients;
    incremental revenue = lift in revenue per recipient x recipients; gross profit
    = incremental revenue x margin; net profit = gross profit - cost (the cost
    column's total for the variant's recipients, or cost per recipient x
    recipients); ROI = net profit / cost (with its interval). Break-even lift: the lift in revenue per
    recipient at which gross profit pays the cost (cost per recipient / margin),
    also as a share of the control's revenue per recipient.
    Intervals are the lift intervals scaled (the scaling is linear).
    """
    rows = []
    rev = revenue.set_index("variant") if revenue is not None and len(revenue) else None
    for _, conv in conversion.iterrows():
        variant = conv["variant"]
        n = float(conv["n_variant"])
        cost = campaign_cost(data, variant, cost_per_recipient)
        row = {
            "variant": variant,
            "recipients": n,
            "inc_conversions": conv["abs_lift"] * n,
            "inc_conversions_low": conv["abs_low"] * n,
            "inc_conversions_high": conv["abs_high"] * n,
            "cost": cost,
        }
        if rev is not None and variant in rev.index:
            r = rev.loc[variant]
            row.update(
                inc_revenue=r["abs_lift"] * n,
                inc_revenue_low=r["abs_low"] * n,
                inc_revenue_high=r["abs_high"] * n,
            )
            row["gross_profit"] = row["inc_revenue"] * margin
            row["net_profit"] = row["gross_profit"] - cost
            row["net_profit_low"] = row["inc_revenue_low"] * margin - cost
            row["net_profit_high"] = row["inc_revenue_high"] * margin - cost
            row["roi"] = row["net_profit"] / cost if cost > 0 else math.nan
            row["roi_low"] = row["net_profit_low"] / cost if cost > 0 else math.nan
            row["roi_high"] = row["net_profit_high"] / cost if cost > 0 else math.nan
            per_recipient = cost / n if n else math.nan
            row["break_even_lift"] = per_recipient / margin if margin > 0 else math.nan
            control_value = float(r["control"])
            row["break_even_rel"] = (
                row["break_even_lift"] / control_value if control_value > 0 else math.nan
            )
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Rollout:
    """Sending the winning variant to a whole base instead of the control's treatment."""

    base: int
    conversions: tuple[float, float, float]  # estimate, low, high
    revenue: tuple[float, float, float]
    profit: tuple[float, float, float]  # after margin and cost
    cost: float
    chance_profitable: float  # P(profit > 0) under the normal approximation of the lift


def rollout(
    conversion: pd.Series,
    revenue: pd.Series | None,
    base: int,
    margin: float,
    cost_per_recipient: float,
    keep: float = 1.0,
    level: float = 0.95,
) -> Rollout:
    """Project a variant's measured lift onto `base` recipients.

    `keep` scales the lift (1 = the test's lift holds; 0.5 = half of it, a hedge
    against the novelty effect and the winner's curse). The interval is the
    lift's interval carried through the same linear scaling; the chance of a
    profit is Phi((keep * lift * margin - cost per recipient) / (keep * se * margin)).
    """

    def scaled(row: pd.Series) -> tuple[float, float, float]:
        return (
            keep * float(row["abs_lift"]) * base,
            keep * float(row["abs_low"]) * base,
            keep * float(row["abs_high"]) * base,
        )

    cost = cost_per_recipient * base
    conversions = scaled(conversion)
    if revenue is None:
        nan3 = (math.nan, math.nan, math.nan)
        return Rollout(base, conversions, nan3, nan3, cost, math.nan)
    rev = scaled(revenue)
    profit = tuple(v * margin - cost for v in rev)
    lift, se = keep * float(revenue["abs_lift"]), keep * float(revenue["se"])
    if se > 0 and margin > 0:
        chance = float(stats.norm.cdf((lift * margin - cost_per_recipient) / (se * margin)))
    else:
        chance = float(np.sign(lift * margin - cost_per_recipient) > 0)
    return Rollout(base, conversions, rev, profit, cost, chance)  # type: ignore[arg-type]


def channel_table(campaigns: pd.DataFrame, margin: float) -> tuple[pd.DataFrame, str | None]:
    """Channels compared on cost per acquisition and ROI, from campaign-level rows.

    Expects columns campaign, channel, spend, recipients, conversions, revenue
    (numbers may be typed as text). Returns one row per channel: campaigns,
    spend, recipients, conversions, revenue, conversion_rate, cpa (spend /
    conversions), roas (revenue / spend) and roi ((revenue x margin - spend) /
    spend), best ROI first, plus a message key when rows had to be left out.
    """
    needed = ["channel", "spend", "recipients", "conversions", "revenue"]
    frame = campaigns.copy()
    for column in needed:
        if column not in frame.columns:
            frame[column] = np.nan
    frame["channel"] = frame["channel"].astype("string").str.strip()
    for column in needed[1:]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    valid = (
        frame["channel"].notna()
        & (frame["channel"] != "")
        & frame[needed[1:]].notna().all(axis=1)
        & (frame[needed[1:]] >= 0).all(axis=1)
    )
    message = "campaign.channel_rows_skipped" if (~valid).any() else None
    frame = frame[valid]
    if frame.empty:
        return pd.DataFrame(), "campaign.channel_no_rows"
    grouped = frame.groupby("channel", sort=False)
    out = grouped[needed[1:]].sum()
    out.insert(0, "campaigns", grouped.size())
    out["conversion_rate"] = out["conversions"] / out["recipients"].where(out["recipients"] > 0)
    out["cpa"] = out["spend"] / out["conversions"].where(out["conversions"] > 0)
    out["roas"] = out["revenue"] / out["spend"].where(out["spend"] > 0)
    out["roi"] = (out["revenue"] * margin - out["spend"]) / out["spend"].where(out["spend"] > 0)
    out = out.sort_values("roi", ascending=False, na_position="last")
    return out.reset_index(), message


EXAMPLE_CHANNELS = pd.DataFrame(
    {
        "campaign": [
            "Spring newsletter",
            "Spring newsletter",
            "Win-back",
            "Win-back",
            "New arrivals",
            "New arrivals",
        ],
        "channel": ["Email", "SMS", "Email", "Paid social", "App push", "Paid social"],
        "spend": [2400.0, 1800.0, 900.0, 3200.0, 600.0, 2600.0],
        "recipients": [20000, 9000, 6000, 40000, 15000, 52000],
        "conversions": [680, 315, 210, 520, 240, 610],
        "revenue": [30600.0, 12600.0, 8900.0, 19800.0, 8400.0, 24100.0],
    }
)
