"""Matching prior notices against the workforce register (DOMAIN.md §4): exact identifiers decide,
otherwise realistic recording errors still find the person, with the reasons shown, and
look-alikes are not proposed as matches."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.enums import MatchDecision
from app.domain.matching import (
    Candidate,
    MatchIndex,
    NoticeEntry,
    NoticeIndex,
    RegisterEntry,
    Thresholds,
    data_wash,
    engine,
    match_person,
)

HOME = "NYP"
MATCH, REVIEW = MatchDecision.MATCH, MatchDecision.REVIEW

REGISTER = [
    RegisterEntry(1, "100234", "Smith", "William John", date(1985, 3, 12), "W555", ("William Jones",)),
    RegisterEntry(2, "100235", "Doe-Smith", "Jane", date(1990, 7, 1), None, ("Jane Doe",)),
    RegisterEntry(3, "100236", "Quarrington", "Xanthe Louise", date(1979, 11, 30), "W777"),
    RegisterEntry(4, "100237", "O'Brien", "Siobhán", date(1992, 2, 20)),
    RegisterEntry(5, "100238", "Patel", "Anita", date(1988, 5, 6)),
    RegisterEntry(6, "100239", "Lewandowski", "Katherine Mary", date(1983, 9, 14)),
    RegisterEntry(7, "100240", "Hughes", "Robert", date(1970, 1, 25), "W888"),
]


def notice(surname: str, forenames: str, dob: date | None, key: int = 1, **ids: str | None) -> NoticeEntry:
    return NoticeEntry(key, f"N-{key}", "KEN", surname, forenames, dob, **ids)


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex(REGISTER, HOME)


def only(found: list[Candidate], person_id: int) -> Candidate:
    assert [c.person_id for c in found] == [person_id], found
    return found[0]


def reasons(candidate: Candidate) -> str:
    return "; ".join(candidate.reasons)


class TestExactIdentifiers:
    def test_staff_number_with_home_employer_decides_at_once(self, index: MatchIndex) -> None:
        found = index.match(notice("Smith", "William", date(1985, 3, 12), staff_number="100234", employing_force="nyp"))
        c = only(found, 1)
        assert (c.score, c.decision) == (1.0, MATCH)
        assert "staff number the same (strong evidence for)" in c.reasons
        assert "the notice names this force as employer (evidence for)" in c.reasons

    def test_staff_number_without_employer_decides_even_with_a_typo_in_the_name(self, index: MatchIndex) -> None:
        c = only(index.match(notice("Smiht", "Will", None, staff_number=" 0100 234 ")), 1)
        assert (c.score, c.decision) == (1.0, MATCH)
        assert "staff number the same" in reasons(c)

    def test_a_staff_number_with_only_a_similar_surname_goes_to_review(self, index: MatchIndex) -> None:
        # a mistyped number that is another person's: forename and date of birth wholly differ
        c = only(index.match(notice("Hughey", "Martin", date(1955, 6, 30), staff_number="100240")), 7)
        assert c.decision is REVIEW and "an identifier agrees but the names and date of birth do not" in reasons(c)

    def test_another_forces_staff_number_is_not_ours(self, index: MatchIndex) -> None:
        assert index.match(notice("Brown", "Zed", date(1960, 1, 1), staff_number="100234", employing_force="WMP")) == []

    def test_warrant_number_decides_at_once(self, index: MatchIndex) -> None:
        c = only(index.match(notice("Hughes", "Bob", date(1970, 1, 25), warrant_number="w888")), 7)
        assert (c.score, c.decision) == (1.0, MATCH) and "warrant number the same" in reasons(c)

    def test_identifier_with_wholly_different_person_goes_to_review_with_the_conflict(self, index: MatchIndex) -> None:
        c = only(index.match(notice("Brown", "Zed", date(1960, 1, 1), staff_number="100234")), 1)
        assert c.decision is REVIEW and c.score < index.thresholds.match
        assert "an identifier agrees but the names and date of birth do not" in reasons(c)

    def test_namesake_with_conflicting_warrant_number_is_never_auto_matched(self, index: MatchIndex) -> None:
        c = only(index.match(notice("Quarrington", "Xanthe Louise", date(1979, 11, 30), warrant_number="W123")), 3)
        assert c.decision is REVIEW and "warrant number differs (evidence against)" in c.reasons


class TestRecordingErrorsStillFindThePerson:
    @pytest.mark.parametrize(
        ("surname", "forenames", "dob", "person", "reason"),
        [
            ("Smith", "William", date(1985, 3, 12), 1, "surname the same (Smith"),
            ("Quarington", "Xanthe", date(1979, 11, 30), 3, "surnames almost identical (Quarington / Quarrington"),
            ("Quarrington", "Xanthe", date(1979, 11, 3), 3, "date of birth: only the day differs"),
            ("Hughes", "Robert", date(1970, 2, 15), 7, "date of birth: one digit different"),
            ("Hughes", "Robert", date(1970, 2, 25), 7, "date of birth: only the month differs"),
            ("Hughes", "Robert", date(1971, 1, 25), 7, "date of birth: only the year differs, by one year"),
            ("Smith", "William", date(1985, 12, 3), 1, "date of birth: day and month swapped"),
            ("Smith", "Bill", date(1985, 3, 12), 1, "forenames are two forms of one name (Bill / William)"),
            ("Hughes", "Bob", date(1970, 1, 25), 7, "forenames are two forms of one name (Bob / Robert)"),
            ("Lewandowski", "Kate", date(1983, 9, 14), 6, "forenames are two forms of one name (Kate / Katherine)"),
            ("Jones", "William", date(1985, 3, 12), 1, "surname the same as their previous name William Jones"),
            ("Doe", "Jane", date(1990, 7, 1), 2, "surname the same as their previous name Jane Doe"),
            ("Smith", "Jane", date(1990, 7, 1), 2, "hyphenated or double-barrelled"),
            ("Patel-Shah", "Anita", date(1988, 5, 6), 5, "hyphenated or double-barrelled"),
            ("William", "Smith", date(1985, 3, 12), 1, "forename and surname the wrong way round"),
            ("Smith", "John William", date(1985, 3, 12), 1, "the notice's forename John is another of their forenames"),
            ("Smith", "John", date(1985, 3, 12), 1, "the notice's forename John is another of their forenames"),
            ("Lewandowski", "K M", date(1983, 9, 14), 6, "only initials given, and they agree (K / Katherine)"),
            ("Lewandowski", "K.", date(1983, 9, 14), 6, "only initials given, and they agree (K / Katherine)"),
            ("OBRIEN", "siobhan", date(1992, 2, 20), 4, "surname the same (O'Brien"),
            ("Lewandowsky", "Katherine", date(1983, 9, 14), 6, "surnames almost identical (Lewandowsky / Lewandowski"),
            ("Lewandowski", "Katherime", date(1983, 9, 14), 6, "forenames almost identical (Katherime / Katherine"),
            ("Lewandowski", "Atherine", date(1983, 9, 14), 6, "forenames almost identical (Atherine / Katherine"),
            ("Lewandowski", "Mary", date(1983, 10, 2), 6, "the notice's forename Mary is another of their forenames"),
        ],
    )
    def test_error_is_matched_with_its_reason(
        self, index: MatchIndex, surname: str, forenames: str, dob: date, person: int, reason: str
    ) -> None:
        c = only(index.match(notice(surname, forenames, dob)), person)
        assert reason in reasons(c)
        assert c.decision in (MATCH, REVIEW)

    @pytest.mark.parametrize(
        ("surname", "forenames", "dob", "person", "reason"),
        [
            ("Kewandowski", "Mary", date(1983, 9, 14), 6, "the notice's forename Mary is another of their forenames"),
            ("Bob", "Hughez", date(1970, 1, 25), 7, "forename and surname the wrong way round (Hughez as a forename)"),
        ],
    )
    def test_two_errors_with_a_surname_typo_that_changes_its_sound(
        self, index: MatchIndex, surname: str, forenames: str, dob: date, person: int, reason: str
    ) -> None:
        c = only(index.match(notice(surname, forenames, dob)), person)
        assert reason in reasons(c)

    @pytest.mark.parametrize(
        ("surname", "forenames", "dob", "person", "slip"),
        [
            ("Lewamdowski", "Katherine", date(1983, 9, 17), 6, "only the day differs"),
            ("Lewamdowski", "Katherine", date(1983, 6, 14), 6, "only the month differs"),
            ("Lewamdowski", "Katherine", date(1984, 9, 14), 6, "only the year differs, by one year"),
            ("Lewamdowski", "Jatherine", date(1983, 9, 14), 6, "forenames almost identical (Jatherine / Katherine"),
        ],
    )
    def test_a_careless_record_with_a_surname_typo_and_a_slip_in_the_date_of_birth(
        self, index: MatchIndex, surname: str, forenames: str, dob: date, person: int, slip: str
    ) -> None:
        # the typo changes how the surname sounds and the date is not whole (found by the forename
        # and the surname's initial), or the forename's initial is mistyped too (found by the date
        # and the surname's initial); in both directions
        pair = notice(surname, forenames, dob)
        c = only(index.match(pair), person)
        assert "surnames almost identical" in reasons(c) and slip in reasons(c)
        assert match_person(REGISTER[person - 1], NoticeIndex([pair], HOME, model=index.model)) == [c]

    @pytest.mark.parametrize(("surname", "forenames"), [("Wiśniewski", "Michał Paweł"), ("Ødegård", "Søren")])
    def test_letters_without_a_plain_form_in_unicode_are_written_plainly_as_the_pnd_does(
            self, surname: str, forenames: str) -> None:
        person = RegisterEntry(1, "100001", surname, forenames, date(1990, 1, 2))
        plain = surname.replace("ś", "s").replace("Ø", "O").replace("å", "a")
        plain_forenames = forenames.replace("ł", "l").replace("ø", "o")
        c = only(MatchIndex([person], HOME).match(notice(plain.upper(), plain_forenames.upper(), date(1990, 1, 2))), 1)
        assert c.decision is MATCH and "surname the same" in reasons(c) and "forename the same" in reasons(c)

    def test_clean_notice_is_a_match_with_every_agreement_listed(self, index: MatchIndex) -> None:
        c = only(index.match(notice("Quarrington", "Xanthe Louise", date(1979, 11, 30))), 3)
        assert c.decision is MATCH and c.score >= 0.99
        assert c.reasons == (
            "date of birth the same (strong evidence for)",
            "surname the same (Quarrington, 1 in 1,400) (strong evidence for)",
            "forename the same (Xanthe, 1 in 400) (evidence for)",
            "middle name the same (Louise, 1 in 400 as a middle name) (evidence for)",
        )

    def test_missing_dob_with_a_rare_name_goes_to_review_not_match(self, index: MatchIndex) -> None:
        c = only(index.match(notice("Quarrington", "Xanthe Louise", None)), 3)
        assert c.decision is REVIEW and "no date of birth on one side: not compared" in reasons(c)

    @pytest.mark.parametrize(("namesakes", "listed"), [(1, 1), (3, 3), (5, 5), (6, 0), (9, 0)])
    def test_an_undated_notice_goes_to_review_with_a_handful_of_namesakes_at_most(
            self, namesakes: int, listed: int) -> None:
        """Without a date of birth a reviewer can tell apart a handful of people of one name, not
        more: beyond five the notice is reported as too common to review (NO_DOB), not listed."""
        people = [RegisterEntry(i, f"{100 + i}", "Quarrington", "Xanthe", date(1960 + i, 1 + i % 12, 1 + i))
                  for i in range(1, namesakes + 1)]
        people += [RegisterEntry(100 + i, f"{900 + i}", f"Other{chr(65 + i % 26)}{chr(65 + i // 26)}", "Paul",
                                 date(1970, 1, 1 + i % 28)) for i in range(200)]
        index = MatchIndex(people, HOME)
        undated = notice("Quarrington", "Xanthe", None)
        found = index.match(undated)
        assert len(found) == listed and all(c.decision is REVIEW for c in found)
        assert index.namesakes(undated) == namesakes  # what the NO_DOB row reports when none is listed
        with_staff = index.match(notice("Quarrington", "Xanthe", None, staff_number=f"{100 + namesakes}"))
        assert namesakes in {c.person_id for c in with_staff}  # an identifier still speaks for its pair

    def test_register_person_without_dob_is_found_by_name(self) -> None:
        undated = [*REGISTER, RegisterEntry(8, "100241", "Featherstonehaugh", "Percival Aloysius", None)]
        found = MatchIndex(undated, HOME).match(notice("Featherstonehaugh", "Percival Aloysius", date(1966, 4, 4)))
        c = only(found, 8)
        assert c.decision is REVIEW and "no date of birth on one side: not compared" in reasons(c)

    @pytest.mark.parametrize("shifted", [date(1979, 12, 4), date(1979, 10, 28), date(1980, 1, 6)])
    def test_a_date_shifted_by_days_into_another_month_or_year_is_still_found(
            self, index: MatchIndex, shifted: date) -> None:
        """Xanthe Louise Quarrington was born on 30 November 1979: a date a few days or weeks out,
        in another month (or across the new year), shares no day, month or year-and-month with it."""
        c = only(index.match(notice("Quarrington", "Xanthe Louise", shifted)), 3)
        assert "date of birth: within two months" in reasons(c)

    def test_notice_naming_the_home_force_as_employer_says_so(self, index: MatchIndex) -> None:
        c = only(index.match(notice("Patel", "Anita", date(1988, 5, 6), employing_force="NYP")), 5)
        assert "the notice names this force as employer (evidence for)" in c.reasons


class TestLookAlikesAreNotMatched:
    def test_same_name_with_unrelated_dob_is_not_listed(self, index: MatchIndex) -> None:
        assert index.match(notice("Quarrington", "Xanthe Louise", date(1961, 6, 2))) == []

    def test_similar_name_with_unrelated_dob_is_not_listed(self, index: MatchIndex) -> None:
        assert index.match(notice("Quarington", "Xanthe", date(1995, 4, 17))) == []

    def test_relative_with_same_surname_and_dob_but_other_forename_is_not_a_match(self, index: MatchIndex) -> None:
        found = index.match(notice("Lewandowski", "Tomasz", date(1983, 9, 14)))
        assert all(c.decision is not MATCH for c in found)

    def test_stranger_is_not_listed(self, index: MatchIndex) -> None:
        assert index.match(notice("Ozturk", "Deniz", date(1999, 9, 9))) == []

    def test_two_register_people_fitting_one_notice_both_go_to_review(self) -> None:
        twins = [
            RegisterEntry(1, "1", "Quarrington", "Xanthe", date(1979, 11, 30)),
            RegisterEntry(2, "2", "Quarrington", "Xavier", date(1979, 11, 30)),
        ]
        found = MatchIndex(twins, HOME).match(notice("Quarrington", "X", date(1979, 11, 30)))
        assert sorted(c.person_id for c in found) == [1, 2]
        assert all(
            c.decision is REVIEW
            and "2 people in the register fit this notice: the chance is shared between them" in c.reasons
            for c in found
        )


class TestThresholds:
    def test_the_engine_and_the_shipped_policy_agree_on_a_one_in_a_hundred_review_threshold(self) -> None:
        from app.domain.policy import PolicyName, PolicySet

        on = date(2026, 12, 3)
        shipped = PolicySet()
        assert Thresholds() == Thresholds(match=shipped.float_on(PolicyName.MATCH_AUTO_THRESHOLD, on),
                                          review=shipped.float_on(PolicyName.MATCH_REVIEW_THRESHOLD, on))
        assert Thresholds().review == 0.01

    def test_review_above_match_is_refused(self) -> None:
        with pytest.raises(ValueError, match="review < match"):
            Thresholds(match=0.5, review=0.8)

    def test_thresholds_move_a_pair_between_match_review_and_not_listed(self) -> None:
        slip = notice("Quarington", "X", date(1979, 11, 3))  # surname typo, initial only, day differs
        score = only(MatchIndex(REGISTER, HOME).match(slip), 3).score
        assert 0 < score < 1 and round(score, 3) == score
        assert (
            only(MatchIndex(REGISTER, HOME, Thresholds(match=score, review=score / 2)).match(slip), 3).decision is MATCH
        )
        below = Thresholds(match=min(1.0, score + 0.002), review=score)
        assert only(MatchIndex(REGISTER, HOME, below).match(slip), 3).decision is REVIEW
        assert MatchIndex(REGISTER, HOME, Thresholds(match=1.0, review=score + 0.001)).match(slip) == []

    def test_decisions_follow_the_scores(self, index: MatchIndex) -> None:
        notices = [
            notice("Smith", "Bill", date(1985, 12, 3)), notice("Quarington", "X", None), notice("Doe", "J", None)
        ]
        for c in [c for n in notices for c in index.match(n)]:
            assert 0.0 <= c.score <= 1.0
            held = any(r.startswith("not proposed as a match without a person looking") for r in c.reasons)
            expected = MATCH if c.score >= index.thresholds.match and not held else REVIEW
            assert c.decision is expected and c.score >= index.thresholds.review


class TestBothDirections:
    def test_data_wash_lists_candidates_in_notice_order(self) -> None:
        notices = [
            notice("Hughes", "Bob", date(1970, 1, 25), key=1),
            notice("Ozturk", "Deniz", date(1999, 9, 9), key=2),
            notice("Smith", "Bill", date(1985, 3, 12), key=3),
        ]
        found = data_wash(REGISTER, notices, HOME)
        assert [(c.notice_key, c.person_id) for c in found] == [(1, 7), (3, 1)]

    @pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")  # Python 3.12+
    def test_data_wash_shared_among_processes_finds_the_same(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(engine, "PARALLEL_FROM", 0)
        notices = [notice(r.surname, r.forenames, r.date_of_birth, key=r.person_id) for r in REGISTER] * 3
        assert data_wash(REGISTER, notices, HOME, workers=2) == data_wash(REGISTER, notices, HOME)

    def test_new_person_is_matched_against_held_notices(self) -> None:
        held = [
            notice("Smyth", "William", date(1985, 12, 3), key=10),
            notice("Ozturk", "Deniz", date(1999, 9, 9), key=11),
            notice("Jones", "William", date(1985, 3, 12), key=12),
        ]
        found = match_person(REGISTER[0], NoticeIndex(held, HOME))
        assert sorted(c.notice_key for c in found) == [10, 12]
        by_key = {c.notice_key: c for c in found}
        assert "date of birth: day and month swapped (strong evidence for)" in by_key[10].reasons
        assert any("surname the same as their previous name William Jones" in r for r in by_key[12].reasons)
        assert all(c.person_id == 1 for c in found)

    def test_new_person_against_many_notices_of_one_person_counts_the_person_once(self) -> None:
        """Held notices are counted by their people too: thirty notices about one Xanthe Coleanfield
        (one date of birth) leave her surname rare, thirty Coleanfields born on thirty dates make it
        common."""
        person = RegisterEntry(99, "19999", "Coleanfield", "Xanthe", date(1979, 11, 30))

        def surname_reason(born: list[date]) -> str:
            held = [notice("Coleanfield", "Xanthe", day, key=100 + i) for i, day in enumerate(born)]
            found = match_person(person, NoticeIndex(held, HOME))
            return next(r for r in found[0].reasons if r.startswith("surname"))

        assert "common" not in surname_reason([date(1979, 11, 30)] * 30)
        assert "Coleanfield, common" in surname_reason([date(1979, 11, 30)] + [
            date(1950, 1, 1) + timedelta(days=400 * i) for i in range(29)])

    def test_both_directions_agree_on_a_pair(self) -> None:
        pair = notice("Lewandowsky", "Kate", date(1983, 9, 14), key=5)
        forward = MatchIndex(REGISTER, HOME)
        backward = NoticeIndex([pair], HOME, model=forward.model)
        assert match_person(REGISTER[5], backward) == forward.match(pair)

    def test_held_notice_with_staff_number_finds_the_new_person(self) -> None:
        held = [notice("Somebody", "Else", None, key=20, staff_number="100240")]
        c = only(list(match_person(REGISTER[6], NoticeIndex(held, HOME))), 7)
        assert c.notice_key == 20 and c.decision is REVIEW
