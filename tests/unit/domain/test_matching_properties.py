"""Properties of notice matching that must hold for any names and dates, and of its name handling."""

from __future__ import annotations

from datetime import date, timedelta
from math import inf

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.domain.enums import MatchDecision
from app.domain.matching import (
    MatchIndex,
    NoticeEntry,
    NoticeIndex,
    RegisterEntry,
    Thresholds,
    frequencies,
    match_person,
)
from app.domain.matching.blocking import KeyIndex, KeyLookup, NoticeKeys, register_keys
from app.domain.matching.dates import DobKey, compare
from app.domain.matching.evidence import compare_names, name_weights
from app.domain.matching.levels import Dob, Forename, Middle, Surname
from app.domain.matching.names import full_names_of, normalise, shared_full_name
from app.domain.matching.nicknames import SHORT_FORMS
from app.domain.matching.profiles import notice_profile, register_profile

HOME = "NYP"
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=12).map(str.capitalize)
dobs = st.dates(min_value=date(1950, 1, 1), max_value=date(2006, 12, 31))
OTHERS = [
    RegisterEntry(90, "900", "Zzyzx", "Quentin", date(1966, 6, 6)),
    RegisterEntry(91, "901", "Yarrow", "Ottoline", date(1977, 7, 7)),
]


def slips(value: date) -> list[date]:
    """Valid dates one digit away from ``value`` (in YYYYMMDD), or with day and month swapped."""
    text = value.strftime("%Y%m%d")
    found = []
    for at in range(2, 8):
        for digit in "0123456789":
            other = text[:at] + digit + text[at + 1 :]
            try:
                candidate = date(int(other[:4]), int(other[4:6]), int(other[6:]))
            except ValueError:
                continue
            if candidate != value:
                found.append(candidate)
    if value.day <= 12 and value.day != value.month:
        found.append(value.replace(month=value.day, day=value.month))
    return found


@settings(max_examples=60, deadline=None)
@given(surname=names, forename=names, dob=dobs)
def test_a_notice_recorded_exactly_is_proposed_as_a_match(surname: str, forename: str, dob: date) -> None:
    person = RegisterEntry(1, "001", surname, forename, dob)
    found = MatchIndex([person, *OTHERS], HOME).match(NoticeEntry(1, "N1", "KEN", surname, forename, dob))
    assert [(c.person_id, c.decision) for c in found] == [(1, MatchDecision.MATCH)]


@settings(max_examples=40, deadline=None)
@given(surname=names, forename=names, dob=dobs)
def test_a_new_person_finds_the_notice_recorded_about_them(surname: str, forename: str, dob: date) -> None:
    held = [NoticeEntry(5, "N5", "KEN", surname, forename, dob), NoticeEntry(6, "N6", "KEN", "Zzyzx", "Quentin", None)]
    found = match_person(RegisterEntry(1, "001", surname, forename, dob), NoticeIndex(held, HOME))
    assert [(c.notice_key, c.decision) for c in found] == [(5, MatchDecision.MATCH)]


@settings(max_examples=60, deadline=None)
@given(surname=names, forename=names, dob=dobs, data=st.data())
def test_a_dob_slip_or_swap_still_lists_the_person(surname: str, forename: str, dob: date, data: st.DataObject) -> None:
    wrong = data.draw(st.sampled_from(slips(dob)))
    person = RegisterEntry(1, "001", surname, forename, dob)
    found = MatchIndex([person, *OTHERS], HOME).match(NoticeEntry(1, "N1", "KEN", surname, forename, wrong))
    assert [c.person_id for c in found] == [1]


@settings(max_examples=40, deadline=None)
@given(
    notice_dob=st.one_of(st.none(), dobs),
    offset=st.integers(min_value=-800, max_value=800),
    pick=st.sampled_from(["Smith", "Smyth", "Smithe", "Jones", "Doe-Smith"]),
    first=st.sampled_from(["William", "Bill", "Will", "W", "Wilma", "Jane"]),
    review=st.floats(min_value=0.05, max_value=0.95),
    width=st.floats(min_value=0.001, max_value=0.5),
)
def test_decisions_always_follow_the_scores_and_thresholds(
    notice_dob: date | None, offset: int, pick: str, first: str, review: float, width: float
) -> None:
    thresholds = Thresholds(match=min(1.0, review + width), review=review)
    base = notice_dob or date(1985, 3, 12)
    register = [
        RegisterEntry(1, "1", "Smith", "William", base),
        RegisterEntry(2, "2", "Smith", "Wilma", base + timedelta(days=offset)),
        RegisterEntry(3, "3", "Doe-Smith", "Jane", base, None, ("Jane Smith",)),
    ]
    for c in MatchIndex(register, HOME, thresholds).match(NoticeEntry(7, "N7", "KEN", pick, first, notice_dob)):
        assert 0.0 <= c.score <= 1.0 and c.notice_key == 7
        if c.decision is MatchDecision.MATCH:
            assert c.score >= thresholds.match
        else:  # a review at a match's score only with the reason a person must look first
            held = any(r.startswith("not proposed as a match without a person looking") for r in c.reasons)
            assert thresholds.review <= c.score and (c.score < thresholds.match or held)


@given(st.text(max_size=30))
def test_normalising_a_name_twice_changes_nothing(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once and once == once.strip()


def test_nickname_table_is_consistent() -> None:
    for full, shorts in SHORT_FORMS.items():
        assert full.isalpha() and full.isupper()
        for short in shorts:
            assert short.isalpha() and short.isupper() and full in full_names_of(short)
    assert shared_full_name("BILL", "WILL") == "WILLIAM"
    assert shared_full_name("PEGGY", "MAGGIE") == "MARGARET"
    assert shared_full_name("CHRISTOPHER", "CHRISTINE") is None
    # other communities' spellings and everyday forms of one name
    assert shared_full_name("MO", "MOHAMMED") == shared_full_name("MOHAMED", "MUHAMMAD") == "MUHAMMAD"
    assert shared_full_name("PETER", "PIOTR") == "PIOTR" and shared_full_name("SEUN", "OLUWASEUN") == "OLUWASEUN"
    assert shared_full_name("KASIA", "KATARZYNA") == "KATARZYNA" and shared_full_name("UMAR", "OMAR") == "OMAR"
    assert len({s for shorts in SHORT_FORMS.values() for s in shorts}) >= 150


# ---- the engine's cheap test is exact ---------------------------------------------------------------

FIRSTS = ["William", "Bill", "Will", "Liam", "W", "Jane", "Janet", "Jayne", "J", "Mary", "Smith", "Robert", "Bob"]
MIDDLES = ["", "John", "Mary", "Jane", "J", "Louise"]
SURNAMES = ["Smith", "Smyth", "Jones", "Doe-Smith", "Doe", "William", "Quarrington", "Quarington", "O'Brien"]
DATES = [date(1980, 3, 12), date(1980, 12, 3), date(1981, 3, 12), date(1980, 3, 21), date(1980, 4, 12),
         date(1990, 3, 12)]
people = st.tuples(st.sampled_from(SURNAMES), st.sampled_from(FIRSTS), st.sampled_from(MIDDLES),
                   st.sampled_from([*DATES, None]), st.sampled_from([None, "Jones", "Doe"]))


class _Unfiltered(MatchIndex):
    """The same index with the cheap test taken away: every person sharing a key with the notice
    whose date of birth is not wholly different is compared in full."""

    def _blocked(self, notice: NoticeEntry, notice_dob: DobKey | None) -> dict[int, Dob]:
        surname, given = self._keys.surname(notice.surname), self._keys.forenames(notice.forenames)
        kept = {}
        for position in self._index.positions(self._keys.query(surname, given, notice.date_of_birth)):
            level = compare(notice_dob, self._facts[position].dob)
            if level is not Dob.DIFFERENT:
                kept[position] = level
        return kept


@settings(max_examples=80, deadline=None)
@example(register=[("Smith", "William", "John", DATES[0], None), ("Smith", "Jane", "", DATES[0], None)],
         notices=[("William", "Smith", "John", DATES[0], None)], review=0.15)  # names the wrong way round
@example(register=[("Smith", "Robert", "John", DATES[0], None), ("Jones", "Mary", "Louise", DATES[1], None)],
         notices=[("Smith", "William", "J", DATES[0], None), ("Smyth", "Jane", "Louise", DATES[1], None),
                  ("Doe", "Liam", "John", DATES[0], None)], review=0.02)  # middle names: initial, agreeing
@given(register=st.lists(people, min_size=1, max_size=12),
       notices=st.lists(people, min_size=1, max_size=12),
       review=st.sampled_from([0.15, 0.02]))
def test_the_cheap_test_never_drops_a_pair_a_full_comparison_would_list(
    register: list[tuple[str, str, str, date | None, str | None]],
    notices: list[tuple[str, str, str, date | None, str | None]],
    review: float,
) -> None:
    """Bounds on what the names could add let the engine skip most full comparisons; they must
    never change what is listed (namesakes, nicknames, initials, middle names, transposed names,
    previous surnames)."""
    entries = [RegisterEntry(i, f"{100 + i}", sur, f"{first} {middle}".strip(), dob,
                             previous_names=(f"{first} {prev}",) if prev else ())
               for i, (sur, first, middle, dob, prev) in enumerate(register, start=1)]
    found = [NoticeEntry(i, f"N-{i}", "KEN", sur, f"{first} {middle}".strip(), dob)
             for i, (sur, first, middle, dob, _) in enumerate(notices, start=1)]
    thresholds = Thresholds(match=0.9, review=review)
    index = MatchIndex(entries, HOME, thresholds)
    full = _Unfiltered(entries, HOME, thresholds, model=index.model)
    for notice in found:
        assert index.match(notice) == full.match(notice), notice


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 6)), max_size=60), st.sets(st.integers(0, 40)))
def test_notices_of_one_person_are_counted_once(notices: list[tuple[int, int]], asked: set[int]) -> None:
    """The sorted-integer count of the notices' people (numpy) gives what counting distinct (name,
    date of birth) pairs gives: for each name its notices less its people, and the people bearing
    each name asked about (names no notice bears are left out)."""
    names, days = [name for name, _ in notices], [day for _, day in notices]
    people = {name: len({day for n, day in notices if n == name}) for name in set(names)}
    counted = frequencies._People(np.array(names, np.int64), np.array(days, np.int64), 7)
    assert counted.repeats() == sorted((name, names.count(name) - n) for name, n in people.items()
                                       if names.count(name) > n)
    assert sorted(counted.people_bearing(asked)) == sorted((name, people[name]) for name in asked if name in people)


# ---- the data wash's look-ups find every position the plain keys do ----------------------------------

LOOKUP_SURNAMES = ["Smith", "Smyth", "Doe-Smith", "Doe Smith", "O'Brien", "Obrien", "Ng", "X", "-", "", "Łukasz",
                   "William", "Quarrington-Jones"]
LOOKUP_FORENAMES = ["William", "Bill", "W", "Will John", "- John", "", "Jane Mary", "J M", "Smith", "Ng", "Zoë"]
LOOKUP_DATES = [date(1980, 3, 12), date(1980, 12, 3), date(1980, 1, 1), date(1981, 1, 3), date(1979, 12, 30),
                date(1980, 3, 21), date(1980, 7, 7), date(1971, 2, 18), date(1970, 12, 18)]
lookup_people = st.tuples(st.sampled_from(LOOKUP_SURNAMES), st.sampled_from(LOOKUP_FORENAMES),
                          st.one_of(st.none(), st.sampled_from(LOOKUP_DATES), dobs),
                          st.sampled_from(["", "Jane Doe", "Ng"]))


@settings(max_examples=150, deadline=None)
@given(register=st.lists(lookup_people, min_size=1, max_size=15),
       notices=st.lists(st.tuples(st.sampled_from(LOOKUP_SURNAMES), st.sampled_from(LOOKUP_FORENAMES),
                                  st.one_of(st.none(), st.sampled_from(LOOKUP_DATES), dobs)), min_size=1, max_size=15))
def test_the_washs_look_ups_find_the_same_positions_as_the_plain_keys(
    register: list[tuple[str, str, date | None, str]], notices: list[tuple[str, str, date | None]]
) -> None:
    """KeyLookup caches which groups a surname and a forename lead to; it must find exactly the
    positions the notice's keys are filed under (undated and placeholder dates, swapped and
    transposed dates, near the turn of the year, hyphenated and one-letter names, nicknames,
    initials, names the wrong way round, previous names, a register with and without undated people)."""
    entries = [RegisterEntry(i, str(i), sur, fore, dob, previous_names=(previous,) if previous else ())
               for i, (sur, fore, dob, previous) in enumerate(register)]
    profiles = [register_profile(entry) for entry in entries]
    index = KeyIndex()
    for position, profile in enumerate(profiles):
        index.add(position, register_keys(profile))
    for undated in (True, False):
        keys = NoticeKeys(undated_register=undated)
        lookup = KeyLookup(index, keys)
        for _ in range(2):  # the second time from the caches
            for surname, forenames, dob in notices:
                names, given = keys.surname(surname), keys.forenames(forenames)
                query = keys.query(names, given, dob)
                found = lookup.positions(surname, names, given, dob)
                assert sorted(found) == sorted(index.positions(query)), (surname, forenames, dob)
                assert set(found) == index.find(query.keys())


FILLER = [RegisterEntry(i, str(i), f"Zed{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}", "Anne",
                        date(1950, 1, 1) + timedelta(days=91 * i)) for i in range(10, 110)]


@settings(max_examples=80, deadline=None)
@example(person=("Robert", "Louise"), notice=("Quentin", "Louise"), dob=DATES[3], review=0.5)
@given(person=st.tuples(st.sampled_from(FIRSTS), st.sampled_from(MIDDLES)),
       notice=st.tuples(st.sampled_from(["Quentin", "Q", *FIRSTS]), st.sampled_from([*MIDDLES, "Lou", "Johnny"])),
       dob=st.sampled_from(DATES), review=st.sampled_from([0.3, 0.5, 0.7, 0.9]))
def test_the_cheap_test_keeps_a_pair_its_middle_names_could_lift_to_review(
    person: tuple[str, str], notice: tuple[str, str], dob: date, review: float
) -> None:
    """The cheap test weighs two middle names exactly when the first forenames differ wholly (a
    pair with different middle names is dropped early): it must never drop a pair that an agreeing,
    initial or slipped middle name lifts to review. A hundred other people keep the prior low, and
    a notice naming the home force as employer keeps the bound tight, so that the middle names decide."""
    register = [RegisterEntry(1, "1", "Smith", f"{person[0]} {person[1]}".strip(), DATES[0]), *FILLER]
    thresholds = Thresholds(match=0.999, review=review)
    index = MatchIndex(register, HOME, thresholds)
    full = _Unfiltered(register, HOME, thresholds, model=index.model)
    found = NoticeEntry(1, "N-1", "KEN", "Smith", f"{notice[0]} {notice[1]}".strip(), dob, employing_force=HOME)
    assert index.match(found) == full.match(found)


@settings(max_examples=60, deadline=None)
@given(ours=st.sampled_from(["Louise", "L", "Lou", "Lucy", "Mary", "M", "Jon", "John", "Johnny", "Bill", "William"]),
       theirs=st.sampled_from(["Louise", "L", "Lucy", "Mary", "John", "Jonathan", "Will", "Wilhelmina"]))
def test_the_cheap_tests_middle_names_weigh_what_the_full_comparison_gives(ours: str, theirs: str) -> None:
    """What the cheap test lets two middle names add when the first forenames differ wholly is the
    full comparison's middle-name weight (beyond not compared), or unbounded when they agree (then
    the person's middle_cap bounds it)."""
    index = MatchIndex([RegisterEntry(1, "1", "Smith", f"Robert {theirs}", DATES[0]), *FILLER], HOME)
    notice = notice_profile(NoticeEntry(1, "N-1", "KEN", "Smith", f"Quentin {ours}", DATES[0]), HOME)
    person = register_profile(RegisterEntry(1, "1", "Smith", f"Robert {theirs}", DATES[0]))
    names = compare_names(notice, person)
    assert names.forename is Forename.DIFFERENT
    gain = index._middle(notice.forenames[1], person.forenames[1])
    if names.middle is Middle.AGREE:
        assert gain == inf
    else:
        expected = name_weights(names, index.model)[2] - index.model.weight("middle", Middle.NOT_COMPARED)
        assert gain == expected


SURNAME_SLIPS = ["Smith", "Smyth", "Smithe", "Smiht", "Smithson", "Doe-Smith", "Smith Doe", "Doe", "Schmidt", "Jones"]


@settings(max_examples=60, deadline=None)
@given(ours=st.sampled_from(SURNAME_SLIPS), theirs=st.sampled_from(SURNAME_SLIPS),
       previous=st.sampled_from([None, *SURNAME_SLIPS]), first=st.sampled_from(["Robert", "Quentin"]))
def test_the_cheap_tests_surname_weighs_at_least_what_the_full_comparison_gives(
    ours: str, theirs: str, previous: str | None, first: str
) -> None:
    """What the cheap test lets a notice's surname add is the full comparison's surname weight (an
    agreement or a near miss, straight), or more: never less, else a pair could be dropped."""
    entry = RegisterEntry(1, "1", theirs, "Robert Louise", DATES[0],
                          previous_names=(f"Robert {previous}",) if previous else ())
    index = MatchIndex([entry, *FILLER], HOME)
    notice = notice_profile(NoticeEntry(1, "N-1", "KEN", ours, f"{first} Louise", DATES[0]), HOME)
    gain = index._surname_gain(notice.surnames[0], 0)
    names = compare_names(notice, register_profile(entry))
    if gain is None:
        assert names.surname in (Surname.DIFFERENT, Surname.TRANSPOSED)
    else:
        assert names.surname is not Surname.DIFFERENT
        assert gain >= name_weights(names, index.model)[0]
        if first == "Robert":  # the forenames agree: the weight itself
            assert gain == name_weights(names, index.model)[0]


@settings(max_examples=80, deadline=None)
@given(theirs=st.sampled_from(SURNAME_SLIPS), ours=st.sampled_from(SURNAME_SLIPS),
       first=st.sampled_from(["Robert", "Bob", "Quentin", "R"]), dob=st.sampled_from(DATES),
       review=st.sampled_from([0.1, 0.3, 0.5, 0.7, 0.9]))
def test_the_cheap_test_keeps_a_pair_its_surnames_could_lift_to_review(
    theirs: str, ours: str, first: str, dob: date, review: float
) -> None:
    """As for middle names: a near-miss or common surname is weighed as such by the cheap test, and
    a pair it lifts to review must still be listed (a low prior and a tight bound make it decide)."""
    register = [RegisterEntry(1, "1", theirs, "Robert Louise", DATES[0]), *FILLER]
    thresholds = Thresholds(match=0.999, review=review)
    index = MatchIndex(register, HOME, thresholds)
    full = _Unfiltered(register, HOME, thresholds, model=index.model)
    found = NoticeEntry(1, "N-1", "KEN", ours, f"{first} Louise", dob, employing_force=HOME)
    assert index.match(found) == full.match(found)
