"""Matching notices against the workforce register, and people against held notices (DOMAIN.md §4).

A data wash streams the notices past an index of the register. Most notices concern nobody in it,
so the work per notice is kept small: a handful of dictionary look-ups, a DOB comparison of the
few people sharing a key, and an upper bound on what their names could add. Only pairs that could
still reach the review threshold are compared in full.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from math import inf
from operator import attrgetter
from typing import NamedTuple

from app.domain.collector import collector_paused
from app.domain.matching.blocking import KeyIndex, KeyLookup, NoticeKeys, register_keys
from app.domain.matching.dates import DobKey, compare, dob_key
from app.domain.matching.decisions import decide_notice, rank, to_candidate
from app.domain.matching.estimation import estimate
from app.domain.matching.evidence import (
    crossable,
    first_forenames_differ,
    forename_levels,
    middle_cap,
    middle_level,
    name_caps,
    surname_level,
    surname_weight,
    surnames_may_agree,
)
from app.domain.matching.frequencies import NameFrequencies
from app.domain.matching.levels import Dob, Forename, Middle, Surname
from app.domain.matching.model import Candidate, NoticeEntry, RegisterEntry, Thresholds
from app.domain.matching.names import SurnameForm, tokens
from app.domain.matching.parameters import Model, starting_model
from app.domain.matching.profiles import (
    Profile,
    frequencies_of,
    normalise_force,
    notice_identifiers,
    notice_profile,
    register_profile,
)
from app.domain.matching.scoring import assess, logit

_DIFFERENT = Dob.DIFFERENT
UNDATED_AT_MOST = 5  # register people a notice without a whole date of birth may be put to review with
_SURNAME, _FORENAMES, _BORN = attrgetter("surname"), attrgetter("forenames"), attrgetter("date_of_birth")
_UNREAD: tuple[str, ...] = ("",)  # a notice's forenames that do not start with the blocking key's first forename
SurnamesKey = tuple[tuple[str, tuple[str, ...], bool], ...]  # a person's surname forms (previous?), as a cache key
_UNSEEN = float("nan")  # not in a cache yet (None is a value cached): told apart by identity
_DEFAULT_THRESHOLDS = Thresholds()  # the default of the matchers below: one frozen value, as before


class MatchIndex:
    """The register, indexed once; then each notice is matched in well under a millisecond.

    The model is the one given, else estimated from the register and ``notices`` when they are
    given (a data wash), else the starting values with the register's name frequencies.
    """

    def __init__(
        self,
        register: Iterable[RegisterEntry],
        home_force: str,
        thresholds: Thresholds = _DEFAULT_THRESHOLDS,
        model: Model | None = None,
        notices: Sequence[NoticeEntry] = (),
        workers: int = 1,
    ) -> None:
        """``workers`` > 1: for a large file, the model is estimated in a forked process while this
        one indexes the register (the command line only, as for ``wash``)."""
        self.thresholds = thresholds
        self._home = normalise_force(home_force)
        self._floor = logit(thresholds.review - 0.0005)  # scores are rounded to 3 places
        self._entries = list(register)
        indexed = False
        with collector_paused():
            self._profiles = [register_profile(entry) for entry in self._entries]
            if model is None:
                names = frequencies_of(self._profiles)
                names.add_notices(map(_SURNAME, notices), map(_FORENAMES, notices))  # the loops stay in C
                if not notices:
                    model = starting_model(names, len(self._profiles))
                elif workers > 1 and _can_fork() and len(notices) >= PARALLEL_FROM:
                    model, indexed = self._estimated_beside_the_index(notices, names), True
                else:
                    model = _estimated(self._profiles, notices, self._home or "", names)
            self.model = model
            self._caps = [name_caps(p, model) for p in self._profiles]
            surname_ids: dict[SurnamesKey, int] = {}  # people of the same surnames share one id
            self._facts = [self._facts_of(p, caps, surname_ids)
                           for p, caps in zip(self._profiles, self._caps, strict=True)]
            if not indexed:
                self._build_index()
        self._keys = NoticeKeys(undated_register=any(p.dob is None for p in self._profiles))
        self._lookup = KeyLookup(self._index, self._keys)
        self._differ_cache: dict[tuple[str, str], bool] = {}
        self._cross_cache: dict[tuple[str, str], bool] = {}
        self._middle_cache: dict[tuple[str, str], float] = {}  # (notice's middle name, person's)
        # (notice's surname as given, person's surnames' id) -> _surname_gain
        self._surname_cache: dict[tuple[str, int], float | None] = {}
        self._undated = frozenset(p for p, f in enumerate(self._facts) if f.dob is None)
        self._dobs: dict[date, DobKey | None] = {}
        self._year_only_dobs: dict[date, DobKey | None] = {}

    def _build_index(self) -> None:
        """What does not depend on the model: the keys and identifiers of the register."""
        self._index = KeyIndex()
        for position, profile in enumerate(self._profiles):
            self._index.add(position, register_keys(profile))
        self._staff = _by_identifier(p.staff for p in self._profiles)
        self._warrant = _by_identifier(p.warrant for p in self._profiles)
        self._pnc: dict[str, list[int]] = {}
        for position, profile in enumerate(self._profiles):
            for pnc in profile.pnc:
                self._pnc.setdefault(pnc, []).append(position)

    def _estimated_beside_the_index(self, notices: Sequence[NoticeEntry], names: NameFrequencies) -> Model:
        """The model estimated in a forked process (it inherits what it needs; only the model comes
        back) while this process builds the index: the two take about as long."""
        global _ESTIMATING
        _ESTIMATING = (self._profiles, notices, self._home or "", names)
        try:
            with multiprocessing.get_context("fork").Pool(1) as pool:
                pending = pool.apply_async(_estimate_inherited)
                self._build_index()
                return pending.get()
        finally:
            _ESTIMATING = None

    def _facts_of(self, person: Profile, caps: tuple[float, float], surname_ids: dict[SurnamesKey, int]) -> _Facts:
        model = self.model
        base = model.prior_log_odds + max(model.weights["employer"]) + caps[0] - self._floor
        differs = model.weight("forename", Forename.DIFFERENT) + model.weight("middle", Middle.NOT_COMPARED)
        middle = middle_cap(person, model) - model.weight("middle", Middle.NOT_COMPARED)
        surnames = tuple((form.joined, form.parts, bool(form.previous_name)) for form in person.surnames)
        surname_id = surname_ids.setdefault(surnames, len(surname_ids))
        return _Facts(dob_key(person.dob), base + caps[1], caps[0], base + differs, middle, surname_id,
                      person.surnames[0].joined if person.surnames else "", person.forenames)

    @property
    def frequencies(self) -> NameFrequencies:
        return self.model.names

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, notice: NoticeEntry) -> list[Candidate]:
        """Every register person this notice may concern, best first; nothing below review."""
        born = notice.date_of_birth
        if born is None:
            notice_dob = None
        else:  # dates repeat: a plain dictionary per kind is cheaper than dob_key's bounded cache
            known = self._year_only_dobs if notice.dob_year_only else self._dobs
            notice_dob = known.get(born)
            if notice_dob is None:
                notice_dob = known[born] = dob_key(born, notice.dob_year_only)
        levels = self._blocked(notice, notice_dob)
        identified = (
            self._identified(notice) if notice.staff_number or notice.warrant_number or notice.pnc_id else set()
        )
        if not levels and not identified:
            return []
        for position in identified - levels.keys():
            levels[position] = compare(notice_dob, self._facts[position].dob)
        profile = notice_profile(notice, self._home or "")
        found = []
        for position, level in levels.items():
            person = self._profiles[position]
            result = assess(profile, person, self.model, level, self._caps[position], self._floor)
            if result is not None:
                found.append((self._entries[position].person_id, result))
        if not found:
            return []
        listed = decide_notice(notice.key, found, self.thresholds, self.model.names)
        if len(listed) > UNDATED_AT_MOST and (notice.date_of_birth is None or notice.dob_year_only):
            # Without a date of birth a reviewer can tell apart a handful of people: too common a
            # name is reported instead (NO_DOB), unless an identifier speaks for a pair; otherwise
            # the best few (people of similar names rank below those of the name itself).
            identified = {person_id for person_id, result in found if result.identified}
            if self.namesakes(notice) > UNDATED_AT_MOST:
                return [c for c in listed if c.person_id in identified]
            listed = [c for i, c in enumerate(listed) if i < UNDATED_AT_MOST or c.person_id in identified]
        return listed

    def _blocked(self, notice: NoticeEntry, notice_dob: DobKey | None) -> dict[int, Dob]:
        """Positions sharing a key with the notice whose DOB and names could still be enough.

        The hot loop of a data wash (a million notices, two or three positions each): the caches
        are read here directly rather than through methods, and a register person's facts come in
        one tuple."""
        keys = self._keys
        surname, given = keys.surname(notice.surname), keys.forenames(notice.forenames)
        positions = self._lookup.positions(notice.surname, surname, given, notice.date_of_birth)
        kept: dict[int, Dob] = {}
        if not positions:
            return kept
        first = given.first
        facts = self._facts
        dob_weights = self.model.weights["dob"]
        differs = self.model.weight("surname", Surname.DIFFERENT)
        form = surname.form
        raw = notice.surname
        surname_cache = self._surname_cache
        others: tuple[str, ...] | None = None  # the notice's other forenames, once needed (_UNREAD: unknown)
        for position in positions:
            if position in kept:
                continue
            dob, may_agree, surname_cap, first_differs, _, surname_id, cross, forenames = facts[position]
            level = compare(notice_dob, dob)
            if level is _DIFFERENT:
                continue
            best = dob_weights[level] + may_agree
            if best < 0.0:
                continue
            if form is None:
                best -= surname_cap  # no surname on the notice: the surnames add nothing
                if best < 0.0:
                    continue
            # The first forenames may differ wholly: then only the middle name can add anything.
            # Tried before the surnames (a cache of forenames hits far more often than one of
            # surnames): a pair ruled out here would be ruled out after the surnames too.
            if best - may_agree + first_differs < 0.0 and first and forenames:
                if others is None:
                    others = self._others(notice.forenames, first)
                if self._ruled_out(best - may_agree + first_differs, first, others, forenames, position, cross):
                    continue
            if form is not None:
                gain = surname_cache.get((raw, surname_id), _UNSEEN)
                if gain is _UNSEEN:
                    gain = surname_cache[raw, surname_id] = self._surname_gain(form, position)
                if gain is None and not (first and forenames and self._crossable(first, position, cross)):
                    gain = differs  # unless the names are the wrong way round
                if gain is not None and gain < surname_cap:  # what this surname adds, not the most any could
                    best += gain - surname_cap
                    if best < 0.0:
                        continue
                    if best - may_agree + first_differs < 0.0 and first and forenames:
                        if others is None:
                            others = self._others(notice.forenames, first)
                        if self._ruled_out(best - may_agree + first_differs, first, others, forenames, position,
                                           cross):
                            continue
            kept[position] = level
        return kept

    @staticmethod
    def _others(forenames: str, first: str) -> tuple[str, ...]:
        """A notice's forenames after the first (_UNREAD when its first word is not ``first``)."""
        names = tokens(forenames)
        return names[1:] if names and names[0] == first else _UNREAD

    def _ruled_out(self, bound: float, first: str, others: tuple[str, ...], forenames: tuple[str, ...],
                   position: int, cross: str) -> bool:
        """Whether a pair whose first forenames would leave it ``bound`` short of review (or more)
        cannot reach it: the first forenames differ wholly, and only a middle name compared could
        add anything, unless one forename is the other's middle name or the names are the wrong way
        round (an exact bound: such a pair could not reach review)."""
        if others is _UNREAD:
            return False
        theirs = forenames[0]
        if others and len(forenames) > 1:  # the middle names are compared: what can they add?
            if (bound + self._facts[position].middle_cap >= 0.0
                    and bound + self._middle(others[0], forenames[1]) >= 0.0):
                return False
        elif bound >= 0.0:
            return False
        differ = self._differ_cache.get((first, theirs))
        if differ is None:
            differ = self._differ_cache[first, theirs] = first_forenames_differ(first, theirs)
        return (differ and first not in forenames[1:] and theirs not in others
                and not self._crossable(first, position, cross))

    def _surname_gain(self, form: SurnameForm, position: int) -> float | None:
        """The most a notice's surname adds against this person's, compared straight (the weight of
        its level: a near miss or a common name adds far less than the person's surname_cap), or
        None when they may not agree at all (then only names the wrong way round can help). Pairs
        whose surnames are merely similar and first forenames differ were a quarter of those still
        compared in full; cached by the notice's surname and the person's surnames."""
        person = self._profiles[position]
        if not surnames_may_agree(form, person):
            return None
        level, value, _previous, _shown = surname_level((form,), person.surnames)
        if level is Surname.DIFFERENT:  # never: surnames_may_agree is the same test; the cap stands
            return inf
        return surname_weight(level, value, self.model)

    def _middle(self, ours: str, theirs: str) -> float:
        """What two middle names add to a pair whose first forenames differ wholly, beyond not being
        compared: exactly, unless they agree (then the most they could, the person's middle_cap,
        which the caller has tried first). Most pairs the bound of first forenames leaves are two
        different people with different middle names (three in ten of the pairs once compared in
        full on a million notices); cached by the two names."""
        found = self._middle_cache.get((ours, theirs))
        if found is None:
            level = middle_level(ours, theirs)
            found = self._middle_cache[ours, theirs] = (
                inf if level is Middle.AGREE
                else self.model.weight("middle", level) - self.model.weight("middle", Middle.NOT_COMPARED))
        return found

    def _crossable(self, forename: str, position: int, surname: str) -> bool:
        """Whether the notice's forename looks like this person's surname (names transposed), cached
        by the person's first surname (``surname``), the only one ``crossable`` looks at."""
        key = (forename, surname)
        found = self._cross_cache.get(key)
        if found is None:
            found = self._cross_cache[key] = crossable(forename, self._profiles[position])
        return found

    def _identified(self, notice: NoticeEntry) -> set[int]:
        staff, warrant = notice_identifiers(notice, self._home or "")
        found = set(self._staff.get(staff or "", ())) | set(self._warrant.get(warrant or "", ()))
        pnc = notice_profile(notice, self._home or "").pnc if notice.pnc_id else frozenset()
        for value in pnc:
            found.update(self._pnc.get(value, ()))
        return found

    def namesakes(self, notice: NoticeEntry) -> int:
        """How many register people bear the notice's surname with a forename that agrees with it:
        for a notice without a date of birth that none of them was listed for (the name is too
        common to put to review), so that it is counted and reported, not dropped."""
        surname, given = self._keys.surname(notice.surname), self._keys.forenames(notice.forenames)
        profile = notice_profile(notice, self._home or "")
        count = 0
        for position in set(self._lookup.positions(notice.surname, surname, given, None)):
            person = self._profiles[position]
            if (
                surname.form is not None
                and any(f.joined == surname.form.joined for f in person.surnames)
                and forename_levels(profile.forenames, person.forenames)[0] is not Forename.DIFFERENT
            ):
                count += 1
        return count if profile.surnames else 0


class _Facts(NamedTuple):
    """What the cheap test of a register person needs, in one place (one memory fetch)."""

    dob: DobKey | None
    may_agree: float  # best log-odds less the floor before the DOB, if the forenames may agree
    surname_cap: float
    first_differs: float  # the same if the first forenames differ wholly and no middle names are compared
    middle_cap: float  # what a middle name compared may add to that, at most
    surname_id: int  # the same for people of the same surnames (the cache of surnames_may_agree)
    cross: str  # the first surname, "" if none (the cache of crossable)
    forenames: tuple[str, ...]


class NoticeIndex:
    """Held notices, indexed with the same keys the other way round, for matching new people.

    Without a model, the starting values with the notices' name frequencies are used.
    """

    def __init__(
        self,
        notices: Iterable[NoticeEntry],
        home_force: str,
        thresholds: Thresholds = _DEFAULT_THRESHOLDS,
        model: Model | None = None,
        register_size: int = 1000,
    ) -> None:
        self.thresholds = thresholds
        self._home = normalise_force(home_force) or ""
        self._notices = list(notices)
        self._profiles: dict[int, Profile] = {}
        self._floor = logit(thresholds.review - 0.0005)  # scores are rounded to 3 places
        with collector_paused():
            counted = self._build()
            self.model = model or starting_model(counted, register_size)
            ids = [notice_identifiers(n, self._home) if n.staff_number or n.warrant_number else (None, None)
                   for n in self._notices]
            self._staff = _by_identifier(staff for staff, _ in ids)
            self._warrant = _by_identifier(warrant for _, warrant in ids)

    def _build(self) -> NameFrequencies:
        """File every notice under its keys; count the names of their people as they go by."""
        keys = NoticeKeys(undated_register=True)
        counted = NameFrequencies()
        middles: dict[str, str] = {}  # the second forename of each spelling of the forenames
        seen: set[tuple[tuple[str, ...], str, date | None]] = set()  # people counted (name and DOB)
        self._index = KeyIndex()
        for position, notice in enumerate(self._notices):
            names, given = keys.surname(notice.surname), keys.forenames(notice.forenames)
            self._index.add(position, keys.query(names, given, notice.date_of_birth).keys())
            forms = (names.form.joined, *names.form.parts) if names.form else ()
            person = (forms, given.first, notice.date_of_birth)
            if person in seen:  # one person with many notices is one person (as in a data wash)
                continue
            seen.add(person)
            middle = middles.get(notice.forenames)
            if middle is None:
                names_given = tokens(notice.forenames)
                middle = middles[notice.forenames] = names_given[1] if len(names_given) > 1 else ""
            counted.add(forms, given.first, register=False, born=notice.date_of_birth, middle=middle)
        return counted

    def _profile(self, position: int) -> Profile:
        profile = self._profiles.get(position)
        if profile is None:
            profile = self._profiles[position] = notice_profile(self._notices[position], self._home)
        return profile

    def __len__(self) -> int:
        return len(self._notices)

    def match_person(self, person: RegisterEntry) -> list[Candidate]:
        """Every held notice that may concern this (new or changed) person, best first."""
        profile = register_profile(person)
        positions = self._index.find(register_keys(profile))
        identified = set(self._staff.get(profile.staff or "", ()))
        identified |= set(self._warrant.get(profile.warrant or "", ()))
        caps = name_caps(profile, self.model)
        person_dob = dob_key(person.date_of_birth)
        found: list[Candidate] = []
        for position in positions | identified:
            notice = self._notices[position]
            level = compare(dob_key(notice.date_of_birth, notice.dob_year_only), person_dob)
            if level is _DIFFERENT and position not in identified:
                continue
            result = assess(self._profile(position), profile, self.model, level, caps, self._floor)
            if result is None:
                continue
            candidate = to_candidate(notice.key, person.person_id, result, self.thresholds, self.model.names)
            if candidate is not None:
                found.append(candidate)
        return sorted(found, key=rank)


def _by_identifier(values: Iterable[str | None]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, value in enumerate(values):
        if value:
            index.setdefault(value, []).append(position)
    return index


def data_wash(
    register: Sequence[RegisterEntry],
    notices: Sequence[NoticeEntry],
    home_force: str,
    thresholds: Thresholds = _DEFAULT_THRESHOLDS,
    *,
    workers: int = 1,
) -> list[Candidate]:
    """The whole register against a whole notice file: candidates in notice order, best first.

    The model is estimated from this register and these notices (``estimation``).

    With ``workers`` > 1 and a large file, the notices are shared out among forked processes
    (where the platform can fork; elsewhere they are matched here, one after another).
    """
    return wash(MatchIndex(register, home_force, thresholds, notices=notices, workers=workers), notices, workers)


def wash(index: MatchIndex, notices: Sequence[NoticeEntry], workers: int = 1) -> list[Candidate]:
    """These notices against an index: candidates in notice order, best first; shared out among
    ``workers`` forked processes for a large file where the platform can fork (never from a
    process running threads that hold locks, such as the window: it passes 1)."""
    return washed(index, notices, workers).candidates


class Washed(NamedTuple):
    candidates: list[Candidate]  # in notice order, best first
    namesakes: dict[int, int]  # notice key -> register people bearing the name of an undated notice left unlisted


def washed(index: MatchIndex, notices: Sequence[NoticeEntry], workers: int = 1,
           meanwhile: Callable[[], object] | None = None) -> Washed:
    """``wash``, and for each notice without a whole date of birth that no one was listed for, how
    many register people bear its name (``MatchIndex.namesakes``): counted in the same pass, so in
    the workers too. ``meanwhile`` runs here while forked workers match (else before matching)."""
    if workers > 1 and _can_fork() and len(notices) >= PARALLEL_FROM:
        return _wash_in_parallel(index, notices, workers, meanwhile)
    if meanwhile is not None:
        meanwhile()
    return _wash(index, notices, 0, len(notices))


SLICES_PER_WORKER = 32
PARALLEL_FROM = 50_000  # fewer notices than this are matched faster than processes start
_SHARED: tuple[MatchIndex, Sequence[NoticeEntry]] | None = None  # what forked workers inherit
_ESTIMATING: tuple[list[Profile], Sequence[NoticeEntry], str, NameFrequencies] | None = None  # ... and the estimator


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _estimate_inherited() -> Model:
    assert _ESTIMATING is not None, "runs only in a process forked by MatchIndex"
    return _estimated(*_ESTIMATING)


def _estimated(register: Sequence[Profile], notices: Sequence[NoticeEntry], home: str, names: NameFrequencies) -> Model:
    """The model estimated from the register and the notices, with the notices' full names and
    forenames by decade of birth counted (``NameFrequencies.add_pairs``)."""
    names.add_pairs(list(map(_SURNAME, notices)), list(map(_FORENAMES, notices)), list(map(_BORN, notices)),
                    {(form.joined, person.first_forename) for person in register for form in person.surnames},
                    {name for person in register for name in person.forenames})
    return estimate(register, notices, home, names)


def _wash(index: MatchIndex, notices: Sequence[NoticeEntry], start: int, stop: int) -> Washed:
    """Match notices[start:stop]."""
    found: list[Candidate] = []
    namesakes: dict[int, int] = {}
    with collector_paused():
        for position in range(start, stop):
            notice = notices[position]
            listed = index.match(notice)
            if listed:
                found.extend(listed)
            elif notice.date_of_birth is None or notice.dob_year_only:
                people = index.namesakes(notice)
                if people:
                    namesakes[notice.key] = people
    return Washed(found, namesakes)


def _wash_range(bounds: tuple[int, int]) -> Washed:
    assert _SHARED is not None, "runs only in a worker forked by _wash_in_parallel"
    index, notices = _SHARED
    return _wash(index, notices, *bounds)


def _wash_in_parallel(index: MatchIndex, notices: Sequence[NoticeEntry], workers: int,
                      meanwhile: Callable[[], object] | None = None) -> Washed:
    global _SHARED
    # many small slices: a worker that is done takes the next, so that neither waits long for the
    # other at the end (with a few large ones, one core idled for seconds)
    size = max(1, -(-len(notices) // (workers * SLICES_PER_WORKER)))
    slices = [(start, min(start + size, len(notices))) for start in range(0, len(notices), size)]
    _SHARED = (index, notices)
    gc.freeze()  # the workers then leave the shared objects' memory pages alone
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending = pool.map_async(_wash_range, slices, chunksize=1)
            if meanwhile is not None:
                meanwhile()
            parts = pending.get()
    finally:
        _SHARED = None
        gc.unfreeze()
    return Washed([candidate for part in parts for candidate in part.candidates],
                  {key: people for part in parts for key, people in part.namesakes.items()})


def match_person(person: RegisterEntry, notices_index: NoticeIndex) -> list[Candidate]:
    """A newly added or changed person against the held notices."""
    return notices_index.match_person(person)
