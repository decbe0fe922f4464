"""The three imports of FORMATS.md: workforce, cases, notices (CSV or xlsx, all-or-nothing)."""
