"""Figures computed in Python, for the naive and chunked strategies.

A Tally is what the Python strategies know about one area (a town, a county,
the state) once they have seen its buildings. It keeps counts and sums, not
buildings: the years are a Counter, so a median needs no list of buildings.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from buildings.core.criteria import CRITERIA, matched
from buildings.core.report import (
    CountyRow,
    Figures,
    Largest,
    Report,
    TownRow,
    competition_ranks,
    ratio,
    round_half_up,
)

ONE = Decimal(1)


def median_from_counts(counts: Counter) -> float | None:
    """The continuous median (PostgreSQL's percentile_cont(0.5)) of values given as counts."""
    total = sum(counts.values())
    if total == 0:
        return None
    low_index, high_index = (total - 1) // 2, total // 2
    seen, low = 0, None
    for value in sorted(counts):
        seen += counts[value]
        if low is None and seen > low_index:
            low = value
        if seen > high_index:
            return (low + value) / 2
    raise AssertionError("unreachable")


class Tally:
    __slots__ = ("of", "buildings", "important", "criteria", "floor_area", "value_sum", "value_n",
                 "years", "largest")

    def __init__(self, criteria: tuple = CRITERIA) -> None:
        """`criteria`: what makes a building important here (a what-if's, or the stored)."""
        self.of = criteria
        self.buildings = 0
        self.important = 0
        self.criteria = dict.fromkeys((c.name for c in criteria), 0)
        self.floor_area = 0
        self.value_sum = 0
        self.value_n = 0
        self.years: Counter = Counter()
        self.largest: tuple | None = None  # (bld_area, -id, prop_id, site_addr)

    def add(self, building: Any) -> None:
        """Count one building (a model instance or a named tuple of its fields)."""
        self.buildings += 1
        if building.year_built is not None:
            self.years[building.year_built] += 1
        self.add_if_important(building)

    def add_if_important(self, building: Any) -> bool:
        hits = matched(building, self.of)
        if not hits:
            return False
        self.important += 1
        for name in hits:
            self.criteria[name] += 1
        if building.bld_area is not None:
            self.floor_area += building.bld_area
            candidate = (building.bld_area, -building.id, building.prop_id, building.site_addr)
            if self.largest is None or candidate[:2] > self.largest[:2]:
                self.largest = candidate
        if building.total_val is not None:
            self.value_sum += building.total_val
            self.value_n += 1
        return True

    def merge(self, other: Tally) -> None:
        self.buildings += other.buildings
        self.important += other.important
        for name, n in other.criteria.items():
            self.criteria[name] += n
        self.floor_area += other.floor_area
        self.value_sum += other.value_sum
        self.value_n += other.value_n
        self.years.update(other.years)
        if other.largest is not None and (self.largest is None
                                          or other.largest[:2] > self.largest[:2]):
            self.largest = other.largest

    def figures(self, population: int) -> Figures:
        return Figures(
            population=population,
            buildings=self.buildings,
            important=self.important,
            criteria=dict(self.criteria),
            important_pct=ratio(self.important, self.buildings, 100),
            important_floor_area=self.floor_area,
            median_year_built=median_from_counts(self.years),
            avg_important_value=(int(round_half_up(Decimal(self.value_sum) / self.value_n, ONE))
                                 if self.value_n else None),
        )

    def largest_important(self) -> Largest | None:
        if self.largest is None:
            return None
        area, _, prop_id, site_addr = self.largest
        return Largest(prop_id, site_addr, area)


def assemble(towns: list, tallies: dict[int, Tally], criteria: tuple = CRITERIA) -> Report:
    """The report from one Tally per town (towns: Town instances with county selected)."""
    counties: dict[str, Tally] = {}
    county_population: Counter = Counter()
    state = Tally(criteria)
    for town in towns:
        tally = tallies[town.town_id]
        counties.setdefault(town.county.name, Tally(criteria)).merge(tally)
        county_population[town.county.name] += town.population
        state.merge(tally)
    ranks = competition_ranks([tallies[t.town_id].important for t in towns])
    town_rows = [
        TownRow(
            town_id=town.town_id,
            town=town.name,
            county=town.county.name,
            figures=tallies[town.town_id].figures(town.population),
            largest_important=tallies[town.town_id].largest_important(),
            buildings_per_1000=ratio(tallies[town.town_id].buildings, town.population, 1000),
            rank=rank,
        )
        for town, rank in zip(towns, ranks, strict=True)
    ]
    county_rows = [CountyRow(name, counties[name].figures(county_population[name]))
                   for name in sorted(counties)]
    return Report(state.figures(sum(county_population.values())), county_rows, town_rows)
