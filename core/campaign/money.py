"""What a campaign earned: incremental conversions, revenue, profit, cost, ROI, break-even, roll-out.

`money_view` and `rollout_view` are the Money tab's What-ifs: cheap arithmetic on the
cached lifts (no refit, no loop over recipients), so a margin or a base answers at once.
`channels_view` compares channels from campaign-level rows typed by the user.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from core.campaign.abtest import CampaignData, best_variant
from core.campaign.readings import Figure, count, money, reading, share
from core.problems import Problem


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
    for conv in conversion.to_dict("records"):
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


def channel_table(campaigns: pd.DataFrame, margin: float) -> tuple[pd.DataFrame, Problem | None]:
    """Channels compared on cost per acquisition and ROI, from campaign-level rows.

    Expects columns campaign, channel, spend, recipients, conversions, revenue
    (numbers may be typed as text). Returns one row per channel: campaigns,
    spend, recipients, conversions, revenue, conversion_rate, cpa (spend /
    conversions), roas (revenue / spend) and roi ((revenue x margin - spend) /
    spend), best ROI first, plus a problem when rows had to be left out ("info") or
    none is complete ("warning").
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
    skipped = Problem("campaign.channel_rows_skipped", {}, "info") if (~valid).any() else None
    frame = frame[valid]
    if frame.empty:
        return pd.DataFrame(), Problem("campaign.channel_no_rows", {}, "warning")
    grouped = frame.groupby("channel", sort=False)
    out = grouped[needed[1:]].sum()
    out.insert(0, "campaigns", grouped.size())
    out["conversion_rate"] = out["conversions"] / out["recipients"].where(out["recipients"] > 0)
    out["cpa"] = out["spend"] / out["conversions"].where(out["conversions"] > 0)
    out["roas"] = out["revenue"] / out["spend"].where(out["spend"] > 0)
    out["roi"] = (out["revenue"] * margin - out["spend"]) / out["spend"].where(out["spend"] > 0)
    out = out.sort_values("roi", ascending=False, na_position="last")
    return out.reset_index(), skipped


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


# --- the Money tab's views ------------------------------------------------------------------


@dataclass(frozen=True)
class MoneySettings:
    """The Money tab's assumptions: gross margin (a share) and cost per recipient (None: the cost column)."""

    margin: float
    cost_per_recipient: float | None = None


@dataclass(frozen=True)
class VariantMoney:
    """One variant's money figures as shown, with their 95% intervals (low, high)."""

    variant: str
    inc_conversions: tuple[Figure, Figure, Figure]
    cost: Figure
    has_revenue: bool
    inc_revenue: tuple[Figure, Figure, Figure] | None = None
    net_profit: tuple[Figure, Figure, Figure] | None = None
    roi: tuple[Figure, Figure, Figure] | None = None
    reading: Problem | None = None


@dataclass(frozen=True)
class MoneyView:
    """What each variant's lift was worth: figures per variant and the table to download.

    winner: the variant preselected for the roll-out (largest revenue lift, else
    conversion lift); default_base: everyone in the test.
    """

    variants: tuple[VariantMoney, ...]
    table: pd.DataFrame
    names: tuple[str, ...]
    winner: str | None
    default_base: int


def testable_revenue(data: CampaignData, lifts: Mapping[str, pd.DataFrame]) -> pd.DataFrame | None:
    """The revenue lifts when revenue per recipient can be tested (a standard deviation is known)."""
    revenue = lifts.get("revenue")
    return revenue if revenue is not None and data.has_sd("revenue") else None


def _triple(row: Mapping, name: str, write) -> tuple[Figure, Figure, Figure]:
    return write(row[name]), write(row[f"{name}_low"]), write(row[f"{name}_high"])


def _roi(value: float) -> Figure:
    return Figure("–") if pd.isna(value) else share(value, 0)


def money_view(
    data: CampaignData, lifts: Mapping[str, pd.DataFrame], settings: MoneySettings
) -> MoneyView:
    """`money_table` for the tab: per variant, figures and a sentence; None-safe without revenue."""
    conversion = lifts["conversion"]
    table = money_table(
        data,
        conversion,
        testable_revenue(data, lifts),
        settings.margin,
        settings.cost_per_recipient,
    )
    variants = []
    for row in table.to_dict("records"):
        figures = VariantMoney(
            variant=str(row["variant"]),
            inc_conversions=_triple(row, "inc_conversions", count),
            cost=money(row["cost"]),
            has_revenue=not pd.isna(row.get("inc_revenue", math.nan)),
        )
        if figures.has_revenue:
            figures = replace(
                figures,
                inc_revenue=_triple(row, "inc_revenue", money),
                net_profit=_triple(row, "net_profit", money),
                roi=_triple(row, "roi", _roi),
                reading=reading(
                    "campaign.money_reading",
                    variant=str(row["variant"]),
                    revenue=money(row["inc_revenue"]),
                    low=money(row["inc_revenue_low"]),
                    high=money(row["inc_revenue_high"]),
                    profit=money(row["net_profit"]),
                    break_even=money(row["break_even_lift"]),
                    break_even_rel=share(row["break_even_rel"]),
                ),
            )
        variants.append(figures)
    return MoneyView(
        variants=tuple(variants),
        table=table,
        names=tuple(str(v) for v in conversion["variant"]),
        winner=best_variant(conversion, lifts.get("revenue")),
        default_base=data.recipients,
    )


@dataclass(frozen=True)
class RolloutSettings:
    """The roll-out What-if: which variant, to how many, and the share of its lift that holds."""

    variant: str
    base: int
    keep: float = 1.0


@dataclass(frozen=True)
class RolloutView:
    """The roll-out projected, as shown (estimate, low, high), and its sentence."""

    plan: Rollout
    conversions: tuple[Figure, Figure, Figure]
    revenue: tuple[Figure, Figure, Figure] | None
    profit: tuple[Figure, Figure, Figure] | None
    chance: Figure
    reading: Problem | None


def rollout_view(
    data: CampaignData,
    lifts: Mapping[str, pd.DataFrame],
    money_settings: MoneySettings,
    settings: RolloutSettings,
) -> RolloutView:
    """`rollout` of one variant; the cost per recipient is the variant's own when the cost column is used."""
    pick = settings.variant
    per = money_settings.cost_per_recipient
    if per is None:
        arm = data.arms.loc[pick]
        per = float(arm["cost"] / arm["recipients"])
    revenue = testable_revenue(data, lifts)
    rev_row = revenue.set_index("variant").loc[pick] if revenue is not None else None
    conv_row = lifts["conversion"].set_index("variant").loc[pick]
    plan = rollout(conv_row, rev_row, settings.base, money_settings.margin, per, settings.keep)
    conversions = tuple(count(v) for v in plan.conversions)
    if rev_row is None:
        return RolloutView(plan, conversions, None, None, Figure("–"), None)  # type: ignore[arg-type]
    said = reading(
        "campaign.whatif_reading",
        variant=pick,
        base=count(settings.base),
        conversions=count(plan.conversions[0]),
        revenue=money(plan.revenue[0]),
        low=money(plan.profit[1]),
        high=money(plan.profit[2]),
        profit=money(plan.profit[0]),
        cost=money(plan.cost),
        chance=share(plan.chance_profitable, 0),
    )
    return RolloutView(
        plan,
        conversions,  # type: ignore[arg-type]
        tuple(money(v) for v in plan.revenue),  # type: ignore[arg-type]
        tuple(money(v) for v in plan.profit),  # type: ignore[arg-type]
        share(plan.chance_profitable, 0),
        said,
    )


@dataclass(frozen=True)
class ChannelsView:
    """Channels compared, as shown: the table (rates and ROI in percent), a problem and a reading.

    empty: nothing typed yet. table: `channel_table` (download); shown: the same with
    conversion_rate and roi in percent.
    """

    empty: bool
    table: pd.DataFrame
    shown: pd.DataFrame
    problem: Problem | None
    reading: Problem | None


def channels_view(typed: pd.DataFrame, margin: float) -> ChannelsView:
    """The channels typed in the editor (blank rows ignored) compared on cost per conversion and ROI."""
    rows = pd.DataFrame(typed).dropna(how="all")
    if rows.empty:
        return ChannelsView(True, pd.DataFrame(), pd.DataFrame(), None, None)
    table, problem = channel_table(rows, margin)
    if table.empty:
        return ChannelsView(False, table, table, problem, None)
    top = table.iloc[0]
    cheapest = table.loc[table["cpa"].idxmin()] if table["cpa"].notna().any() else top
    said = reading(
        "campaign.channels_reading",
        best=str(top["channel"]),
        roi=share(top["roi"], 0),
        cheap=str(cheapest["channel"]),
        cpa=money(cheapest["cpa"]),
    )
    shown = table.assign(conversion_rate=table["conversion_rate"] * 100, roi=table["roi"] * 100)
    return ChannelsView(False, table, shown, problem, said)
