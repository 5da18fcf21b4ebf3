"""The best Python-side fixes people usually suggest, still computing in Python.

Only the fields the analysis needs (values_list), as plain named tuples instead
of model instances, fetched in chunks from a server-side cursor, nothing kept
after its town is done: the years go into a Counter, the important buildings
into running sums.
"""

from __future__ import annotations

from buildings.analysis.tally import Tally, assemble
from buildings.core.criteria import FIELDS
from buildings.core.models import Building, Town
from buildings.core.report import Report
from buildings.core.selection import Selection
from buildings.core.whatif import counted_criteria

CHUNK_SIZE = 5_000
COLUMNS = tuple(dict.fromkeys(("id", "prop_id", "site_addr", "bld_area", "total_val",
                               "year_built", *FIELDS)))


def analyze(selection: Selection | None = None, on_town=None, whatif=None) -> Report:
    criteria = counted_criteria(whatif)
    towns = list(Town.objects.select_related("county").order_by("town_id"))
    tallies: dict[int, Tally] = {}
    for town in towns:
        tally = Tally(criteria)
        rows = Building.objects.filter(town=town).values_list(*COLUMNS, named=True)
        for row in rows.iterator(chunk_size=CHUNK_SIZE):
            tally.add(row)
        tallies[town.town_id] = tally
        if on_town:
            on_town(town)
    report = assemble(towns, tallies, criteria)
    return report if selection is None else report.only(selection.town_ids, selection.counties)
