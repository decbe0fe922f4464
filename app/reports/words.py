"""Words for codes in every human-facing report: `POLICE_OFFICER` -> "Police officer",
`NO_CASE_TO_ANSWER` -> "No case to answer". Files read by machines (the survey return's fixed
labels, FORMATS.md) keep the codes; everything people read goes through `word`."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from app.reports.counting import BUCKET_LABELS, BUCKETS

ACRONYMS = frozenset({"DA", "IOPC", "PCSO", "PSD", "MARAC", "DASH", "PND", "PCC", "RPRP"})
SPECIAL = {
    "PCSO": "PCSO",
    "HOME": "Home force",
    "UNDER_18": "Under 18",
    "AGE_18_24": "18 to 24",
    "AGE_25_34": "25 to 34",
    "AGE_35_44": "35 to 44",
    "AGE_45_54": "45 to 54",
    "AGE_55_PLUS": "55 and over",
    "UNKNOWN": "Unknown",
    "EMOTIONAL_PSYCHOLOGICAL": "Emotional or psychological",
    "STALKING_HARASSMENT": "Stalking or harassment",
    "NON_FATAL_STRANGULATION": "Non-fatal strangulation",
    "TECHNOLOGY_FACILITATED": "Technology-facilitated",
    "F": "Female",
    "M": "Male",
    "X": "Other",
    "U": "Not known",
    "NOT_STATED": "Not stated",
    "NOT_REFERRED": "Not referred to the IOPC",
    "AWAITING_IOPC_DECISION": "Referred, awaiting the IOPC's decision",
    "NOT_NECESSARY_TO_INVESTIGATE": "Returned to the force (no investigation necessary)",
    "LOCAL_INVESTIGATION": "Local investigation",
    "DIRECTED_INVESTIGATION": "Directed investigation",
    "INDEPENDENT_INVESTIGATION": "Independent investigation",
    "REFLECTIVE_PRACTICE": "Reflective practice (RPRP)",
    "DISMISSAL_WITHOUT_NOTICE": "Dismissal without notice",
    "WOULD_HAVE_BEEN_DISMISSED": "Would have been dismissed",
    "NO_CONTACT_WITH_VICTIMS_OR_WITNESSES": "No contact with victims or witnesses",
    "REMOVED_FROM_DA_OR_SAFEGUARDING_ROLE": "Removed from DA or safeguarding role",
    "FIREARMS_TASER_AUTHORITY_WITHDRAWN": "Firearms or Taser authority withdrawn",
    "SYSTEMS_ACCESS_RESTRICTED": "Systems access restricted",
    "SUSPENDED": "Suspended",
    "NO_RESTRICTION": "No restriction",
    "SERIOUS_ASSAULT": "Serious assault",
    "SERIOUS_SEXUAL_OFFENCE": "Serious sexual offence",
    "SERIOUS_CORRUPTION": "Serious corruption",
    "DISCRIMINATION_AGGRAVATED": "Aggravated by discrimination",
    "RELEVANT_OFFENCE": "Relevant offence (7 years or more)",
    "SAME_INCIDENT": "Same incident as a mandatory ground",
}


@lru_cache(maxsize=4096)
def word(name: str | None) -> str:
    """Readable words for an enumerated name; other text (a rank, a force name) as it is."""
    if not name:
        return ""
    if name in SPECIAL:
        return SPECIAL[name]
    if name != name.upper() or not name.replace("_", "").isalnum() or len(name) < 2:
        return name
    words = [w if w in ACRONYMS else w.lower() for w in name.split("_")]
    if words[0] not in ACRONYMS:
        words[0] = words[0].capitalize()
    return " ".join(words)


def words(names: Iterable[str], sep: str = "; ") -> str:
    return sep.join(word(n) for n in names)


def readable(rule: str) -> str:
    """A counting rule with the outcome names as people read them ('NO_CASE_TO_ANSWER' -> 'No case
    to answer')."""
    for bucket in sorted(BUCKETS, key=lambda b: -len(b.value)):
        rule = rule.replace(bucket.value, f"'{BUCKET_LABELS[bucket]}'")
    return rule
