"""The report every strategy returns: the contract they are held to.

Strategies hand over plain values; the constructors here normalise their types
(a Decimal from PostgreSQL and an int from Python are the same figure), so that
two strategies that agree on the figures produce byte-identical JSON.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from buildings.core.criteria import CRITERION_NAMES

TWO_PLACES = Decimal("0.01")


def round_half_up(value: Decimal | int, places: Decimal = TWO_PLACES) -> Decimal:
    """Round halves away from zero, as PostgreSQL's round(numeric) does."""
    return Decimal(value).quantize(places, rounding=ROUND_HALF_UP)


def ratio(numerator: int, denominator: int, scale: int) -> Decimal | None:
    """scale * numerator / denominator to 2 decimals, or None when denominator is 0."""
    if not denominator:
        return None
    return round_half_up(Decimal(scale * numerator) / Decimal(denominator))


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else round_half_up(Decimal(value))


@dataclass(frozen=True, slots=True)
class Largest:
    prop_id: str
    site_addr: str | None
    bld_area: int

    @classmethod
    def of(cls, value: Any) -> Largest | None:
        if value is None or isinstance(value, Largest):
            return value
        return cls(value["prop_id"], value["site_addr"], int(value["bld_area"]))


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures shared by a town, a county and the state."""

    population: int
    buildings: int
    important: int
    criteria: dict[str, int]
    important_pct: Decimal | None
    important_floor_area: int
    median_year_built: float | None
    avg_important_value: int | None

    @classmethod
    def of(cls, row: dict[str, Any], names: tuple[str, ...] = CRITERION_NAMES) -> Figures:
        """`names`: the criteria's columns (a what-if's, or the stored ones)."""
        return cls(
            population=int(row["population"]),
            buildings=int(row["buildings"]),
            important=int(row["important"]),
            criteria={name: int(row[name]) for name in names},
            important_pct=_decimal(row["important_pct"]),
            important_floor_area=int(row["important_floor_area"] or 0),
            median_year_built=_float(row["median_year_built"]),
            avg_important_value=_int(row["avg_important_value"]),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "population": self.population,
            "buildings": self.buildings,
            "important": self.important,
            **self.criteria,
            "important_pct": self.important_pct,
            "important_floor_area": self.important_floor_area,
            "median_year_built": self.median_year_built,
            "avg_important_value": self.avg_important_value,
        }


@dataclass(frozen=True, slots=True)
class TownRow:
    town_id: int
    town: str
    county: str
    figures: Figures
    largest_important: Largest | None
    buildings_per_1000: Decimal
    rank: int

    @classmethod
    def of(cls, row: dict[str, Any], names: tuple[str, ...] = CRITERION_NAMES) -> TownRow:
        return cls(
            town_id=int(row["town_id"]),
            town=row["town"],
            county=row["county"],
            figures=Figures.of(row, names),
            largest_important=Largest.of(row["largest_important"]),
            buildings_per_1000=_decimal(row["buildings_per_1000"]),
            rank=int(row["rank"]),
        )

    def as_dict(self) -> dict[str, Any]:
        figures = self.figures.as_dict()
        population = figures.pop("population")
        return {
            "town_id": self.town_id,
            "town": self.town,
            "county": self.county,
            "population": population,
            **figures,
            "largest_important": (None if self.largest_important is None
                                  else asdict(self.largest_important)),
            "buildings_per_1000": self.buildings_per_1000,
            "rank": self.rank,
        }


@dataclass(frozen=True, slots=True)
class CountyRow:
    county: str
    figures: Figures

    @classmethod
    def of(cls, row: dict[str, Any], names: tuple[str, ...] = CRITERION_NAMES) -> CountyRow:
        return cls(county=row["county"], figures=Figures.of(row, names))

    def as_dict(self) -> dict[str, Any]:
        return {"county": self.county, **self.figures.as_dict()}


@dataclass(frozen=True, slots=True)
class Report:
    state: Figures
    counties: list[CountyRow]
    towns: list[TownRow]
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def criterion_names(self) -> tuple[str, ...]:
        """The criteria the figures count: the stored ones, or a what-if's."""
        return tuple(self.state.criteria)

    def as_dict(self, with_meta: bool = True) -> dict[str, Any]:
        data = {
            "state": self.state.as_dict(),
            "counties": [c.as_dict() for c in self.counties],
            "towns": [t.as_dict() for t in self.towns],
        }
        if with_meta and self.meta:
            data["meta"] = self.meta
        return data

    def to_json(self, with_meta: bool = True, indent: int | None = 2) -> str:
        return json.dumps(self.as_dict(with_meta), indent=indent, default=_json_default)

    def only(self, town_ids: set[int] | None, counties: set[str] | None) -> Report:
        """The report limited to some towns and counties (the state stays whole)."""
        if town_ids is None and counties is None:
            return self
        towns = [t for t in self.towns
                 if (town_ids and t.town_id in town_ids) or (counties and t.county in counties)]
        shown = (counties or set()) | {t.county for t in towns}
        return Report(self.state, [c for c in self.counties if c.county in shown], towns,
                      self.meta)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def competition_ranks(values: list[int]) -> list[int]:
    """Standard competition ranking, highest first: ties share a rank, the next one skips."""
    order = sorted(values, reverse=True)
    first_position = {}
    for position, value in enumerate(order, start=1):
        first_position.setdefault(value, position)
    return [first_position[v] for v in values]
