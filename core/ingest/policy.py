"""Row policies: what the intake does with identical rows and zero amounts, per table kind.

The rule depends on what a row is. Rows that are people or responses (a campaign's
recipients, feedback answers, a customers table without IDs) are never merged by
content: two recipients with the same answers are two recipients. A transaction line
that repeats an earlier one exactly is a duplicate only when the file gives lines an
identity (an order or invoice number); without one, two identical lines are two
purchases. A zero-amount purchase is a purchase (it counts for frequency, recency and
cohorts); models that need positive spend leave it out themselves.

Every rule can be changed by the user (`RowPolicy`); the defaults are `default_policy`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from core.schema import TableKind

Choice = Literal["keep", "set_aside"]
Rule = Literal["identical_rows", "zero_amounts"]
CHOICES: tuple[Choice, ...] = ("keep", "set_aside")


@dataclass(frozen=True)
class RowPolicy:
    """What to do with rows identical to an earlier row, and with zero-amount transactions.

    identical_rows: "keep" (each row counts) or "set_aside" (reason "duplicate").
    zero_amounts: transactions only: "keep" (a purchase of 0) or "set_aside"
    (reason "zero_amount"); ignored for other tables.
    """

    identical_rows: Choice = "keep"
    zero_amounts: Choice = "keep"

    def choice(self, rule: Rule) -> Choice:
        return getattr(self, rule)


def _mapped(mapping: Mapping[str, str | None]) -> set[str]:
    return {name for name, column in mapping.items() if column}


def default_policy(kind: TableKind, mapping: Mapping[str, str | None]) -> RowPolicy:
    """The rule a table of `kind` mapped as `mapping` gets unless the user chooses another.

    Identical rows are set aside only where rows have an identity: transactions with an
    order ID, customers with a customer ID (a repeated customer is set aside anyway as
    "duplicate customer"). Zero amounts are kept.
    """
    mapped = _mapped(mapping)
    if kind == "transactions":
        identity = "order_id" in mapped
    elif kind == "customers":
        identity = "customer_id" in mapped
    else:
        identity = False
    return RowPolicy(identical_rows="set_aside" if identity else "keep", zero_amounts="keep")


def policy_rules(kind: TableKind, mapping: Mapping[str, str | None]) -> tuple[Rule, ...]:
    """The rules the user can change for this table (in the order to show them).

    A customers table with IDs has none: a repeated row is a repeated customer, set
    aside by the one-row-per-customer rule whichever way identical rows are treated.
    """
    if kind == "transactions":
        return ("identical_rows", "zero_amounts")
    if kind == "customers" and "customer_id" in _mapped(mapping):
        return ()
    return ("identical_rows",)


def with_choice(policy: RowPolicy, rule: Rule, choice: Choice) -> RowPolicy:
    """`policy` with one rule changed."""
    return RowPolicy(**{**policy.__dict__, rule: choice})


def rule_key(kind: TableKind, rule: Rule) -> str:
    """The message key naming a rule with its count ("rule.identical_lines", ...).

    Its choices are `f"{key}.{choice}"` and its explanation `f"{key}.help"`. Transaction
    rows are lines of purchases; other tables' rows are people or answers.
    """
    if rule == "zero_amounts":
        return "rule.zero_amounts"
    return "rule.identical_lines" if kind == "transactions" else "rule.identical_rows"
