"""Matching cross-force prior notices against the workforce register (DOMAIN.md §4).

Pure Python: no database, no Qt. The services hand in plain entries and store the candidates.
"""

from app.domain.matching.engine import MatchIndex, NoticeIndex, data_wash, match_person
from app.domain.matching.frequencies import NameFrequencies
from app.domain.matching.model import Candidate, NoticeEntry, RegisterEntry, Thresholds

__all__ = [
    "Candidate",
    "MatchIndex",
    "NameFrequencies",
    "NoticeEntry",
    "NoticeIndex",
    "RegisterEntry",
    "Thresholds",
    "data_wash",
    "match_person",
]
