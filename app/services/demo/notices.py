"""Synthetic prior notices from other forces, the PND and the College lists.

Most are about people who are not in the home force's register (some share a surname with a
member, as real notices do). A few per cent are *planted*: about a real member, recorded the way
another force might have recorded them — a surname typo, the day and month of birth swapped or a
digit slipped, a maiden name, a nickname, no date of birth — so that matching has work to do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.enums import Ethnicity, NoticeRecordType, Sex
from app.services.demo.people import Member, NamePool, weighted

T = NoticeRecordType
PLANTED_SHARE = 0.07
FORCE_TYPES = ((T.DOMESTIC_ABUSE_INCIDENT, 35), (T.INTELLIGENCE, 20), (T.CRIME, 18), (T.CUSTODY, 10),
               (T.MISCONDUCT, 10), (T.CHILD_PROTECTION, 7))
PND_TYPES = ((T.INTELLIGENCE, 35), (T.CRIME, 25), (T.CUSTODY, 20), (T.DOMESTIC_ABUSE_INCIDENT, 15),
             (T.CHILD_PROTECTION, 5))
SUMMARIES = {
    T.DOMESTIC_ABUSE_INCIDENT: ("Domestic incident attended at a home address; DASH completed; no arrest.",
                                "Ex-partner reported repeated unwanted messages; crime recorded as harassment.",
                                "Verbal argument with partner reported by a neighbour; words of advice given.",
                                "Partner reported controlling behaviour; referred to the local IDVA service."),
    T.INTELLIGENCE: ("Intelligence report: association with a person of interest.",
                     "Intelligence suggests misuse of a position of trust; graded low confidence.",
                     "Third-party information about conduct towards a former partner."),
    T.CRIME: ("Named as suspect in a common assault; no further action.",
              "Named as suspect in criminal damage at a former partner's address.",
              "Suspect in a harassment offence; investigation open."),
    T.CUSTODY: ("Arrested and interviewed; released under investigation.",
                "Voluntary attendance interview recorded."),
    T.MISCONDUCT: ("Disciplinary record disclosed on transfer: written warning (2019).",
                   "Previous PSD investigation while serving with the issuing force; no case to answer."),
    T.CHILD_PROTECTION: ("Named in a child protection referral; no further action by children's services.",
                         "Present at an address subject to a child protection plan."),
    T.BARRED_LIST: ("Dismissed for gross misconduct; entry on the Police Barred List.",),
    T.ADVISORY_LIST: ("Resigned while under investigation; entry on the Police Advisory List.",),
}
HANDLING = ("PSD use only", "Do not disclose to the subject", "For vetting purposes only")
NICKNAMES = {
    "William": ("Bill", "Will", "Billy"), "Robert": ("Bob", "Rob"), "Richard": ("Rick", "Rich"),
    "James": ("Jim", "Jamie"), "Elizabeth": ("Liz", "Beth"), "Margaret": ("Maggie", "Peggy"),
    "Katherine": ("Kate", "Kathy"), "Catherine": ("Cath", "Kate"), "Michael": ("Mike", "Mick"),
    "Christopher": ("Chris",), "Thomas": ("Tom",), "Anthony": ("Tony",), "Edward": ("Ed", "Ted"),
    "Daniel": ("Dan", "Danny"), "Matthew": ("Matt",), "Joseph": ("Joe",), "Samuel": ("Sam",),
    "Alexander": ("Alex",), "Jennifer": ("Jen", "Jenny"), "Rebecca": ("Becky",), "Victoria": ("Vicky",),
    "Susan": ("Sue",), "Deborah": ("Debbie",), "Patricia": ("Pat", "Trish"), "Stephen": ("Steve",),
    "Steven": ("Steve",), "Andrew": ("Andy",), "Nicholas": ("Nick",), "Jonathan": ("Jon",),
    "Benjamin": ("Ben",), "Timothy": ("Tim",), "Peter": ("Pete",), "David": ("Dave",), "Kenneth": ("Ken",),
    "Ronald": ("Ron",), "Donald": ("Don",), "Abigail": ("Abby",), "Samantha": ("Sam",),
    "Alexandra": ("Alex",), "Jacqueline": ("Jackie",), "Josephine": ("Jo",), "Joanne": ("Jo",),
    "Terence": ("Terry",), "Frederick": ("Fred",), "Henry": ("Harry",), "Philip": ("Phil",),
    "Gregory": ("Greg",), "Raymond": ("Ray",), "Eleanor": ("Ellie",), "Amanda": ("Mandy",),
    "Gareth": ("Gaz",), "Leonard": ("Len",), "Nathan": ("Nate",), "Zachary": ("Zach",), "Lucy": ("Lu",),
    "Gerald": ("Gerry",), "Kimberley": ("Kim",), "Natalie": ("Nat",), "Charlotte": ("Charlie",),
}
CSV_HEADER = ["notice_id", "issuing_force", "notice_date", "record_type", "surname", "forenames", "date_of_birth",
              "staff_number", "warrant_number", "pnc_id", "employing_force", "summary", "handling"]


@dataclass(eq=False)
class Notice:
    notice_id: str
    issuing_force: str
    notice_date: date
    record_type: NoticeRecordType
    surname: str
    forenames: str
    date_of_birth: date | None
    staff_number: str | None = None
    warrant_number: str | None = None
    pnc_id: str | None = None
    employing_force: str | None = None
    summary: str | None = None
    handling: str | None = None
    about: str | None = None  # staff number of the member it was planted about (not exported)

    def csv_row(self) -> list[str]:
        return [self.notice_id, self.issuing_force, self.notice_date.isoformat(), self.record_type.name,
                self.surname, self.forenames, self.date_of_birth.isoformat() if self.date_of_birth else "",
                self.staff_number or "", self.warrant_number or "", self.pnc_id or "", self.employing_force or "",
                self.summary or "", self.handling or ""]


def notice_count(cases: int) -> int:
    return min(max(200, cases // 2), 20_000)


class NoticeBuilder:
    def __init__(self, rng: random.Random, names: NamePool, today: date, home: str, other_forces: list[str]) -> None:
        self.rng, self.names, self.today, self.home, self.other_forces = rng, names, today, home, other_forces
        self._serial = 0

    def build(self, count: int, members: list[Member]) -> list[Notice]:
        rng = self.rng
        planted = max(1, round(count * PLANTED_SHARE)) if members else 0
        about = rng.sample(members, min(planted, len(members)))
        notices = [self._planted(m) for m in about]
        notices += [self._stranger(members) for _ in range(count - len(notices))]
        rng.shuffle(notices)
        return notices

    # ---- the notice itself -------------------------------------------------------------------

    def _notice(self, surname: str, forenames: str, dob: date | None, *, planted: bool) -> Notice:
        rng = self.rng
        roll = rng.random() * (0.92 if planted else 1.0)  # the College lists are about people who left
        if roll < 0.72:
            issuer, record_type = rng.choice(self.other_forces), weighted(rng, FORCE_TYPES)
        elif roll < 0.92:
            issuer, record_type = "PND", weighted(rng, PND_TYPES)
        elif roll < 0.96:
            issuer, record_type = "COLLEGE_BARRED_LIST", T.BARRED_LIST
        else:
            issuer, record_type = "COLLEGE_ADVISORY_LIST", T.ADVISORY_LIST
        self._serial += 1
        day = self.today - timedelta(days=rng.randint(0, 3 * 365))
        notice = Notice(f"{_prefix(issuer)}-{day.year}-{self._serial:06d}", issuer, day, record_type,
                        surname, forenames, dob, summary=rng.choice(SUMMARIES[record_type]))
        if record_type in (T.CRIME, T.CUSTODY) or (issuer == "PND" and rng.random() < 0.5):
            check = rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
            notice.pnc_id = f"{rng.randint(0, 99):02d}/{rng.randint(1, 999_999):06d}{check}"
        if rng.random() < 0.3:
            notice.handling = rng.choice(HANDLING)
        return notice

    def _stranger(self, members: list[Member]) -> Notice:
        rng = self.rng
        sex = Sex.M if rng.random() < 0.7 else Sex.F
        ethnicity = Ethnicity.ASIAN if rng.random() < 0.07 else Ethnicity.WHITE
        # Some share a surname with a member of the workforce, as real notices do.
        surname = rng.choice(members).surname if members and rng.random() < 0.1 else self.names.surname(rng, ethnicity)
        dob = None if rng.random() < 0.08 else self.today - timedelta(days=rng.randint(20 * 365, 65 * 365))
        notice = self._notice(surname, self.names.forenames(rng, sex, ethnicity), dob, planted=False)
        if notice.issuing_force not in ("PND",) and rng.random() < 0.25:
            notice.employing_force = rng.choice(self.other_forces)
        return notice

    def _planted(self, m: Member) -> Notice:
        rng = self.rng
        notice = self._notice(m.surname, m.forenames, m.date_of_birth, planted=True)
        notice.about = m.staff_number
        roll = rng.random()
        if roll < 0.1:  # identifiers given: an exact match
            notice.staff_number = m.staff_number
            notice.warrant_number = m.warrant_number
        else:
            corruptions = rng.sample(CORRUPTIONS, 2 if roll > 0.8 else 1)
            for corrupt in corruptions:
                corrupt(rng, notice, m)
        if rng.random() < 0.5:
            notice.employing_force = self.home
        return notice


def _prefix(issuer: str) -> str:
    if issuer == "PND":
        return "PND"
    if issuer.startswith("COLLEGE_"):
        return "CBL" if "BARRED" in issuer else "CAL"
    return "".join(word[0] for word in issuer.split("-")).upper()


# ---- corruptions: how another force gets a name or a date wrong ---------------------------------

def _surname_typo(rng: random.Random, n: Notice, m: Member) -> None:
    s = n.surname
    if len(s) < 4:
        return
    i = rng.randrange(1, len(s) - 1)
    kind = rng.randrange(4)
    if kind == 0 and s[i] != s[i + 1]:
        typo = s[:i] + s[i + 1] + s[i] + s[i + 2:]  # transposed letters
    elif kind == 1:
        typo = s[:i] + s[i + 1:]  # a letter dropped
    elif kind == 2:
        typo = s[:i] + s[i] + s[i:]  # a letter doubled
    else:
        typo = s[:i] + rng.choice("aeiouy".replace(s[i].lower(), "")) + s[i + 1:]  # a vowel slip
    n.surname = typo


def _dob_swap(rng: random.Random, n: Notice, m: Member) -> None:
    dob = n.date_of_birth
    if dob is None:
        return
    if dob.day <= 12 and dob.day != dob.month:
        n.date_of_birth = dob.replace(day=dob.month, month=dob.day)
    else:
        _dob_digit(rng, n, m)


def _dob_digit(rng: random.Random, n: Notice, m: Member) -> None:
    dob = n.date_of_birth
    if dob is None:
        return
    for _ in range(10):
        which = rng.choice(("day", "year"))
        try:
            if which == "day":
                slipped = dob.replace(day=(dob.day // 10) * 10
                                      + rng.choice([d for d in range(10) if d != dob.day % 10]))
            else:
                slipped = dob.replace(year=(dob.year // 10) * 10
                                      + rng.choice([d for d in range(10) if d != dob.year % 10]))
        except ValueError:
            continue
        if slipped != dob and slipped.year < n.notice_date.year - 16:
            n.date_of_birth = slipped
            return


def _maiden_name(rng: random.Random, n: Notice, m: Member) -> None:
    if not m.previous_names:
        _nickname(rng, n, m)
        return
    *forenames, surname = m.previous_names[0].split(" ")
    n.surname = surname
    n.forenames = " ".join(forenames) or n.forenames


def _nickname(rng: random.Random, n: Notice, m: Member) -> None:
    first, *rest = n.forenames.split(" ")
    if first in NICKNAMES:
        n.forenames = rng.choice(NICKNAMES[first])
    elif rest:
        n.forenames = " ".join([*rest, first])  # forenames transposed
    else:
        _surname_typo(rng, n, m)


def _no_dob(rng: random.Random, n: Notice, m: Member) -> None:
    n.date_of_birth = None


CORRUPTIONS = (_surname_typo, _dob_swap, _dob_digit, _maiden_name, _nickname, _no_dob)
