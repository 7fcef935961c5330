"""The Lifetime value page's holdout check on the full CDNOW master file: issue 12's known answers.

CDNOW_master.txt (lifetimes/datasets) converted to a CSV as a user would, read, mapped
by the automatic guess and built by core.ingest with the transactions policy for a
file without an order id (every line kept: 80 purchases of 0, 255 identical lines;
passed explicitly), then opened on the Lifetime value page with the cut-off
1997-09-30 in weeks. Expected figures: issue 12 ("Known answers to reach through the
Upload page"); the numbers themselves are checked in tests/core/test_clv_cdnow_master.py.
"""

from __future__ import annotations

from datetime import date

from core.i18n.clv import EN
from core.ingest import RowPolicy, build_table, guess_mapping, read_raw
from tests.app.apptest import open_page
from tests.core.test_clv_cdnow_master import cdnow_master_csv
from ui.state import LoadedTable

PAGE = "app_pages/clv.py"


def _cdnow_master() -> dict:
    raw = read_raw(cdnow_master_csv(), "CDNOW_master.csv")
    mapping = guess_mapping(raw.frame, "transactions").columns
    assert {mapping["customer_id"], mapping["order_date"], mapping["amount"]} == {
        "customer_id",
        "date",
        "dollar_value",
    }
    policy = RowPolicy(identical_rows="keep", zero_amounts="keep")
    result = build_table(raw, "transactions", mapping, policy=policy)
    assert result.report.rows_read == len(result.table) == 69_659
    loaded = LoadedTable(
        "transactions", result.table, result.report, result.fingerprint, "CDNOW_master.csv"
    )
    return {"transactions": loaded}


def test_holdout_check_shows_the_known_answers():
    at = open_page(PAGE, tables=_cdnow_master())
    at.date_input(key="clv_cutoff").set_value(date(1997, 9, 30)).run()
    assert not at.exception
    assert not at.error
    assert at.segmented_control(key="clv_unit").value == "weeks"
    captions = [c.value for c in at.caption]

    bgnbd = next(c for c in captions if c.startswith("BG/NBD fitted up to the cut-off"))
    assert "(23,570 customers, time in weeks)" in bgnbd
    assert "r 0.2516, alpha 4.789, a 0.7234, b 2.161" in bgnbd

    # q = 3.62445: the 3.625 rounds 3.6245; the page shows 4 significant figures.
    gamma_gamma = next(c for c in captions if c.startswith("Gamma-Gamma fitted up to the cut-off"))
    assert "(9,450 repeat buyers)" in gamma_gamma
    assert "p 6.275, q 3.624, v 14.98" in gamma_gamma

    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Actual repeat purchases"] == "19,684"
    assert metrics["Predicted"] == "16,874"
    assert metrics["Aggregate error"] == "-14.3%"

    # Purchases of 0 over all the data (the spend model of the customer values).
    assert EN["clv.spend_zero_counted"].format(n="8") in captions
    assert EN["clv.spend_zero_left_out"].format(n="1") in captions
