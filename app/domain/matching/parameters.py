"""The matching model: m and u for every comparison level, the prior, and how common each name is.

A pair's log-odds of being the same person is ``log(prior / (1 - prior))`` plus, for each field,
``log(m / u)`` of the level the pair shows (Fellegi and Sunter). For the levels marked in
``levels.ADJUSTED`` the weight is ``log(m / f)``, where ``f`` is how common the agreeing name is among
the register and the notices together: agreeing on "Smith" says far less than on "Quarrington".

``STARTING`` are the values a force starts from (and the priors of the estimation, see
``estimation``); a data wash replaces them with values estimated from the register and the notices
being matched. They are deliberately plain figures, not tuned to any test data: m from the error
rates reported for administrative data (ONS, MoJ), u from how names and dates are spread.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum

from app.domain.matching.frequencies import NameFrequencies
from app.domain.matching.levels import ADJUSTED, FIELDS, Surname

Table = Mapping[str, tuple[float, ...]]

STARTING_M: dict[str, tuple[float, ...]] = {
    "surname": (0.86, 0.03, 0.01, 0.045, 0.015, 0.005, 0.035),
    "forename": (0.80, 0.05, 0.035, 0.01, 0.035, 0.03, 0.04),
    "middle": (0.40, 0.05, 0.52, 0.03),
    "dob": (0.84, 0.015, 0.025, 0.02, 0.015, 0.005, 0.01, 0.005, 0.01, 0.03, 0.025),
    "staff": (0.97, 0.03, 1.0),  # given that both sides record one (estimation.identifier_tables)
    "warrant": (0.97, 0.03, 1.0),
    "pnc": (0.97, 0.03, 1.0),
    "employer": (0.25, 0.08, 0.67),
}
STARTING_U: dict[str, tuple[float, ...]] = {
    "surname": (1e-3, 2e-5, 2e-5, 5e-4, 3e-3, 1e-6, 0.9964),
    "forename": (0.012, 3e-3, 2e-3, 0.01, 5e-3, 3e-3, 0.965),
    "middle": (0.01, 0.02, 0.6, 0.37),
    # birth dates spread over ~50 years: the same day 1 in 18,000; the same year and month 1 in 600;
    # the same year and day 1 in 1,600; the same day and month with a year one out or one digit off
    # (about 12 of 50 years) 1 in 1,500; decades apart in one digit (about 6) 1 in 3,000
    "dob": (5.5e-5, 2e-5, 1.7e-3, 6e-4, 6.6e-4, 3.3e-4, 4e-4, 1e-4, 6e-3, 0.02, 0.97),
    "staff": (1e-4, 1 - 1e-4, 1.0),
    "warrant": (1e-4, 1 - 1e-4, 1.0),
    "pnc": (1e-4, 1 - 1e-4, 1.0),
    "employer": (0.01, 0.1, 0.89),
}
STARTING_NOTICE_SHARE = 0.01  # about 1 notice in 100 concerns someone in the register
_FLOOR = 1e-9
_LEAST_SHARE = 0.01  # of true pairs able to show a level (a register with almost no such people)


@dataclass(frozen=True)
class Model:
    """Everything a pair's score depends on, besides the pair itself."""

    m: Table
    u: Table
    prior: float  # chance that a notice and a register person taken at random are the same person
    names: NameFrequencies
    source: str = "starting values"
    # Chance that two different people with the same date of birth but wholly different forenames
    # share a surname (twins, siblings): far above what name frequencies alone predict.
    related: float = 0.02
    weights: dict[str, tuple[float, ...]] = field(init=False, repr=False, compare=False)
    # m of an adjusted level among the pairs that can show it at all (see ``adjusted``)
    eligible_m: dict[tuple[str, int], float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table = {
            name: tuple(
                math.log(max(m, _FLOOR) / max(u, _FLOOR)) for m, u in zip(self.m[name], self.u[name], strict=True)
            )
            for name in FIELDS
        }
        object.__setattr__(self, "weights", table)
        # Only a person with a hyphenated or double-barrelled surname can be named by a part of it,
        # and only one with a previous surname by that: m of such a level, an average over all true
        # pairs, is divided by the register's share of such people (2 % and 10 % of a register, say:
        # a true pair of one of them shows the level fifty or ten times as often as m says).
        shares = {("surname", Surname.PART): self.names.register_share(self.names.register_parted),
                  ("surname", Surname.PREVIOUS): self.names.register_share(self.names.register_renamed)}
        object.__setattr__(self, "eligible_m", {
            key: min(1.0, self.m[key[0]][key[1]] / max(share, _LEAST_SHARE)) for key, share in shares.items()})

    @property
    def prior_log_odds(self) -> float:
        return math.log(self.prior / (1 - self.prior))

    def weight(self, name: str, level: IntEnum) -> float:
        return self.weights[name][level]

    def adjusted(self, name: str, level: IntEnum, frequency: float) -> float:
        """The weight of an agreeing level on a name of this frequency: log(m / frequency), m being
        how often a true pair that can show the level does (``frequency`` is how often a pair of
        different people does, given the name: the chance a notice bears it)."""
        assert (name, level) in ADJUSTED
        return math.log(max(self.m_adjusted(name, level), _FLOOR) / max(frequency, _FLOOR))

    def m_adjusted(self, name: str, level: IntEnum) -> float:
        return self.eligible_m.get((name, int(level)), self.m[name][level])

    def describe(self) -> dict[str, object]:
        """Plain figures for the record (the data wash logs them; no personal data)."""
        return {"source": self.source, "prior": self.prior, "related": self.related,
                "m": {k: [round(x, 5) for x in v] for k, v in self.m.items()},
                "u": {k: [float(f"{x:.3g}") for x in v] for k, v in self.u.items()}}


def starting_model(names: NameFrequencies, register_size: int) -> Model:
    """The model before any estimation: a notice concerns one of the register's people 1 time in 100."""
    prior = STARTING_NOTICE_SHARE / max(register_size, 1)
    return Model(STARTING_M, STARTING_U, min(prior, 0.5), names)
