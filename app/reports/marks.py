"""How a protected count is printed (kept apart from the disclosure engine so that the window's
charts can use them without loading it)."""

SMALL_MARK = "<5"
WITHHELD_MARK = "[c]"
NOT_SHOWN = "–"
"""Not shown: a part of a count under 5 (fewer than 5 are never broken down), a count under 5 whose
`<5` would narrow another one down, or a percentage or statistic whose count is not printed (or
with nothing to divide by)."""
MARKS_NOTE = (
    f"{SMALL_MARK}: a count from 1 to 4. {WITHHELD_MARK}: a count of 5 or more withheld so that a count "
    f"under 5 cannot be worked out from the figures around it. {NOT_SHOWN}: not shown: a breakdown of a count "
    f"under 5, a count under 5 whose {SMALL_MARK} would help narrow another one down, or a percentage or average "
    "whose count is not printed."
)
