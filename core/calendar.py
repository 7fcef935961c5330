"""Lengths of calendar periods in days: the one month length every analysis uses."""

from __future__ import annotations

DAYS_PER_YEAR = 365.25
# An average month (365.25 / 12 = 30.4375 days): horizons "in months", monthly rates
# and survival times in months all convert through this one number.
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
DAYS_PER_WEEK = 7.0
