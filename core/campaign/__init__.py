"""Campaign evaluation: A/B statistics, money, power for the next test, impact without a control."""
