"""Police ranks in order of seniority (for the SUBJECT_AT_OR_ABOVE_RANK external-investigation
criterion and the EXTERNAL_INVESTIGATION_MIN_RANK policy)."""

from __future__ import annotations

_RANK_LEVELS: dict[str, int] = {
    "PC": 1, "CONSTABLE": 1, "DC": 1, "SC": 1, "SPECIAL CONSTABLE": 1,
    "PS": 2, "SGT": 2, "SERGEANT": 2, "DS": 2,
    "INSP": 3, "INSPECTOR": 3, "DI": 3,
    "CI": 4, "CH INSP": 4, "CHINSP": 4, "CHIEF INSPECTOR": 4, "DCI": 4,
    "SUPT": 5, "SUPERINTENDENT": 5, "DSUPT": 5, "DSU": 5,
    "CH SUPT": 6, "CHSUPT": 6, "CSUPT": 6, "CHIEF SUPERINTENDENT": 6, "DCS": 6,
    "ACC": 7, "ASSISTANT CHIEF CONSTABLE": 7, "CMDR": 7, "COMMANDER": 7,
    "DCC": 8, "DEPUTY CHIEF CONSTABLE": 8, "DAC": 8, "DEPUTY ASSISTANT COMMISSIONER": 8,
    "CC": 9, "CHIEF CONSTABLE": 9, "AC": 9, "ASSISTANT COMMISSIONER": 9,
    "DEPUTY COMMISSIONER": 10, "COMMISSIONER": 11,
}


def rank_level(rank: str | None) -> int | None:
    """The seniority of a police rank written as in the workforce register (`PC`, `DS`,
    `Insp`, `Ch Supt`...), or None for a staff grade or an unknown rank."""
    if not rank:
        return None
    key = " ".join(rank.replace(".", " ").replace("-", " ").upper().split())
    return _RANK_LEVELS.get(key)
