"""The original pattern, kept faithful on purpose.

For each town, iterate its buildings as model instances, append the important
ones to a list, and compute the figures in Python. The list of every important
building seen so far keeps growing, as it did in the code this project answers:
memory climbs town after town.
"""

from __future__ import annotations

from buildings.analysis.tally import Tally, assemble
from buildings.core.criteria import is_important
from buildings.core.models import Building, Town
from buildings.core.report import Report
from buildings.core.selection import Selection
from buildings.core.whatif import counted_criteria


def analyze(selection: Selection | None = None, on_town=None, whatif=None) -> Report:
    criteria = counted_criteria(whatif)
    towns = list(Town.objects.select_related("county").order_by("town_id"))
    all_important: list[Building] = []
    tallies: dict[int, Tally] = {}
    for town in towns:
        important = []
        years = []
        count = 0
        for building in Building.objects.filter(town=town).iterator():
            count += 1
            if building.year_built is not None:
                years.append(building.year_built)
            if is_important(building, criteria):
                important.append(building)
        all_important.extend(important)
        tallies[town.town_id] = _town_tally(count, years, important, criteria)
        if on_town:
            on_town(town)
    report = assemble(towns, tallies, criteria)
    return report if selection is None else report.only(selection.town_ids, selection.counties)


def _town_tally(count: int, years: list[int], important: list[Building],
                criteria: tuple) -> Tally:
    tally = Tally(criteria)
    tally.buildings = count
    tally.years.update(years)
    for building in important:
        tally.add_if_important(building)
    return tally
