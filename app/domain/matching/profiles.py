"""Register people and notices reduced to what comparison needs: normalised names and identifiers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from app.domain.matching.frequencies import NameFrequencies
from app.domain.matching.model import NoticeEntry, RegisterEntry
from app.domain.matching.names import SurnameForm, split_previous_name, surname_form, tokens


@dataclass(frozen=True, slots=True)
class Profile:
    """One side of a comparison. The first surname form is the current surname."""

    surnames: tuple[SurnameForm, ...]
    forenames: tuple[str, ...]
    dob: date | None
    staff: str | None = None  # normalised; on a notice, only if it can be a home-force number
    warrant: str | None = None
    employer: str | None = None  # a notice's employing force, as a force code
    employer_is_home: bool = False
    pnc: frozenset[str] = frozenset()  # a notice's PNC id; a person's from notices confirmed as them
    year_only: bool = False  # a notice's date of birth is only a year

    @property
    def first_forename(self) -> str:
        return self.forenames[0] if self.forenames else ""

    def name_forms(self) -> list[str]:
        """Every normalised surname and surname part this person goes by (for frequencies)."""
        return [n for form in self.surnames for n in (form.joined, *form.parts)]


def normalise_identifier(value: str | None) -> str | None:
    """Upper case, letters and digits only, leading zeros dropped ('0012 34' -> '1234')."""
    if not value:
        return None
    cleaned = "".join(ch for ch in value.upper() if ch.isalnum()).lstrip("0")
    return cleaned or None


@lru_cache(maxsize=1024)
def normalise_force(value: str | None) -> str | None:
    cleaned = (value or "").strip().upper()
    return cleaned or None


def register_profile(entry: RegisterEntry) -> Profile:
    forms: list[SurnameForm] = []
    current = surname_form(entry.surname)
    if current is not None:
        forms.append(current)
    for previous in entry.previous_names:
        form = surname_form(split_previous_name(previous, entry.forenames), previous.strip())
        if form is not None and all(form.joined != f.joined for f in forms):
            forms.append(form)
    return Profile(
        surnames=tuple(forms),
        forenames=tokens(entry.forenames),
        dob=entry.date_of_birth,
        staff=normalise_identifier(entry.staff_number),
        warrant=normalise_identifier(entry.warrant_number),
        pnc=frozenset(filter(None, map(normalise_identifier, entry.pnc_ids))),
    )


def notice_identifiers(notice: NoticeEntry, home_force: str) -> tuple[str | None, str | None]:
    """A notice's staff and warrant numbers, if they can be home-force numbers: the notice names
    no employer, or the home force."""
    employer = normalise_force(notice.employing_force)
    if employer is not None and employer != normalise_force(home_force):
        return None, None
    return normalise_identifier(notice.staff_number), normalise_identifier(notice.warrant_number)


def notice_profile(notice: NoticeEntry, home_force: str) -> Profile:
    employer = normalise_force(notice.employing_force)
    form = surname_form(notice.surname)
    staff, warrant = notice_identifiers(notice, home_force)
    return Profile(
        surnames=(form,) if form is not None else (),
        forenames=tokens(notice.forenames),
        dob=notice.date_of_birth,
        staff=staff,
        warrant=warrant,
        employer=employer,
        employer_is_home=employer is not None and employer == normalise_force(home_force),
        pnc=frozenset(filter(None, [normalise_identifier(notice.pnc_id)])),
        year_only=notice.dob_year_only,
    )


def frequencies_of(profiles: list[Profile]) -> NameFrequencies:
    frequencies = NameFrequencies()
    for profile in profiles:
        frequencies.add(profile.name_forms(), profile.first_forename, born=profile.dob,
                        middle=profile.forenames[1] if len(profile.forenames) > 1 else "",
                        parted=any(form.parts for form in profile.surnames),
                        renamed=any(form.previous_name for form in profile.surnames))
    return frequencies
