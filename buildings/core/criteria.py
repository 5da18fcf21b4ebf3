"""What makes a building important: the one declaration of the criteria.

Each criterion is declared once, as a field, a lookup and a value. Everything
else is derived from that declaration: the ORM filter (`q`), the Python
predicate (`matches`), the pandas mask (`mask`), the stored generated column
Building.is_important (the OR of the filters), and the per-criterion columns of
the SQL files (their names, through buildings/core/sqlfiles.py). There is no second
copy that could drift. Changing one is a schema change: see the README.

Null never matches: SQL comparisons with null are not true, and the Python
predicate returns False for None.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class Lookup:
    """One ORM lookup as Python and pandas compute it (null never matches)."""

    predicate: Callable[[Any, Any], bool]
    mask: Callable[[Any, Any], Any]  # (pandas Series, value) -> boolean Series


def _numeric(compare):
    return lambda column, value: compare(column.astype(float), value).fillna(False).astype(bool)


LOOKUPS: dict[str, Lookup] = {
    "gte": Lookup(operator.ge, _numeric(operator.ge)),
    "gt": Lookup(operator.gt, _numeric(operator.gt)),
    "lte": Lookup(operator.le, _numeric(operator.le)),
    "lt": Lookup(operator.lt, _numeric(operator.lt)),
    "startswith": Lookup(lambda value, prefix: value.startswith(prefix),
                         lambda column, prefix: column.str.startswith(prefix)
                         .fillna(False).astype(bool)),
}


@dataclass(frozen=True)
class Criterion:
    name: str
    description: str
    field: str
    lookup: str
    value: Any

    def __post_init__(self):
        if self.lookup not in LOOKUPS:
            raise ValueError(f"criterion {self.name}: lookup {self.lookup!r} is not one of "
                             f"{', '.join(LOOKUPS)}")

    def q(self, prefix: str = "") -> Q:
        """The ORM filter; `prefix` reaches buildings through a relation ("buildings__")."""
        return Q(**{f"{prefix}{self.field}__{self.lookup}": self.value})

    def matches(self, value: Any) -> bool:
        """The Python predicate, given the building's value of `field`."""
        return value is not None and LOOKUPS[self.lookup].predicate(value, self.value)

    def mask(self, frame):
        """The criterion over a pandas DataFrame of buildings: a boolean Series."""
        return LOOKUPS[self.lookup].mask(frame[self.field], self.value)

    def holds(self, building: Any) -> bool:
        """The Python predicate on a model instance or a named tuple of the fields."""
        return self.matches(getattr(building, self.field))


CRITERIA: tuple[Criterion, ...] = (
    Criterion("large", "gross floor area of 50,000 sq ft or more", "bld_area", "gte", 50_000),
    Criterion("tall", "seven stories or more", "stories", "gte", 7),
    Criterion("historic", "built before 1900", "year_built", "lt", 1900),
    Criterion("civic", "exempt use: government, schools, charities, religious (9xx)",
              "use_code", "startswith", "9"),
    Criterion("landmark_value", "assessed at $10,000,000 or more", "total_val", "gte",
              10_000_000),
)

CRITERION_NAMES: tuple[str, ...] = tuple(c.name for c in CRITERIA)
FIELDS: tuple[str, ...] = tuple(dict.fromkeys(c.field for c in CRITERIA))


def get(name: str) -> Criterion:
    for criterion in CRITERIA:
        if criterion.name == name:
            return criterion
    raise KeyError(name)


def important_q(prefix: str = "", criteria: tuple[Criterion, ...] = CRITERIA) -> Q:
    """A building is important when it matches at least one criterion."""
    return reduce(operator.or_, (c.q(prefix) for c in criteria))


def matched(building: Any, criteria: tuple = CRITERIA) -> list[str]:
    """Names of the criteria a building (a model instance or a named tuple) matches."""
    return [c.name for c in criteria if c.holds(building)]


def is_important(building: Any, criteria: tuple = CRITERIA) -> bool:
    """The Python predicate on a model instance (or anything with the fields as
    attributes); `criteria`: a what-if's (buildings/core/whatif.py) instead of the stored."""
    return any(c.holds(building) for c in criteria)
