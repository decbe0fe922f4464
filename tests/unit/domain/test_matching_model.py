"""The matching model: scores that mean what they say (issue 14). Namesakes whose years of birth
differ by one digit are not matched automatically when the name is common, twins are not taken for
the same person, notices with no date of birth or only a year go to review only for rare names (the
others are counted), and the parameters are estimated from the data being matched."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from app.domain.enums import MatchDecision
from app.domain.matching import MatchIndex, NoticeEntry, RegisterEntry
from app.domain.matching.estimation import MOST_DIFFERENT, estimate
from app.domain.matching.frequencies import NameFrequencies
from app.domain.matching.levels import Dob, Surname
from app.domain.matching.parameters import starting_model
from app.domain.matching.profiles import frequencies_of, register_profile

HOME = "NYP"
MATCH, REVIEW = MatchDecision.MATCH, MatchDecision.REVIEW


def national_names(people: int = 200_000) -> NameFrequencies:
    """Name counts as in a national extract: Smith 1 in 100, David 1 in 31, James 1 in 40; the rest rare
    (and the names independent: David Smith 1 in 3,100)."""
    names = NameFrequencies()
    for i in range(people):
        surname = "SMITH" if i % 100 == 0 else f"RARE{i % 40_000}"
        forename = "DAVID" if i % 31 == 0 else ("JAMES" if i % 40 == 1 else f"GIVEN{i % 5_000}")
        names.add((surname,), forename, register=i < 50_000)
    return names


@pytest.fixture(scope="module")
def national() -> MatchIndex:
    register = [
        RegisterEntry(1, "1001", "Smith", "David James", date(1980, 5, 12)),
        RegisterEntry(2, "1002", "Quarrington", "Xanthe Louise", date(1979, 11, 30)),
        RegisterEntry(3, "1003", "Featherstonehaugh", "Percival", date(1966, 4, 4)),
    ]
    return MatchIndex(register, HOME, model=starting_model(national_names(), 50_000))


def notice(surname: str, forenames: str, dob: date | None, key: int = 1, year_only: bool = False) -> NoticeEntry:
    return NoticeEntry(key, f"PND-{key}", "PND", surname, forenames, dob, dob_year_only=year_only)


class TestCommonNamesAndDateSlips:
    def test_a_namesake_with_a_common_name_and_a_year_one_digit_out_is_not_matched_automatically(
            self, national: MatchIndex) -> None:
        found = national.match(notice("Smith", "David James", date(1981, 5, 12)))
        assert all(c.decision is not MATCH for c in found)

    def test_a_common_name_with_the_same_date_of_birth_is_matched(self, national: MatchIndex) -> None:
        (c,) = national.match(notice("Smith", "David James", date(1980, 5, 12)))
        assert c.decision is MATCH and "surname the same (Smith, common: 1 in 100)" in " ".join(c.reasons)

    def test_a_rare_name_with_a_year_one_digit_out_is_still_found(self, national: MatchIndex) -> None:
        (c,) = national.match(notice("Quarrington", "Xanthe Louise", date(1978, 11, 30)))
        assert c.decision in (MATCH, REVIEW)
        assert "date of birth: only the year differs, by one year or in its last digit" in " ".join(c.reasons)

    def test_a_year_decades_out_goes_to_review_at_most(self, national: MatchIndex) -> None:
        (c,) = national.match(notice("Quarrington", "Xanthe Louise", date(1949, 11, 30)))
        assert c.decision is REVIEW and "decades apart" in " ".join(c.reasons)

    def test_a_twin_sharing_surname_and_date_of_birth_is_not_taken_for_the_person(self, national: MatchIndex) -> None:
        assert all(
            c.decision is not MATCH for c in national.match(notice("Quarrington", "Yolanda", date(1979, 11, 30)))
        )


class TestUndatedNotices:
    def test_a_rare_name_without_date_of_birth_goes_to_review_with_its_rarity(self, national: MatchIndex) -> None:
        (c,) = national.match(notice("Quarrington", "Xanthe Louise", None))
        assert c.decision is REVIEW
        text = " ".join(c.reasons)
        assert "rare: 1 in" in text and "no date of birth on one side: not compared" in text

    def test_a_rare_name_with_only_the_year_goes_to_review(self, national: MatchIndex) -> None:
        (c,) = national.match(notice("Featherstonehaugh", "Percival", date(1966, 1, 1), year_only=True))
        assert c.decision is REVIEW and "only the year of birth is known, and it agrees" in " ".join(c.reasons)

    def test_a_common_name_without_date_of_birth_is_not_reviewed_but_counted(self, national: MatchIndex) -> None:
        undated = notice("Smith", "David", None)
        assert national.match(undated) == []
        assert national.namesakes(undated) == 1

    def test_a_stranger_without_date_of_birth_is_not_counted(self, national: MatchIndex) -> None:
        assert national.namesakes(notice("Ozturk", "Deniz", None)) == 0


class TestReasonsInPlainWords:
    def test_no_similarity_figures_or_placeholders_are_shown(self, national: MatchIndex) -> None:
        found = [c for n in (notice("Smyth", "Dave", date(1980, 12, 5)), notice("Quarington", "X", None),
                             notice("Featherstonehaugh", "Percy", date(1966, 4, 14))) for c in national.match(n)]
        assert found
        for reason in (r for c in found for r in c.reasons):
            assert "Jaro" not in reason and "illustrative" not in reason and "weight" not in reason
            assert reason.endswith(("evidence for)", "evidence against)")) or "register fit" in reason


# ---- estimation --------------------------------------------------------------------------------

_LETTERS = random.Random(0)
SURNAMES = sorted({"".join(_LETTERS.choices("bcdfghklmnprstvw", k=3)).title() + "ington" for _ in range(3000)})
FORENAMES = sorted(
    {"".join(_LETTERS.choices("aeiou", k=1) + _LETTERS.choices("bdlmnrst", k=4)).title() for _ in range(400)}
)


def _person(rng: random.Random, pid: int) -> RegisterEntry:
    dob = date(1960, 1, 1) + timedelta(days=rng.randrange(40 * 365))
    return RegisterEntry(pid, str(10_000 + pid), rng.choice(SURNAMES), rng.choice(FORENAMES), dob)


def _synthetic(
    seed: int, people: int, notices: int, share: float
) -> tuple[list[RegisterEntry], list[NoticeEntry], int]:
    rng = random.Random(seed)
    register = [_person(rng, pid) for pid in range(1, people + 1)]
    out, true = [], 0
    for key in range(1, notices + 1):
        if rng.random() < share:
            p, true = rng.choice(register), true + 1
            surname = p.surname if rng.random() > 0.05 else p.surname[:-1] + "x"
            dob = (
                p.date_of_birth if rng.random() > 0.1 else p.date_of_birth.replace(day=min(28, p.date_of_birth.day + 1))
            )
            out.append(NoticeEntry(key, f"N{key}", "PND", surname, p.forenames, dob))
        else:
            s = _person(rng, 0)
            out.append(NoticeEntry(key, f"N{key}", "PND", s.surname, s.forenames, s.date_of_birth))
    return register, out, true


@pytest.mark.slow
def test_em_estimates_the_share_of_matches_and_m_from_unlabelled_data() -> None:
    register, notices, true = _synthetic(5, 2000, 20_000, 0.05)
    profiles = [register_profile(r) for r in register]
    names = frequencies_of(profiles)
    for n in notices:
        names.add_notice(n.surname, n.forenames)
    model = estimate(profiles, notices, HOME, names)
    assert model.source.startswith("estimated from 2,000 people and 20,000 notices")
    truth = true / (len(register) * len(notices))
    assert truth / 2 < model.prior < truth * 2
    assert 0.8 < model.m["dob"][Dob.EXACT] < 0.97  # 90 % of the true notices were recorded with the right date
    assert model.m["surname"][0] > 0.85 and model.m["surname"][-1] <= MOST_DIFFERENT["surname"]
    # a day/month swap is about as rare between strangers as the same date (counted from the two
    # tables of dates, not from random pairs that may show none): it never outweighs the same date
    u = model.u["dob"]
    assert u[Dob.EXACT] / 5 < u[Dob.SWAPPED] < u[Dob.EXACT]
    assert model.weight("dob", Dob.SWAPPED) < model.weight("dob", Dob.EXACT)


def test_a_full_name_commoner_than_its_two_names_apart_counts_for_less() -> None:
    """Names run in families and communities: when the extract shows a full name far more often
    than its surname's and forename's frequencies multiplied, agreeing on both counts for less, and
    the reviewer is told why."""
    def names(together: bool) -> NameFrequencies:
        counted = NameFrequencies()
        for i in range(200_000):  # Khan 1 in 100 and Mohammed 1 in 100 either way
            surname = "KHAN" if i % 100 == 0 else f"RARE{i % 40_000}"
            first = ("MOHAMMED" if i % 100 == 0 else f"GIVEN{i % 5_000}") if together else (
                "MOHAMMED" if i % 100 == 1 else f"GIVEN{i % 5_000}")
            counted.add((surname,), first, register=i < 50_000)
        return counted
    person = [RegisterEntry(1, "1001", "Khan", "Mohammed", date(1980, 5, 12))]
    pair = notice("Khan", "Mohammed", date(1980, 5, 12))
    (alike,) = MatchIndex(person, HOME, model=starting_model(names(True), 50_000)).match(pair)
    (apart,) = MatchIndex(person, HOME, model=starting_model(names(False), 50_000)).match(pair)
    assert alike.score < apart.score
    assert "Mohammed Khan together commoner than the two names apart" in " ".join(alike.reasons)
    assert "together commoner" not in " ".join(apart.reasons)
    # stored and shown joined by "; ": the forename's reason stays one reason, with its strength
    (forename,) = [r for r in "; ".join(alike.reasons).split("; ") if r.startswith("forename the same")]
    assert "together commoner" in forename and forename.endswith(("evidence for)", "evidence against)"))


def test_a_person_with_many_notices_does_not_make_their_own_full_name_look_common() -> None:
    """A full name is commoner than its two names apart when many PEOPLE bear it, not when one
    person has many notices: a member with thirty notices under a rare full name is matched on
    it at full strength, and the reviewer is not told the name is common; thirty different people
    bearing it (thirty dates of birth) still make it so."""
    register, notices, _ = _synthetic(11, 500, 4000, 0.05)
    member = RegisterEntry(9999, "19999", "Quarrington", "Xanthe", date(1979, 11, 30))

    def listed(born: list[date]) -> list[NoticeEntry]:
        return notices + [NoticeEntry(10_000 + i, f"Q{i}", "PND", "Quarrington", "Xanthe", day)
                          for i, day in enumerate(born)]
    one_person = listed([date(1979, 11, 30)] * 30)
    index = MatchIndex([*register, member], HOME, notices=one_person)
    assert index.model.source != "starting values"
    (c,) = index.match(one_person[-1])
    assert c.decision is MATCH
    assert "together commoner" not in " ".join(c.reasons)
    many = listed([date(1950, 1, 1) + timedelta(days=400 * i) for i in range(30)])
    (c,) = [c for c in MatchIndex([*register, member], HOME, notices=many).match(
        NoticeEntry(1, "N1", "PND", "Quarrington", "Xanthe", date(1979, 11, 30))) if c.person_id == 9999]
    assert "Xanthe Quarrington together commoner than the two names apart" in " ".join(c.reasons)


def test_a_person_with_many_notices_does_not_make_their_own_surname_look_common() -> None:
    """A surname's weight is how many PEOPLE bear it, not how many notices: a member with thirty
    notices under a rare surname is matched on it at full strength (the reviewer is told it is
    rare, and a pair whose day of birth differs scores as high as it should), while thirty
    different people bearing it (thirty dates of birth) still make it common."""
    register, notices, _ = _synthetic(11, 500, 4000, 0.05)
    member = RegisterEntry(9999, "19999", "Coleanfield", "Xanthe", date(1979, 11, 30))

    def surname_reason(born: list[date], notice: NoticeEntry) -> tuple[str, float]:
        listed = notices + [NoticeEntry(10_000 + i, f"Q{i}", "PND", "Coleanfield", "Xanthe", day)
                            for i, day in enumerate(born)]
        index = MatchIndex([*register, member], HOME, notices=listed)
        assert f"{len(listed):,} notices" in index.model.source  # notices read, not people
        (c,) = [c for c in index.match(notice) if c.person_id == 9999]
        return next(r for r in c.reasons if r.startswith("surname")), c.score

    day_differs = NoticeEntry(1, "N1", "PND", "Coleanfield", "Xanthe", date(1979, 11, 3))
    reason, score = surname_reason([date(1979, 11, 30)] * 30, day_differs)
    assert "common" not in reason and "strong evidence for" in reason
    assert score >= 0.995
    reason, score = surname_reason([date(1950, 1, 1) + timedelta(days=400 * i) for i in range(30)], day_differs)
    assert "Coleanfield, common" in reason


def test_a_part_of_a_double_barrelled_surname_or_a_previous_surname_counts_for_the_few_who_have_one() -> None:
    """Only a member with a double-barrelled surname can be named by a part of it, and only one with
    a previous surname by that: how often a true pair shows such a level is weighed among the
    register people who can show it, not among all (where it is fifty or ten times rarer). A notice
    naming Sullivan for Coleanfield-Sullivan, or her maiden name, with her forename and date of
    birth, is the same person far more often than not."""
    register, notices, _ = _synthetic(11, 500, 4000, 0.05)
    parted = RegisterEntry(9998, "19998", "Coleanfield-Sullivan", "Katherine", date(1980, 3, 11))
    renamed = RegisterEntry(9999, "19999", "Rogers", "Claire", date(1977, 9, 13), previous_names=("Claire Midgate",))
    index = MatchIndex([*register, parted, renamed], HOME, notices=notices)
    assert index.model.m_adjusted("surname", Surname.PART) > 10 * index.model.m["surname"][Surname.PART]

    for notice, person in ((NoticeEntry(1, "N1", "PND", "SULLIVAN", "KATHERINE", date(1980, 3, 11)), 9998),
                           (NoticeEntry(2, "N2", "PND", "MIDGATE", "CLAIRE", date(1977, 9, 13)), 9999)):
        (c,) = [c for c in index.match(notice) if c.person_id == person]
        assert c.score >= 0.9, c.reasons
        assert any(r.startswith(("surnames share Sullivan", "surname the same as their previous name"))
                   and r.endswith("evidence for)") and "weak" not in r for r in c.reasons), c.reasons


def test_a_name_written_from_another_script_or_in_its_everyday_form_is_one_name() -> None:
    """Muhammad Raza recorded as Mo Raza, or Mohammed Raza, and Piotr Nowak as Peter Nowak, with
    their dates of birth, are put forward as matches, the reviewer told why."""
    register, notices, _ = _synthetic(11, 500, 4000, 0.05)
    raza = RegisterEntry(9998, "19998", "Raza", "Muhammad Naveed", date(1987, 12, 28))
    nowak = RegisterEntry(9999, "19999", "Nowak", "Piotr", date(1990, 6, 2))
    index = MatchIndex([*register, raza, nowak], HOME, notices=notices)
    for notice, person, reason in (
        (NoticeEntry(1, "N1", "PND", "RAZA", "MO", date(1987, 12, 28)), 9998, "(Mo / Muhammad)"),
        (NoticeEntry(2, "N2", "PND", "Raza", "Mohammed", date(1987, 12, 28)), 9998, "(Mohammed / Muhammad)"),
        (NoticeEntry(3, "N3", "PND", "NOWAK", "PETER", date(1990, 6, 2)), 9999, "(Peter / Piotr)"),
    ):
        (c,) = [c for c in index.match(notice) if c.person_id == person]
        assert c.decision is MATCH, c.reasons
        assert any(r.startswith(f"forenames are two forms of one name {reason}") for r in c.reasons), c.reasons


def test_a_middle_name_commoner_as_a_middle_name_counts_as_such() -> None:
    """Kaur is rare as a first forename and borne as a second by most Sikh women: agreeing on it
    says little, and the reviewer is told how common it is as a middle name."""
    counted = NameFrequencies()
    for i in range(200_000):
        counted.add((f"RARE{i % 40_000}",), f"GIVEN{i % 5_000}", register=i < 50_000,
                    middle="KAUR" if i % 50 == 0 else f"OTHER{i % 3_000}")
    person = [RegisterEntry(1, "1001", "Quarrington", "Harpreet Kaur", date(1980, 5, 12))]
    (c,) = MatchIndex(person, HOME, model=starting_model(counted, 50_000)).match(
        notice("Quarrington", "Harpreet Kaur", date(1980, 5, 12)))
    assert "middle name the same (Kaur, common: 1 in 50 as a middle name) (evidence for)" in c.reasons


def test_too_little_data_keeps_the_starting_values() -> None:
    register, notices, _ = _synthetic(1, 50, 300, 0.1)
    index = MatchIndex(register, HOME, notices=notices)
    assert index.model.source == "starting values"


def test_a_pnc_id_already_confirmed_for_a_person_identifies_them_in_a_later_notice() -> None:
    person = RegisterEntry(1, "1001", "Smith", "David", date(1980, 5, 12), pnc_ids=("2001/0012345A",))
    index = MatchIndex([person], HOME, model=starting_model(national_names(20_000), 50_000))
    later = NoticeEntry(9, "PND-9", "PND", "Smyth", "Dave", None, pnc_id="2001/0012345A")
    (c,) = index.match(later)
    assert (c.score, c.decision) == (1.0, MATCH) and "PNC id the same (strong evidence for)" in c.reasons
    rare = RegisterEntry(2, "1002", "Quarrington", "Xanthe", date(1979, 11, 30), pnc_ids=("2001/0012346B",))
    index = MatchIndex([person, rare], HOME, model=starting_model(national_names(20_000), 50_000))
    other = NoticeEntry(10, "PND-10", "PND", "Quarrington", "Xanthe", date(1979, 11, 30), pnc_id="1999/0099999Z")
    (c,) = index.match(other)  # everything else agrees, but the PNC id of a confirmed notice does not
    assert c.decision is REVIEW and "PNC id differs (evidence against)" in c.reasons
