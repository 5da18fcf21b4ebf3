"""The figures read from the materialized views (sql/views/), refreshed by refresh_views.

Reading 366 precomputed rows costs milliseconds; the price is paid at refresh
time, and the figures are only as fresh as the last refresh (see staleness).
"""

from __future__ import annotations

from django.forms.models import model_to_dict

from buildings.criteria import CRITERION_NAMES
from buildings.matviews import NotRefreshed, staleness
from buildings.models import AreaFigures, TownFigures
from buildings.report import CountyRow, Figures, Largest, Report, TownRow
from buildings.selection import Selection

FIGURES = ("population", "buildings", "important", *CRITERION_NAMES, "important_pct",
           "important_floor_area", "median_year_built", "avg_important_value")


def analyze(selection: Selection | None = None, on_town=None) -> Report:
    if not staleness().refreshed:
        raise NotRefreshed("the materialized views have never been refreshed: "
                           "run `python manage.py refresh_views` first")
    towns = TownFigures.objects.order_by("town_id")
    areas = AreaFigures.objects.all()
    if selection is not None and not selection.everything:
        towns = towns.filter(selection.q(county="county"))
    town_rows = [_town_row(t) for t in towns]
    state, counties = None, []
    for area in sorted(areas, key=lambda a: (a.county is not None, a.county or "")):
        figures = Figures.of(model_to_dict(area, fields=FIGURES))
        if area.county is None:
            state = figures
        else:
            counties.append(CountyRow(area.county, figures))
    report = Report(state, counties, town_rows)
    return report if selection is None else report.only(selection.town_ids, selection.counties)


def _town_row(t: TownFigures) -> TownRow:
    largest = (None if t.largest_prop_id is None
               else Largest(t.largest_prop_id, t.largest_site_addr, t.largest_bld_area))
    return TownRow(
        town_id=t.town_id,
        town=t.town_name,
        county=t.county,
        figures=Figures.of(model_to_dict(t, fields=FIGURES)),
        largest_important=largest,
        buildings_per_1000=t.buildings_per_1000,
        rank=t.rank,
    )
