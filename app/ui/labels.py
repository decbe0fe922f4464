"""How enumerated names and dates read on screen ("COERCIVE_CONTROL" → "Coercive control")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from app.domain.calendar import local_time

ACRONYMS = frozenset({"DA", "IOPC", "PCSO", "PSD", "PPDA", "MARAC", "DASH", "PND", "IDVA", "ISVA", "PCC", "UK"})
SPECIAL = {
    "HOME": "Home force",
    "FIREARMS_TASER": "Firearms or Taser", "DA_SAFEGUARDING": "DA or safeguarding role",
    "FIREARMS_TASER_AUTHORITY_WITHDRAWN": "Firearms or Taser authority withdrawn",
    "EMOTIONAL_PSYCHOLOGICAL": "Emotional or psychological", "STALKING_HARASSMENT": "Stalking or harassment",
    "NON_FATAL_STRANGULATION": "Non-fatal strangulation",
    "USE_OF_POLICE_POWERS_OR_STATUS": "Use of police powers or status",
    "F": "Female", "M": "Male", "X": "Other", "U": "Not known",
    "NO": "No", "SAME_FORCE": "Same force", "OTHER_FORCE": "Other force",
    "AGE_18_24": "18–24", "AGE_25_34": "25–34", "AGE_35_44": "35–44", "AGE_45_54": "45–54",
    "AGE_55_PLUS": "55+", "UNDER_18": "Under 18", "TWELVE_MONTH_REPORT": "12-month report",
}


def human(name: str | None) -> str:
    """A readable label for an enumerated name; unknown text is returned as it is."""
    if not name:
        return ""
    if name in SPECIAL:
        return SPECIAL[name]
    if not name.replace("_", "").isalnum() or name != name.upper():
        return name
    words = [w if w in ACRONYMS else w.lower() for w in name.split("_")]
    first = words[0]
    words[0] = first if first in ACRONYMS else first.capitalize()
    return " ".join(words)


_CODE = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*(?![\w-])")


def human_text(text: str | None) -> str:
    """Free text with the enumerated names in it made readable ("roles HEAD_OF_PSD" → "roles Head
    of PSD", "ADVISORY list" → "Advisory list"); acronyms, short codes and references (PSD-2025-1,
    CR-17) are left as they are."""
    if not text:
        return ""

    def word(m: re.Match[str]) -> str:
        code = m.group(0)
        if code in ACRONYMS or ("_" not in code and len(code) < 4):
            return code
        return human(code)

    return _CODE.sub(word, plain_ids(plain_dates(text)))


_ISO_DATE = re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")
_ALLEGATION_ID = re.compile(r"\b([Aa])llegation (?:id )?#?\d+\b")
_INTERNAL_ID = re.compile(r" \((?:user |case |task |entry )?id \d+\)| with id \d+")


def plain_dates(text: str) -> str:
    """ISO dates in a message ("due 2026-12-03") as every screen shows dates ("due 03 Dec 2026")."""

    def one(m: re.Match[str]) -> str:
        try:
            return day(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            return m.group(0)

    return _ISO_DATE.sub(one, text)


def plain_ids(text: str) -> str:
    """No internal ids on screen: "allegation 3377 (Alex Carter)" reads "the allegation (Alex Carter)"."""
    text = re.sub(r"\bas allegation \d+\b", "as another allegation on the case", text)
    text = _ALLEGATION_ID.sub(lambda m: ("the a" if m.group(1) == "a" else "The a") + "llegation", text)
    text = text.replace("the the allegation", "the allegation").replace("The the allegation", "The allegation")
    text = text.replace("for the allegation", "for this allegation") if "for the allegation (" not in text else text
    return _INTERNAL_ID.sub("", text)


def human_list(names: Iterable[str], sep: str = ", ") -> str:
    return sep.join(human(n) for n in names)


def day(value: date | datetime | None) -> str:
    """Dates as 14 Mar 2025: unambiguous for British readers."""
    if value is None:
        return ""
    return value.strftime("%d %b %Y")


def moment(value: datetime | None) -> str:
    """A stored moment (naive UTC) as the force's local time: "03 Dec 2026 14:05:09"."""
    return "" if value is None else local_time(value).strftime("%d %b %Y %H:%M:%S")


def clock_time(value: datetime | None) -> str:
    """A stored moment (naive UTC) as the force's local time, to the minute: "03 Dec 2026 14:05"."""
    return "" if value is None else local_time(value).strftime("%d %b %Y %H:%M")


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def plain_harm(explanation: str) -> str:
    """A harm score's explanation in words: "Recency 3 (latest 03 Dec 2026) × 1 + …", without the
    "[illustrative weights]" note (the Policies screen says which weights are the shipped ones)."""
    text = plain_dates(explanation.replace(" [illustrative weights]", ""))
    for short, word in (("R ", "Recency "), ("+ F ", "+ Frequency "), ("+ G ", "+ Gravity "), ("+ V ", "+ Victims ")):
        text = text.replace(short, word, 1) if short != "R " or text.startswith("R ") else text
    return re.sub(r"\) x(\d)", r") × \1", text)
