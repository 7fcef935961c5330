"""The Cross-sell page through AppTest: demo story in both languages, widgets, thin data.

The numbers themselves are checked in tests/core/test_crosssell.py.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.crosssell import HOLDOUT_TOP_N
from core.i18n import EN, t
from core.ingest import IngestResult, build_table, guess_mapping, read_raw
from tests.app.apptest import open_page
from ui.state import LoadedTable

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/crosssell.py"


def _page(lang: str = "en", tables: dict | None = None) -> AppTest:
    at = open_page(PAGE, lang, tables)
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _loaded(csv: str, name: str = "lines.csv") -> dict:
    raw = read_raw(csv.encode(), name)
    result: IngestResult = build_table(
        raw, "transactions", guess_mapping(raw.frame, "transactions").columns
    )
    return {
        "transactions": LoadedTable(
            "transactions", result.table, result.report, result.fingerprint, name
        )
    }


def test_the_demo_story_shows_and_the_widgets_change_the_results():
    at = _page()
    assert not at.error
    text = _text(at)
    # The planted rules and second-order patterns of sample_data/README.md.
    assert "**Pour\\-over Kettle** also buy **Paper Filters 100**" in text
    assert "**Bamboo Whisk**" in text and "**Matcha Powder**" in text
    assert "first order had **Tea** bought **Tea Infuser**" in text
    assert "first order had **Coffee** bought **French Press**" in text
    # The holdout check: personal suggestions beat the best-seller list.
    hit = float(_metric(at, t("crosssell.hit_rate", "en", top=HOLDOUT_TOP_N)).rstrip("%"))
    baseline = float(
        _metric(at, t("crosssell.baseline_hit_rate", "en", top=HOLDOUT_TOP_N)).rstrip("%")
    )
    assert hit > baseline
    assert EN["crosssell.check_reading_better"].split("{")[0] in text
    rules_before = _metric(at, EN["crosssell.rules_found"])
    revenue_before = _metric(at, EN["crosssell.whatif_revenue"])

    at.select_slider(key="crosssell_min_support").set_value(0.0005)
    at.slider(key="crosssell_min_confidence").set_value(5).run()
    assert not at.exception
    assert int(_metric(at, EN["crosssell.rules_found"])) > int(rules_before)

    at.toggle(key="crosssell_pairs").set_value(True).run()
    assert not at.exception
    assert "together also buy" in _text(at)
    at.toggle(key="crosssell_pairs").set_value(False)

    at.slider(key="crosssell_whatif_response").set_value(50).run()
    assert _metric(at, EN["crosssell.whatif_revenue"]) != revenue_before

    recs = next(d.value for d in at.dataframe if "Product #1" in d.value.columns)
    assert len(recs) == 1000  # 5,000 customers, the first 1,000 shown
    at.slider(key="crosssell_top_n").set_value(3).run()
    recs = next(d.value for d in at.dataframe if "Product #1" in d.value.columns)
    assert "Product #3" in recs.columns and "Product #4" not in recs.columns
    at.multiselect(key="crosssell_segments").set_value(["champions"]).run()
    recs = next(d.value for d in at.dataframe if "Product #1" in d.value.columns)
    assert set(recs["Segment"]) == {"Champions"}

    at.multiselect(key="crosssell_leave_out_product").set_value(["Paper Filters 100"]).run()
    assert not at.exception
    assert "Paper Filters 100" not in _text(at)
    assert "**Bamboo Whisk**" in _text(at)

    at.selectbox(key="crosssell_level").set_value("category").run()
    assert not at.exception
    assert any("Category #1" in d.value.columns for d in at.dataframe)


def test_the_page_in_chinese():
    at = _page("zh")
    assert not at.error
    assert at.title[0].value == "交叉销售"
    labels = {m.label for m in at.metric}
    assert {"找到的规则", "命中率（前 5 个）", "预计额外收入"} <= labels
    assert "购买 **Pour\\-over Kettle** 的客户同时购买 **Paper Filters 100**" in _text(at)


def test_data_without_products_or_without_baskets_gives_messages():
    rows = "".join(f"C{i},2024-03-0{i % 9 + 1},{10 + i}\n" for i in range(12))
    at = _page(tables=_loaded("customer_id,order_date,amount\n" + rows))
    assert [w.value for w in at.warning] == [EN["crosssell.no_items"]]

    # Every order holds a single product: no basket shows what sells together.
    rows = "".join(
        f"O{i},C{i % 4},2024-03-{i + 1:02d},{'Tea' if i % 2 else 'Cup'},{10 + i}\n"
        for i in range(12)
    )
    at = _page(tables=_loaded("order_id,customer_id,order_date,product,amount\n" + rows))
    assert not at.error
    assert EN["crosssell.no_multi_item_baskets"] in [w.value for w in at.warning]


def test_an_upload_without_order_ids_uses_customer_days():
    lines = []
    for day in range(1, 21):
        for customer in range(6):
            # Kettle and filters together on every other day, beans on the others.
            if (day + customer) % 2:
                lines.append(f"C{customer},2024-04-{day:02d},Kettle,30")
                lines.append(f"C{customer},2024-04-{day:02d},Filters,5")
            else:
                lines.append(f"C{customer},2024-04-{day:02d},Beans {day % 4},12")
    csv = "customer_id,order_date,product,amount\n" + "\n".join(lines) + "\n"
    at = _page(tables=_loaded(csv))
    assert not at.error
    assert "customer bought on one day" in "\n".join(c.value for c in at.caption)
    assert int(_metric(at, EN["crosssell.baskets"])) == 120
    assert "**Kettle**" in _text(at)
