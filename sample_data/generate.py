"""Generate the Customer Lens demo data set: the fictional online retailer "Lumen & Leaf".

The story
---------
Lumen & Leaf opened its online shop on 2024-07-01 and sells coffee, tea, kitchenware,
home fragrance, snacks and gifts in five regions (North, South, East, West, Central)
through its website, its app and a marketplace storefront. The data covers exactly two
years, 2024-07-01 to 2026-06-30. The launch campaign brought many customers in the first
months, so acquisition is heavier early on and monthly cohorts are easy to see.

Four tables tell one coherent story about the same ~5,000 customers:

* ``transactions.csv`` -- one row per order line (orders placed by the customers).
* ``customers.csv``    -- one row per customer: signup, region, acquisition channel, ...
* ``feedback.csv``     -- ~3,000 survey answers, app reviews and support tickets written
  a few days after one of the customer's orders (85% English, 15% Simplified Chinese).
* ``campaign.csv``     -- an e-mail A/B/C test sent on 2026-03-02 to every customer who
  had ordered before that day plus newsletter subscribers who never bought.

Planted patterns (what each page of the app should discover)
------------------------------------------------------------
Purchase process (Overview, Segmentation, CLV, Retention).
    Each customer buys like a BG/NBD customer: an individual purchase rate drawn from a
    gamma distribution and, after every purchase, a chance to drop out for good drawn
    from a beta distribution. The purchase rate follows the shop calendar, so orders and
    revenue peak clearly in November-December (Singles' Day 11.11, Black Friday to Cyber
    Monday, the weeks before Christmas) in both years; baskets are bigger then (gifts).
Acquisition (Retention, Segmentation).
    About 30% of customers were won with a first-order discount (20% off; the code, like
    every discount in the shop, is not valid on gift cards). They drop out
    about twice as fast (a much lower share of repeat buyers) and spend less per order
    (smaller, cheaper baskets). By acquisition channel "Referral" customers are the most
    loyal and "Paid social" customers the least.
Cross-sell (Cross-sell).
    Some products are bought together in the same order: "Pour-over Kettle" with "Paper
    Filters 100", "Ceramic Dripper" with "Paper Filters 100", "Matcha Powder" with
    "Bamboo Whisk", "Espresso Beans 1kg" with "Milk Frother", "Glass Teapot" with
    "Jasmine Pearls". The second order often starts with a typical follow-up of the first
    order's main category (Tea -> "Tea Infuser", Kitchenware -> "House Blend 250g", ...).
Data quality (Data).
    Everything is clean except: ~1.5% of lines are returns (a later row with order id
    "R" + the original number, same customer and product, negative quantity and
    amount, discount 0.00), exactly 25 exact duplicate rows placed at random positions,
    and exactly 15 guest-checkout rows with an empty customer_id.
Voice of the customer (Voice of the customer).
    Delivery problems (late, damaged parcel, courier) appear in ~20% of feedback rows and
    in most detractors; praise of product quality goes with promoters; rating (1-5) and
    NPS (0-10) are correlated; overall NPS is about +20 to +35. Orders placed in the
    peak (Nov 20 - Jan 10) have more delivery problems, so NPS dips in December-January.
    About 10% of rows have no text, a few texts contain an e-mail address or phone
    number (for masking).
Campaign (Campaign evaluation).
    Random assignment control / variant_a / variant_b = 34/33/33 (no sample-ratio
    mismatch). "active" = ordered in the 90 days before the send (2025-12-02 to
    2026-03-01), and ``pre_period_spend`` is the total of those orders (returns not
    netted). Baseline conversion within 14 days is ~3% (higher for "active" customers,
    lower for "subscriber"s). variant_a (new subject line and product picks) lifts
    conversion in every segment by 20% relative (~+0.6 points overall). variant_b
    (a "we miss you" story) lifts conversion strongly among "lapsed" customers and has
    no effect on anyone else. Revenue per converter is lognormal with a few bulk-gift
    outliers and grows with the pre-period spend, so CUPED on ``pre_period_spend`` helps.
    Every converter who is a customer has a matching order (not discounted) within 14
    days of the send date whose total equals the campaign ``revenue``; converters who
    were only subscribers have no order in transactions.csv (their first purchase is
    outside this extract, which only holds the ~5,000 customers of customers.csv).
    These campaign orders show as a revenue bump in March 2026. Conversion is the
    tracked click-through purchase, so non-converters may still have ordinary orders in
    the 14 days after the send.

Run ``python -m sample_data.generate [--out DIR]``. The output is byte-identical on every
run: every random draw comes from ``numpy.random.default_rng`` seeded with ``SEED`` (one
independent stream per table), money is handled in integer cents and written with two
decimals, dates are ISO strings, files are UTF-8 without BOM with "\\n" line endings.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240701
START = np.datetime64("2024-07-01", "D")
N_DAYS = 730  # 2024-07-01 .. 2026-06-30
SEND_DATE = np.datetime64("2026-03-02", "D")
SEND_DAY = int((SEND_DATE - START).astype(int))
PRE_PERIOD_DAYS = 90  # "active" = ordered in [send - 90 days, send)
CONVERSION_WINDOW = 14

N_CUSTOMERS = 5000
N_RECIPIENTS = 20000
N_FEEDBACK = 3000
RETURN_SHARE = 0.015
N_DUPLICATES = 25
N_GUEST_ROWS = 15

REGIONS = ["North", "South", "East", "West", "Central"]
REGION_P = [0.22, 0.20, 0.24, 0.18, 0.16]
ORDER_CHANNELS = ["web", "app", "marketplace"]

# Acquisition channel: share, chance of a first-order discount, mean age,
# multipliers on the purchase rate and on the dropout probability.
ACQ_CHANNELS = ["Organic search", "Paid social", "Referral", "Email", "Marketplace"]
ACQ_P = [0.30, 0.22, 0.13, 0.15, 0.20]
ACQ_DISCOUNT_P = [0.20, 0.50, 0.15, 0.30, 0.35]
ACQ_AGE = [40, 31, 44, 47, 38]
ACQ_RATE_MULT = [1.00, 0.90, 1.15, 1.05, 0.95]
ACQ_DROPOUT_MULT = [1.00, 1.45, 0.55, 0.90, 1.15]
DISCOUNT_DROPOUT_MULT = 2.0  # first-order-discount customers churn much faster
DISCOUNT_RATE_MULT = 0.85

CATEGORIES = ["Coffee", "Tea", "Kitchenware", "Home Fragrance", "Snacks", "Gifts"]
CATEGORY_BASE = [0.30, 0.25, 0.15, 0.12, 0.12, 0.06]
# Category weight multipliers in the gift season (Nov 1 - Dec 24).
HOLIDAY_CATEGORY_MULT = [1.0, 1.0, 1.1, 1.8, 1.3, 4.0]
CONSUMABLE = {"Coffee", "Tea", "Snacks"}

# name, category, list price in cents, popularity within the category, Chinese name
PRODUCTS = [
    ("Espresso Beans 1kg", "Coffee", 3200, 1.4, "意式咖啡豆1公斤"),
    ("House Blend 250g", "Coffee", 950, 2.0, "招牌拼配咖啡豆"),
    ("Colombia Single Origin 250g", "Coffee", 1290, 1.2, "哥伦比亚单品咖啡豆"),
    ("Ethiopia Yirgacheffe 250g", "Coffee", 1450, 1.0, "埃塞俄比亚耶加雪菲"),
    ("Decaf Blend 250g", "Coffee", 1050, 0.5, "低因咖啡豆"),
    ("Cold Brew Pack", "Coffee", 1600, 0.7, "冷萃咖啡包"),
    ("Drip Bags 10-pack", "Coffee", 890, 1.3, "挂耳咖啡"),
    ("Instant Coffee Sticks", "Coffee", 650, 0.8, "速溶咖啡"),
    ("Matcha Powder", "Tea", 2400, 1.3, "抹茶粉"),
    ("Sencha Green Tea", "Tea", 1100, 1.0, "煎茶"),
    ("Earl Grey Loose Leaf", "Tea", 900, 1.4, "伯爵红茶"),
    ("Jasmine Pearls", "Tea", 1550, 0.9, "茉莉龙珠"),
    ("Oolong Tie Guan Yin", "Tea", 1800, 0.8, "铁观音"),
    ("Chamomile Herbal", "Tea", 750, 0.9, "洋甘菊花茶"),
    ("Chai Spice Blend", "Tea", 850, 0.8, "印度香料茶"),
    ("Pu-erh Cake", "Tea", 2800, 0.4, "普洱茶饼"),
    ("Pour-over Kettle", "Kitchenware", 4900, 1.2, "手冲壶"),
    ("Paper Filters 100", "Kitchenware", 590, 0.6, "滤纸100张"),
    ("Milk Frother", "Kitchenware", 2900, 0.7, "奶泡器"),
    ("Bamboo Whisk", "Kitchenware", 1200, 0.3, "竹制茶筅"),
    ("Ceramic Dripper", "Kitchenware", 2200, 1.0, "陶瓷滤杯"),
    ("French Press", "Kitchenware", 3400, 1.0, "法压壶"),
    ("Glass Teapot", "Kitchenware", 2700, 0.9, "玻璃茶壶"),
    ("Tea Infuser", "Kitchenware", 690, 0.6, "滤茶器"),
    ("Travel Mug", "Kitchenware", 1900, 1.2, "随行杯"),
    ("Scented Candle Cedar", "Home Fragrance", 2400, 1.2, "雪松香薰蜡烛"),
    ("Scented Candle Fig", "Home Fragrance", 2400, 1.1, "无花果香薰蜡烛"),
    ("Reed Diffuser Linen", "Home Fragrance", 3200, 0.9, "亚麻香薰扩香"),
    ("Incense Sticks Sandalwood", "Home Fragrance", 950, 0.8, "檀香线香"),
    ("Essential Oil Lavender", "Home Fragrance", 1300, 1.0, "薰衣草精油"),
    ("Room Spray Citrus", "Home Fragrance", 1500, 0.7, "柑橘室内喷雾"),
    ("Almond Biscotti", "Snacks", 650, 1.2, "杏仁脆饼"),
    ("Dark Chocolate Bar", "Snacks", 420, 1.5, "黑巧克力"),
    ("Matcha Cookies", "Snacks", 790, 0.9, "抹茶曲奇"),
    ("Dried Mango", "Snacks", 550, 0.8, "芒果干"),
    ("Honey Roasted Nuts", "Snacks", 800, 0.9, "蜂蜜烤坚果"),
    ("Shortbread Tin", "Snacks", 1250, 0.7, "黄油酥饼礼罐"),
    ("Coffee Lover Gift Box", "Gifts", 5500, 1.0, "咖啡礼盒"),
    ("Tea Discovery Set", "Gifts", 4500, 1.0, "品茶礼盒"),
    ("Candle Trio Gift Set", "Gifts", 5800, 0.8, "香薰蜡烛三件套"),
    ("Gift Card 50", "Gifts", 5000, 0.6, "50元礼品卡"),
    ("Holiday Hamper", "Gifts", 8900, 0.7, "节日礼篮"),
]
PROD_NAME = [p[0] for p in PRODUCTS]
PROD_INDEX = {name: i for i, name in enumerate(PROD_NAME)}
PROD_CAT = np.array([CATEGORIES.index(p[1]) for p in PRODUCTS])
PROD_PRICE = np.array([p[2] for p in PRODUCTS], dtype=np.int64)
PROD_POP = np.array([p[3] for p in PRODUCTS])
PROD_ZH = [p[4] for p in PRODUCTS]

# Bought together in the same order: main product -> (companion, probability).
PAIRS = {
    "Pour-over Kettle": ("Paper Filters 100", 0.65),
    "Ceramic Dripper": ("Paper Filters 100", 0.50),
    "Matcha Powder": ("Bamboo Whisk", 0.50),
    "Espresso Beans 1kg": ("Milk Frother", 0.30),
    "Glass Teapot": ("Jasmine Pearls", 0.40),
}
# Typical main product of the second order, by main category of the first order.
FOLLOW_UP = {
    "Coffee": "French Press",
    "Tea": "Tea Infuser",
    "Kitchenware": "House Blend 250g",
    "Home Fragrance": "Essential Oil Lavender",
    "Snacks": "Drip Bags 10-pack",
    "Gifts": "Scented Candle Cedar",
}
FOLLOW_UP_P = 0.40

# Campaign conversion model (see _make_campaign).
GROUPS = ["control", "variant_a", "variant_b"]
GROUP_P = [0.34, 0.33, 0.33]
BASE_CONV_LAPSED = 0.028
BASE_CONV_SUBSCRIBER = 0.020
VARIANT_A_MULT = 1.20  # every segment
VARIANT_B_LAPSED_ADD = 0.05  # lapsed only
MESSAGE_COST_CENTS = 2
# The campaign has its own random stream, default_rng([SEED, 3, CAMPAIGN_DRAW]). With
# ~6,700 recipients per arm the sampling noise on a conversion rate is about +-0.3
# points, as large as the planted variant_a effect, so a draw can easily hide or invert
# it. CAMPAIGN_DRAW is one of the 8 streams among 0..999 in which the realised data
# shows what was planted (chosen for the cleanest variant_b contrast): all nine
# segment x group conversion rates within 1.2 standard errors of their planted
# probability; variant_a above control in every segment, +0.55..0.8 points overall and
# significant (z > 2.1); variant_b minus control +4..6 points among lapsed, within 0.8
# points among active and 0.2 among subscribers; corr(pre_period_spend, revenue) > 0.3.
# Assignment is still plain random with the intended probabilities (no SRM).
CAMPAIGN_DRAW = 86


# --------------------------------------------------------------------------- calendar
def _calendar() -> dict[str, np.ndarray]:
    """Per-day arrays for the two years: month, day of month, seasonal purchase intensity."""
    dates = START + np.arange(N_DAYS)
    month = dates.astype("datetime64[M]").astype(int) % 12 + 1
    dom = (dates - dates.astype("datetime64[M]")).astype(int) + 1
    month_level = np.array([0.85, 0.85, 0.95, 0.95, 1.0, 0.95, 0.9, 0.9, 1.0, 1.05, 1.5, 1.8])
    season = month_level[month - 1]
    season = np.where((month == 12) & (dom > 22), 1.0, season)  # Christmas lull
    singles_day = (month == 11) & (dom == 11)
    season = np.where(singles_day, 4.0, season)
    season = np.where((month == 11) & ((dom == 10) | (dom == 12)), 2.0, season)
    black_friday = np.zeros(N_DAYS, dtype=bool)  # Black Friday .. Cyber Monday
    for first, last in [("2024-11-29", "2024-12-02"), ("2025-11-28", "2025-12-01")]:
        lo = int((np.datetime64(first) - START).astype(int))
        hi = int((np.datetime64(last) - START).astype(int))
        black_friday[lo : hi + 1] = True
    season = np.where(black_friday, 3.0, season)
    gift_season = (month == 11) | ((month == 12) & (dom <= 24))
    # Peak-delivery window (orders Nov 20 - Jan 10): couriers are overloaded.
    peak_delivery = ((month == 11) & (dom >= 20)) | (month == 12) | ((month == 1) & (dom <= 10))
    return {
        "month": month,
        "dom": dom,
        "season": season,
        "cum_season": np.concatenate([[0.0], np.cumsum(season)]),
        "promo": singles_day | black_friday,
        "gift_season": gift_season,
        "peak_delivery": peak_delivery,
    }


def _iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(START + np.asarray(days, dtype=np.int64), unit="D")


def _money(cents) -> list[str]:
    """Integer cents -> '12.34' / '-12.34' (exact, no float rounding)."""
    out = []
    for c in np.asarray(cents, dtype=np.int64).tolist():
        sign = "-" if c < 0 else ""
        c = abs(c)
        out.append(f"{sign}{c // 100}.{c % 100:02d}")
    return out


def _sample_rows(prob: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One categorical draw per row of ``prob`` (unnormalised) using uniforms ``u``."""
    cum = np.cumsum(prob, axis=1)
    cum /= cum[:, -1:]
    return np.minimum((cum < u[:, None]).sum(axis=1), prob.shape[1] - 1)


# -------------------------------------------------------------------------- customers
def _make_customers(rng: np.random.Generator, cal: dict) -> dict[str, np.ndarray]:
    n = N_CUSTOMERS
    days = np.arange(N_DAYS)
    # Launch effect (more customers early) and promotions (more customers in the peak).
    weight = (1.6 - 1.1 * days / N_DAYS) * (0.6 + 0.4 * cal["season"])
    first_day = np.sort(rng.choice(N_DAYS, size=n, p=weight / weight.sum()))
    acq = rng.choice(len(ACQ_CHANNELS), size=n, p=ACQ_P)
    region = rng.choice(len(REGIONS), size=n, p=REGION_P)
    fod = rng.random(n) < np.array(ACQ_DISCOUNT_P)[acq]
    age = np.clip(np.round(rng.normal(np.array(ACQ_AGE)[acq], 12.0)), 18, 80).astype(int)
    gender = rng.choice(3, size=n, p=[0.55, 0.42, 0.03])
    lag = np.where(rng.random(n) < 0.55, 0, rng.geometric(1 / 15, size=n))
    signup_day = first_day - np.minimum(lag, first_day)

    # BG/NBD-like behaviour: purchase rate per "seasonal day" and dropout probability.
    rate = rng.gamma(shape=1.2, scale=1 / 18, size=n)
    rate *= np.array(ACQ_RATE_MULT)[acq] * np.where(fod, DISCOUNT_RATE_MULT, 1.0)
    rate = np.minimum(rate, 0.12)  # nobody orders more than every ~8 days on average
    dropout = rng.beta(0.5, 2.0, size=n)
    dropout *= np.array(ACQ_DROPOUT_MULT)[acq] * np.where(fod, DISCOUNT_DROPOUT_MULT, 1.0)
    dropout = np.minimum(dropout, 0.97)

    affinity = rng.dirichlet(np.array(CATEGORY_BASE) * 4.0, size=n)
    # Preferred order channel: marketplace-acquired customers stay on the marketplace.
    pref_channel = np.where(
        acq == ACQ_CHANNELS.index("Marketplace"),
        rng.choice(3, size=n, p=[0.10, 0.05, 0.85]),
        rng.choice(3, size=n, p=[0.55, 0.37, 0.08]),
    )
    writes_chinese = rng.random(n) < 0.15
    return {
        "first_day": first_day,
        "signup_day": signup_day,
        "acq": acq,
        "region": region,
        "fod": fod,
        "age": age,
        "gender": gender,
        "rate": rate,
        "dropout": dropout,
        "affinity": affinity,
        "pref_channel": pref_channel,
        "zh": writes_chinese,
    }


# ----------------------------------------------------------------------------- orders
def _simulate_orders(rng: np.random.Generator, cust: dict, cal: dict) -> dict[str, np.ndarray]:
    """Order days per customer: seasonal Poisson purchases, dropout after each purchase."""
    cum = cal["cum_season"]
    cust_idx, order_day, seq = [], [], []
    for i in range(N_CUSTOMERS):
        t, k = int(cust["first_day"][i]), 0
        while True:
            cust_idx.append(i)
            order_day.append(t)
            seq.append(k)
            if rng.random() < cust["dropout"][i]:
                break  # dropped out for good
            target = cum[t + 1] + rng.exponential() / cust["rate"][i]
            t = int(np.searchsorted(cum, target, side="right")) - 1
            k += 1
            if t >= N_DAYS:
                break
    return {
        "cust": np.array(cust_idx),
        "day": np.array(order_day),
        "seq": np.array(seq),
    }


def _product_weights(cust: dict, cust_idx: np.ndarray, gift_season: np.ndarray) -> np.ndarray:
    """Unnormalised product probabilities per order (customer taste x season x price)."""
    cat_w = cust["affinity"][cust_idx] * np.where(
        gift_season[:, None], np.array(HOLIDAY_CATEGORY_MULT), 1.0
    )
    pop = PROD_POP / np.bincount(PROD_CAT, weights=PROD_POP)[PROD_CAT]
    w = cat_w[:, PROD_CAT] * pop
    # Discount-acquired customers are price sensitive: cheaper products.
    price_penalty = (PROD_PRICE / 1500.0) ** -0.6
    return np.where(cust["fod"][cust_idx, None], w * price_penalty, w)


def _build_lines(rng, orders: dict, cust: dict, cal: dict) -> pd.DataFrame:
    """Order lines for the organic orders (vectorised over orders)."""
    n = len(orders["day"])
    c = orders["cust"]
    gift = cal["gift_season"][orders["day"]]
    weights = _product_weights(cust, c, gift)
    # The welcome code is not valid on gift cards: no gift card in a discounted first order.
    fod_first = cust["fod"][c] & (orders["seq"] == 0)
    weights[fod_first, PROD_INDEX["Gift Card 50"]] = 0.0

    main = _sample_rows(weights, rng.random(n))
    # Second order: a typical follow-up of the first order's main category.
    first_main = np.full(N_CUSTOMERS, -1)
    is_first = orders["seq"] == 0
    first_main[c[is_first]] = main[is_first]
    follow = np.array([PROD_INDEX[FOLLOW_UP[cat]] for cat in CATEGORIES])
    use_follow = (orders["seq"] == 1) & (rng.random(n) < FOLLOW_UP_P)
    main = np.where(use_follow, follow[PROD_CAT[first_main[c]]], main)

    # Companion product bought in the same order.
    companion = np.full(n, -1)
    u = rng.random(n)
    for name, (other, prob) in PAIRS.items():
        hit = (main == PROD_INDEX[name]) & (u < prob)
        companion[hit] = PROD_INDEX[other]

    # Extra products: fewer for discount customers, more in the gift season.
    lam = np.where(cust["fod"][c], 0.30, 0.50) + np.where(gift, 0.45, 0.0)
    n_extra = np.minimum(rng.poisson(lam), 3)
    extras = np.stack([_sample_rows(weights, rng.random(n)) for _ in range(3)], axis=1)
    extras[np.arange(3)[None, :] >= n_extra[:, None]] = -1

    prod = np.concatenate([main[:, None], companion[:, None], extras], axis=1)  # (n, 5)
    order_pos = np.repeat(np.arange(n), 5)
    lines = pd.DataFrame({"order": order_pos, "product": prod.ravel()})
    lines = lines[lines["product"] >= 0].drop_duplicates(["order", "product"])
    lines = lines.reset_index(drop=True)

    # Quantities: consumables sometimes 2-3 packs, gifts in bulk before Christmas.
    m = len(lines)
    p_idx = lines["product"].to_numpy()
    o_idx = lines["order"].to_numpy()
    cat = np.array(CATEGORIES)[PROD_CAT[p_idx]]
    uq = rng.random(m)
    consumable = np.isin(cat, list(CONSUMABLE))
    qty = np.where(consumable, 1 + (uq > 0.72) + (uq > 0.93), 1 + (uq > 0.96))
    qty = np.where((cat == "Gifts") & gift[o_idx], 1 + (uq > 0.75) + (uq > 0.93), qty)

    # Order-level discount rate in percent (never on gift cards).
    promo = cal["promo"][orders["day"]]
    ud = rng.random(n)
    coupon_p = np.where(cust["fod"][c], 0.15, 0.06)
    rate_pct = np.where(
        fod_first, 20, np.where(promo & (ud < 0.8), 15, np.where(ud < coupon_p, 10, 0))
    )
    gross = PROD_PRICE[p_idx] * qty
    discountable = p_idx != PROD_INDEX["Gift Card 50"]
    disc = (gross * rate_pct[o_idx] * discountable + 50) // 100
    lines["quantity"] = qty
    lines["discount_c"] = disc
    lines["amount_c"] = gross - disc
    lines["line"] = lines.groupby("order").cumcount()
    return lines


def _order_channels(rng, cust_idx: np.ndarray, cust: dict) -> np.ndarray:
    n = len(cust_idx)
    other = rng.choice(3, size=n)
    return np.where(rng.random(n) < 0.8, cust["pref_channel"][cust_idx], other)


# --------------------------------------------------------------------------- campaign
def _campaign_order(rng, weights: np.ndarray, target_c: float) -> list[tuple[int, int]]:
    """Products and quantities for one campaign order worth about ``target_c`` cents."""
    lines: list[tuple[int, int]] = []
    total = 0
    w = weights.copy()
    while total < 0.85 * target_c and len(lines) < 6:
        j = int(_sample_rows(w[None, :], rng.random(1))[0])
        remaining = target_c - total
        q = 1 if remaining < 12000 else int(np.clip(remaining // (2 * PROD_PRICE[j]), 1, 10))
        lines.append((j, q))
        total += int(PROD_PRICE[j]) * q
        w[j] = 0.0
    return lines


def _make_campaign(rng, cust: dict, orders: dict, order_total: np.ndarray):
    """Recipients, assignment, conversions; plus the orders placed by converting customers."""
    lo = SEND_DAY - PRE_PERIOD_DAYS
    in_pre = (orders["day"] >= lo) & (orders["day"] < SEND_DAY)
    pre_spend = np.bincount(
        orders["cust"][in_pre], weights=order_total[in_pre], minlength=N_CUSTOMERS
    ).astype(np.int64)
    active = np.bincount(orders["cust"][in_pre], minlength=N_CUSTOMERS) > 0
    recip = np.flatnonzero(cust["first_day"] < SEND_DAY)
    n_sub = N_RECIPIENTS - len(recip)

    ids = [f"C{i + 1:05d}" for i in recip] + [f"S{k + 1:06d}" for k in range(n_sub)]
    segment = np.array(
        ["active" if active[i] else "lapsed" for i in recip] + ["subscriber"] * n_sub
    )
    pre = np.concatenate([pre_spend[recip], np.zeros(n_sub, dtype=np.int64)])
    n = len(ids)
    group = rng.choice(3, size=n, p=GROUP_P)

    # Baseline conversion: active customers ~12% (more for bigger recent spenders),
    # lapsed 2.8%, subscribers 2.0%  ->  ~3% overall.
    base = np.where(
        segment == "active",
        0.005 + 0.065 * np.log1p(pre / 2000.0),
        np.where(segment == "lapsed", BASE_CONV_LAPSED, BASE_CONV_SUBSCRIBER),
    )
    p = np.where(group == 1, base * VARIANT_A_MULT, base)
    p = np.where((group == 2) & (segment == "lapsed"), base + VARIANT_B_LAPSED_ADD, p)
    converted = rng.random(n) < p

    # Revenue per converter: lognormal around a level that grows with pre-period spend,
    # plus a few bulk gift orders (x3-x8).
    level = np.where(segment == "active", 1500 + 0.4 * pre, 3800.0)
    target = level * np.exp(rng.normal(0.0, 0.3, size=n))
    bulk = rng.random(n) < 0.015
    target = np.where(bulk, target * rng.uniform(3, 8, size=n), target)

    revenue = np.zeros(n, dtype=np.int64)
    new_orders = []  # (customer index, day, [(product, qty), ...])
    for r in np.flatnonzero(converted):
        if r < len(recip):
            i = int(recip[r])
            lag = min(int(rng.geometric(0.22)) - 1, CONVERSION_WINDOW - 1)
            w = _product_weights(cust, np.array([i]), np.array([False]))[0]
            basket = _campaign_order(rng, w, float(target[r]))
            revenue[r] = sum(int(PROD_PRICE[j]) * q for j, q in basket)
            new_orders.append((i, SEND_DAY + lag, basket))
        else:
            revenue[r] = int(round(target[r]))

    campaign = pd.DataFrame(
        {
            "customer_id": ids,
            "group": np.array(GROUPS)[group],
            "send_date": str(SEND_DATE),
            "segment": segment,
            "converted": converted.astype(int),
            "revenue": _money(revenue),
            "pre_period_spend": _money(pre),
            "cost": _money(np.full(n, MESSAGE_COST_CENTS)),
        }
    )
    return campaign, new_orders


# ----------------------------------------------------------------------- transactions
def _assemble_transactions(rng, cust, orders, lines, campaign_orders, cal):
    """Add campaign and guest orders, number the orders, then plant returns and duplicates.

    Returns the transactions frame and a per-line frame of clean lines (for feedback).
    """
    n_org = len(orders["day"])
    o_cust = list(orders["cust"])
    o_day = list(orders["day"])
    o_kind = [0] * n_org  # 0 organic, 1 campaign, 2 guest
    o_channel = list(_order_channels(rng, orders["cust"], cust))
    extra_lines = []
    for i, day, basket in campaign_orders:
        k = len(o_day)
        o_cust.append(i)
        o_day.append(day)
        o_kind.append(1)
        o_channel.append(int(rng.choice(2, p=[0.6, 0.4])))  # clicked through: web / app
        for pos, (j, q) in enumerate(basket):
            amt = int(PROD_PRICE[j]) * q
            extra_lines.append((k, j, q, 0, amt, pos))
    guest_regions = rng.choice(len(REGIONS), size=N_GUEST_ROWS, p=REGION_P)
    guest_days = rng.integers(0, N_DAYS, size=N_GUEST_ROWS)
    guest_prod = rng.choice(len(PRODUCTS), size=N_GUEST_ROWS, p=PROD_POP / PROD_POP.sum())
    for g in range(N_GUEST_ROWS):
        k = len(o_day)
        o_cust.append(-1 - g)
        o_day.append(int(guest_days[g]))
        o_kind.append(2)
        o_channel.append(int(rng.choice(2)))
        extra_lines.append((k, int(guest_prod[g]), 1, 0, int(PROD_PRICE[guest_prod[g]]), 0))

    o_cust = np.array(o_cust)
    o_day = np.array(o_day)
    o_kind = np.array(o_kind)
    o_channel = np.array(o_channel)
    o_region = np.where(o_cust >= 0, cust["region"][np.maximum(o_cust, 0)], 0)
    o_region[o_kind == 2] = guest_regions
    # Order numbers follow time; ties broken by customer id (guests last).
    cust_key = np.where(o_cust >= 0, o_cust, N_CUSTOMERS - o_cust)
    order_rank = np.empty(len(o_day), dtype=np.int64)
    order_rank[np.lexsort((np.arange(len(o_day)), cust_key, o_day))] = np.arange(len(o_day))
    order_no = order_rank + 1

    extra = pd.DataFrame(
        extra_lines, columns=["order", "product", "quantity", "discount_c", "amount_c", "line"]
    )
    all_lines = pd.concat([lines, extra], ignore_index=True)
    o = all_lines["order"].to_numpy()
    all_lines["order_no"] = order_no[o]
    all_lines["cust"] = o_cust[o]
    all_lines["day"] = o_day[o]
    all_lines["kind"] = o_kind[o]
    all_lines["channel"] = o_channel[o]
    all_lines["region"] = o_region[o]
    all_lines["prefix"] = "O"
    all_lines = all_lines.sort_values(["order_no", "line"]).reset_index(drop=True)

    # Returns: ~1.5% of organic lines (kitchenware and gifts more often), 3-28 days later.
    n_ret = round(RETURN_SHARE * len(all_lines))
    eligible = np.flatnonzero(
        (all_lines["kind"] == 0).to_numpy() & (all_lines["day"] <= N_DAYS - 29).to_numpy()
    )
    ret_prod = all_lines["product"].to_numpy()
    cat_w = np.array([0.8, 0.8, 2.5, 1.5, 0.5, 1.5])[PROD_CAT[ret_prod]]
    cat_w = np.where(ret_prod == PROD_INDEX["Gift Card 50"], 0.0, cat_w)
    w = cat_w[eligible]
    picked = np.sort(rng.choice(eligible, size=n_ret, replace=False, p=w / w.sum()))
    ret = all_lines.iloc[picked].copy()
    ret["day"] = ret["day"] + rng.integers(3, 29, size=n_ret)
    ret["quantity"] = -ret["quantity"]
    ret["amount_c"] = -ret["amount_c"]
    ret["discount_c"] = 0
    ret["prefix"] = "R"
    ret["kind"] = 3

    tx = pd.concat([all_lines, ret], ignore_index=True)
    tx = tx.sort_values(["day", "prefix", "order_no", "line"], kind="stable")
    tx = tx.reset_index(drop=True)

    # Exact duplicates: copies of clean customer lines inserted at random positions.
    clean_rows = np.flatnonzero((tx["kind"] <= 1).to_numpy())
    src = rng.choice(clean_rows, size=N_DUPLICATES, replace=False)
    pos = rng.integers(0, len(tx) + 1, size=N_DUPLICATES)
    tx = tx.iloc[np.insert(np.arange(len(tx)), pos, src)].reset_index(drop=True)

    cust_ids = np.array([f"C{i + 1:05d}" for i in range(N_CUSTOMERS)])
    out = pd.DataFrame(
        {
            "order_id": tx["prefix"] + tx["order_no"].map("{:06d}".format),
            "customer_id": np.where(tx["cust"] >= 0, cust_ids[np.maximum(tx["cust"], 0)], ""),
            "order_date": _iso(tx["day"].to_numpy()),
            "product": np.array(PROD_NAME)[tx["product"].to_numpy()],
            "category": np.array(CATEGORIES)[PROD_CAT[tx["product"].to_numpy()]],
            "quantity": tx["quantity"].to_numpy(),
            "amount": _money(tx["amount_c"]),
            "discount": _money(tx["discount_c"]),
            "channel": np.array(ORDER_CHANNELS)[tx["channel"].to_numpy()],
            "region": np.array(REGIONS)[tx["region"].to_numpy()],
        }
    )
    return out, all_lines[all_lines["kind"] <= 1]


# --------------------------------------------------------------------------- feedback
EN = {
    "delivery_neg": [
        "My {item} arrived {days} days late.",
        "Delivery took {days} days, far too long.",
        "The {item} was damaged when it arrived.",
        "The courier left the {item} outside in the rain.",
        "Still waiting for my {item} after {days} days.",
        "Tracking said delivered but nothing arrived for another {days} days.",
        "The courier never rang the bell, I had to collect the {item} from the depot.",
        "Shipping was very slow this time.",
        "Delivery was late again, {days} days after the promised date.",
        "The box arrived crushed and the {product} was broken.",
        "Half of my order was missing from the parcel.",
        "The delivery driver threw the {item} over the fence.",
    ],
    "delivery_pos": [
        "Fast delivery, arrived in {fast} days.",
        "Delivery was quick.",
        "The courier was friendly and on time.",
        "Arrived the next day, well done.",
    ],
    "quality_pos": {
        "Coffee": [
            "The {product} is so fresh, great aroma.",
            "Lovely {product}, smooth and rich.",
            "Best coffee I have had in a while.",
            "The {product} makes a fantastic cup every morning.",
        ],
        "Tea": [
            "The {product} has a wonderful flavour.",
            "Really good quality tea.",
            "The {product} is fragrant and fresh.",
            "Lovely {product}, I can brew it several times.",
        ],
        "Kitchenware": [
            "The {product} is well made and works perfectly.",
            "Love my new {product}.",
            "Great quality {product}, feels solid.",
        ],
        "Home Fragrance": [
            "The {product} smells amazing.",
            "Lovely scent, the {product} lasts for hours.",
            "The {product} makes the whole room smell wonderful.",
        ],
        "Snacks": [
            "The {product} is delicious.",
            "Tasty and fresh {product}.",
            "The {product} goes perfectly with my coffee.",
        ],
        "Gifts": [
            "The {product} made a perfect gift.",
            "Beautifully put together, my friend loved the {product}.",
            "The {product} looked even better than in the photos.",
        ],
    },
    "quality_neg": {
        "Coffee": [
            "The {product} tasted stale.",
            "The {product} was not as good as last time.",
            "The beans were very oily and bitter.",
        ],
        "Tea": ["The {product} tasted of nothing.", "The tea was dusty and broken."],
        "Kitchenware": [
            "The {product} stopped working after {weeks} weeks.",
            "The {product} feels cheap and flimsy.",
        ],
        "Home Fragrance": [
            "The {product} barely smells of anything.",
            "The {product} burned unevenly.",
        ],
        "Snacks": ["The {product} was stale.", "The {product} was too sweet."],
        "Gifts": [
            "The {product} looked cheaper than in the photos.",
            "The {product} was smaller than expected.",
        ],
    },
    "price_neg": [
        "A bit expensive for what you get.",
        "Prices went up again.",
        "Shipping costs are too high.",
        "Too pricey compared to the supermarket.",
        "The {product} costs {pct}% more than last year.",
    ],
    "price_pos": [
        "Good value for money.",
        "Great deal with the discount code.",
        "Fair price for this quality.",
    ],
    "service_pos": [
        "Customer service replied within {hours} hours.",
        "Support was very helpful.",
        "{agent} from customer service sorted it out quickly.",
        "The support team was friendly and patient.",
    ],
    "service_neg": [
        "Nobody answered my email for {days} days.",
        "Customer service was not helpful.",
        "I had to contact support three times.",
        "The chat bot could not answer a simple question.",
    ],
    "web_pos": [
        "The app is easy to use.",
        "Checkout was quick and simple.",
        "Easy to find what I wanted on the website.",
    ],
    "web_neg": [
        "The app keeps crashing at checkout.",
        "The website is slow and the search is useless.",
        "Could not apply my discount code on the website.",
        "The app logged me out twice while paying.",
    ],
    "pack_pos": [
        "Lovely packaging.",
        "Nice plastic-free packaging.",
        "The gift wrapping was beautiful.",
    ],
    "pack_neg": [
        "Too much plastic in the packaging.",
        "Huge box for a small item.",
        "The seal on the bag was broken.",
    ],
    "generic_pos": ["Great shop, everything was fine.", "All good.", "Very happy with my order."],
    "generic_mid": ["It was okay.", "Fine, nothing special.", "Average experience."],
    "generic_neg": ["Not happy with this order.", "Disappointing experience."],
    "open": ["Honest review: ", "Overall: ", "Second order here. ", "Quick feedback: "],
    "close_pos": ["Will order again!", "Thank you!", "Highly recommend.", "Keep it up."],
    "close_mid": ["", "Could be better."],
    "close_neg": ["Very disappointed.", "Not ordering again.", "Please fix this."],
    "pii": ["You can reach me at {email}.", "Please call me back on {phone}."],
}

ZH = {
    "delivery_neg": [
        "快递太慢了，等了一个星期",
        "快递太慢了，等了{days}天",
        "物流太慢，比承诺晚了{days}天才到",
        "快递包装破损，{product}都洒出来了",
        "快递员态度很差，直接把包裹放在门口",
        "物流信息一直不更新",
        "等了{days}天还没收到货",
        "快递送错地址了",
        "收到的时候快递箱压坏了，{product}碎了",
    ],
    "delivery_pos": ["物流很快，{fast}天就到了", "发货速度很快", "快递小哥很准时"],
    "quality_pos": {
        "Coffee": ["咖啡豆很新鲜，味道很好", "{product}香味很浓，很好喝", "{product}口感顺滑"],
        "Tea": ["茶叶品质很好，回甘明显", "{product}很好喝", "{product}很香，可以泡好几次"],
        "Kitchenware": ["{product}做工很好，很好用", "{product}质量不错，很结实"],
        "Home Fragrance": ["{product}味道很好闻，很持久", "{product}香味很自然"],
        "Snacks": ["{product}很好吃，很新鲜", "{product}配咖啡刚刚好"],
        "Gifts": ["{product}送人很有面子，朋友很喜欢", "{product}比图片还好看"],
    },
    "quality_neg": {
        "Coffee": ["{product}不新鲜，有点失望", "味道不如上次"],
        "Tea": ["{product}没什么味道", "茶叶碎末太多"],
        "Kitchenware": ["{product}用了{weeks}周就坏了", "{product}做工一般"],
        "Home Fragrance": ["{product}几乎没有香味", "{product}燃烧不均匀"],
        "Snacks": ["{product}不新鲜", "{product}太甜了"],
        "Gifts": ["{product}跟图片差别很大", "{product}比想象的小"],
    },
    "price_neg": ["价格有点贵", "运费太贵了", "比超市贵不少", "又涨价了"],
    "price_pos": ["性价比很高", "用了优惠券很划算", "价格合理"],
    "service_pos": ["客服回复很快", "客服很耐心，问题很快解决了", "客服{hours}小时内就回复了"],
    "service_neg": ["客服一直不回复", "联系了客服三次都没解决", "客服态度不好"],
    "web_pos": ["App很好用，下单很方便", "网站很清楚，结账很快"],
    "web_neg": ["App老是闪退", "网站太慢了，搜索不好用", "优惠码在App里用不了"],
    "pack_pos": ["包装很精美", "包装很环保，没有多余的塑料"],
    "pack_neg": ["塑料包装太多了", "盒子太大了，很浪费"],
    "generic_pos": ["很满意", "一切都很好"],
    "generic_mid": ["还可以", "一般般"],
    "generic_neg": ["不太满意", "体验不好"],
    "open": ["说实话，", "总的来说，", "第二次买了，"],
    "close_pos": ["会再来买的！", "推荐！", "谢谢！"],
    "close_mid": ["", "希望更好"],
    "close_neg": ["很失望。", "不会再买了。", "希望改进。"],
    "pii": ["我的邮箱是{email}", "请打我电话{phone}"],
}

# topic: (base probability, NPS effect). delivery_neg depends on the order date.
TOPICS = {
    "delivery_neg": (None, -4.2),
    "delivery_pos": (0.06, 0.4),
    "quality_pos": (0.38, 1.6),
    "quality_neg": (0.07, -2.8),
    "price_neg": (0.13, -0.9),
    "price_pos": (0.06, 0.4),
    "service_pos": (0.07, 0.6),
    "service_neg": (0.05, -1.8),
    "web_pos": (0.05, 0.3),
    "web_neg": (0.05, -1.0),
    "pack_pos": (0.06, 0.3),
    "pack_neg": (0.04, -1.0),
}
EXCLUSIVE = {
    "delivery_pos": "delivery_neg",
    "quality_neg": "quality_pos",
    "price_pos": "price_neg",
    "service_neg": "service_pos",
    "web_neg": "web_pos",
    "pack_neg": "pack_pos",
}
FIRST_NAMES = ["anna", "tom", "lucy", "mark", "sara", "james", "emma", "david"]
LAST_NAMES = ["smith", "jones", "brown", "taylor", "wilson", "evans"]
PINYIN = ["wangfang", "lijing", "zhangwei", "liuyang", "chenjie", "zhaolei"]
AGENTS = ["Mia", "Jonas", "Priya", "Leo", "Chloe"]
FEEDBACK_CHANNELS = ["Post-purchase survey", "App review", "Support ticket"]


def _pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def _feedback_text(rng, lang: str, topics: list[str], category: str, product: str, nps: int) -> str:
    t = EN if lang == "en" else ZH
    slots = {
        "item": _pick(rng, ["order", "parcel", "package"]),
        "days": int(rng.integers(3, 13)),
        "fast": int(rng.integers(1, 4)),
        "hours": int(rng.integers(1, 7)),
        "weeks": int(rng.integers(2, 9)),
        "pct": int(rng.choice([10, 15, 20, 25])),
        "agent": _pick(rng, AGENTS),
        "product": product,
    }
    sentences = []
    for topic in topics:
        templates = t[topic][category] if topic.startswith("quality") else t[topic]
        sentences.append(_pick(rng, templates).format(**slots))
    sentences = [sentences[k] for k in rng.permutation(len(sentences))]
    mood = "pos" if nps >= 9 else ("neg" if nps <= 6 else "mid")
    if not sentences:
        sentences = [_pick(rng, t["generic_" + mood])]
    if rng.random() < 0.2:
        sentences[0] = _pick(rng, t["open"]) + sentences[0]
    if rng.random() < 0.4:
        closer = _pick(rng, t["close_" + mood])
        if closer:
            sentences.append(closer)
    if rng.random() < 0.007:  # personal data, to test masking
        if lang == "en":
            email = f"{_pick(rng, FIRST_NAMES)}.{_pick(rng, LAST_NAMES)}{rng.integers(10, 99)}@example.com"
        else:
            email = f"{_pick(rng, PINYIN)}{rng.integers(10, 99)}@example.cn"
        phone = (
            f"+44 7700 900{rng.integers(0, 1000):03d}"
            if lang == "en"
            else f"+86 138 0000 {rng.integers(0, 10000):04d}"
        )
        sentences.append(_pick(rng, t["pii"]).format(email=email, phone=phone))
    if lang == "en":
        return " ".join(sentences)
    text = "，".join(s.rstrip("。！") for s in sentences[:-1]) + (
        "，" if len(sentences) > 1 else ""
    )
    last = sentences[-1]
    return text + (last if last.endswith(("。", "！")) else last + "。")


def _make_feedback(rng, cust: dict, clean_lines: pd.DataFrame, cal: dict) -> pd.DataFrame:
    first_lines = clean_lines[clean_lines["line"] == 0]
    first_lines = first_lines[first_lines["day"] < N_DAYS - 1]
    pick = np.sort(rng.choice(len(first_lines), size=N_FEEDBACK, replace=False))
    rows = first_lines.iloc[pick]
    order_day = rows["day"].to_numpy()
    c = rows["cust"].to_numpy()
    prod = rows["product"].to_numpy()
    ch = rows["channel"].to_numpy()
    fb_day = np.minimum(order_day + np.minimum(rng.geometric(0.3, size=N_FEEDBACK), 14), N_DAYS - 1)

    records = []
    for r in range(N_FEEDBACK):
        peak = bool(cal["peak_delivery"][order_day[r]])
        topics = []
        if rng.random() < (0.33 if peak else 0.16):
            topics.append("delivery_neg")
        for topic, (prob, _) in TOPICS.items():
            if prob is None or EXCLUSIVE.get(topic) in topics:
                continue
            if topic == "service_neg" and "delivery_neg" in topics:
                prob = 0.15  # chasing a late parcel with support
            if rng.random() < prob:
                topics.append(topic)
        latent = 8.75 + rng.normal(0.0, 1.2) + sum(TOPICS[tp][1] for tp in topics)
        nps = int(np.clip(np.round(latent), 0, 10))
        rating = int(np.clip(np.round(1 + 0.4 * nps + rng.normal(0.0, 0.55)), 1, 5))
        negative = any(tp.endswith("neg") for tp in topics)
        u = rng.random()
        if u < (0.35 if negative else 0.05):
            channel = 2
        elif u < (0.35 if negative else 0.05) + (0.45 if ch[r] == 1 else 0.08):
            channel = 1
        else:
            channel = 0
        lang = "zh" if cust["zh"][c[r]] else "en"
        if rng.random() < 0.10:
            text = ""  # score only
        else:
            name = PROD_ZH[prod[r]] if lang == "zh" else PROD_NAME[prod[r]]
            text = _feedback_text(rng, lang, topics, CATEGORIES[PROD_CAT[prod[r]]], name, nps)
        records.append((c[r], fb_day[r], channel, rating, nps, text))

    fb = pd.DataFrame(records, columns=["cust", "day", "channel", "rating", "nps", "text"])
    fb = fb.sort_values(["day", "cust"], kind="stable").reset_index(drop=True)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i + 1:05d}" for i in fb["cust"]],
            "date": _iso(fb["day"].to_numpy()),
            "channel": np.array(FEEDBACK_CHANNELS)[fb["channel"].to_numpy()],
            "rating": fb["rating"],
            "nps": fb["nps"],
            "text": fb["text"],
        }
    )


# ------------------------------------------------------------------------------- main
def _write(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def generate(out_dir: Path) -> dict[str, Path]:
    """Generate the four CSVs into ``out_dir``; return {table name: path}."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # One independent random stream per step, so changing one table leaves the others.
    cal = _calendar()
    cust = _make_customers(np.random.default_rng([SEED, 0]), cal)
    orders = _simulate_orders(np.random.default_rng([SEED, 1]), cust, cal)
    lines = _build_lines(np.random.default_rng([SEED, 2]), orders, cust, cal)
    order_total = np.bincount(
        lines["order"], weights=lines["amount_c"], minlength=len(orders["day"])
    ).astype(np.int64)
    campaign, campaign_orders = _make_campaign(
        np.random.default_rng([SEED, 3, CAMPAIGN_DRAW]), cust, orders, order_total
    )
    transactions, clean_lines = _assemble_transactions(
        np.random.default_rng([SEED, 4]), cust, orders, lines, campaign_orders, cal
    )
    feedback = _make_feedback(np.random.default_rng([SEED, 5]), cust, clean_lines, cal)

    customers = pd.DataFrame(
        {
            "customer_id": [f"C{i + 1:05d}" for i in range(N_CUSTOMERS)],
            "signup_date": _iso(cust["signup_day"]),
            "region": np.array(REGIONS)[cust["region"]],
            "acquisition_channel": np.array(ACQ_CHANNELS)[cust["acq"]],
            "age": cust["age"],
            "gender": np.array(["F", "M", "X"])[cust["gender"]],
            "first_order_discount": cust["fod"].astype(int),
        }
    )
    return {
        "transactions": _write(transactions, out_dir / "transactions.csv"),
        "customers": _write(customers, out_dir / "customers.csv"),
        "feedback": _write(feedback, out_dir / "feedback.csv"),
        "campaign": _write(campaign, out_dir / "campaign.csv"),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="output folder (default: the sample_data folder)",
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    paths = generate(args.out)
    for name, path in paths.items():
        print(f"{name:13s} {path}  ({path.stat().st_size:,} bytes)")
    print(f"done in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
