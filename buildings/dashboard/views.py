"""The pages: the map and tables (/), a town (/towns/<id>/), the last measured run
(/compare/), and the report itself (/report.json, /report.csv).

Every figure comes from buildings/dashboard/freshness.py (the live summary when it is kept), so a
page reads a few thousand summary rows, never the buildings one by one; a town's
important buildings are read 50 at a time by keyset.
"""

from __future__ import annotations

import time
from dataclasses import replace
from functools import wraps

from django.core.exceptions import BadRequest
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from buildings.analysis import important, strategies
from buildings.analysis.formatters import FORMATTERS, as_counties_csv
from buildings.analysis.run import no_data_hint, stamped
from buildings.bench import stored_runs
from buildings.cluster import shards
from buildings.core.criteria import CRITERIA
from buildings.core.models import Placement, Town
from buildings.core.provenance import town_origin
from buildings.core.report import ratio
from buildings.core.selection import Selection
from buildings.core.whatif import counted_criteria
from buildings.dashboard import charts, freshness, metrics, params, shapes
from buildings.dashboard.kept import kept

TOWN_COUNT = 351  # the cities and towns of Massachusetts, as the migrations load them
NO_TOWN = "There is no town {}: MassGIS numbers the 351 towns 1 to 351."


def area_headers(names: tuple[str, ...]) -> list[str]:
    return ["population", "buildings", "important", "important %",
            *(name.replace("_", " ") for name in names), "median year built",
            "avg value (important)"]


def town_headers(names: tuple[str, ...]) -> list[str]:
    return ["town", "county", "rank", "population", "buildings", "important",
            "important %", "per 1,000 residents", "median year built",
            "avg value (important)", *(name.replace("_", " ") for name in names)]


def whatif_form(view):
    """The what-if panel's form, submitted: on to the same page with its criteria as
    one shareable ?criteria= (none when they are the stored ones), keeping `keep`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        text = params.panel_criteria(request.GET)
        if text is None:
            return view(request, *args, **kwargs)
        whatif = params.whatif([text])
        metric = request.GET.get("metric", "")
        kept_params = {"metric": metric if metric in
                       {m.key for m in metrics.metrics_for(whatif.criteria)} else ""}
        if not whatif.stored:
            kept_params["criteria"] = whatif.text
        return HttpResponseRedirect(request.path + params.query(kept_params))

    return wrapper


def _counted_by(given: dict):
    """(the criteria a page counts, its what-if or None): a what-if of the stored
    criteria is the stored page."""
    whatif = given.get("criteria")
    if whatif is not None and whatif.stored:
        whatif = None
    return counted_criteria(whatif), whatif


def _report_for(whatif, selection, fresh):
    if whatif is None:
        return freshness.report(selection, fresh)
    try:
        return freshness.whatif_report(whatif, selection, fresh)
    except strategies.StoredCriteriaOnly as exc:
        raise BadRequest(str(exc)) from exc


def _whatif_panel(whatif, criteria: tuple, path: str, keep: dict[str, str]) -> dict:
    """The what-if panel: a row per stored criterion (ticked and its threshold as the
    page counts them), the expression, and the way back to the stored criteria."""
    counted = {c.name: c for c in criteria}
    rows = [{"name": c.name, "label": c.name.replace("_", " "), "field": c.field,
             "op": whatif_symbol(c.lookup),
             "value": counted.get(c.name, c).value,  # a stored name keeps its field's test
             "checked": c.name in counted,
             "numeric": c.lookup != "startswith"} for c in CRITERIA]
    return {"whatif": whatif, "whatif_rows": rows,
            "whatif_text": whatif.text if whatif else "",
            "stored_url": path + params.query(keep), "whatif_keep": keep}


def whatif_symbol(lookup: str) -> str:
    return {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "startswith": "starts with"}[lookup]


@require_safe
@whatif_form
@kept
def index(request):
    given = params.read(request.GET, {
        "metric": params.text("metric"),
        "county": params.county,
        "q": params.text("q"),
        "criteria": params.whatif,
    })
    criteria, whatif = _counted_by(given)
    page_metrics = metrics.metrics_for(criteria)
    by_key = {m.key: m for m in page_metrics}
    if "metric" in given and given["metric"] not in by_key:
        raise BadRequest(f"metric={given['metric']!r} is not one of {', '.join(by_key)}.")
    report, fresh = _report_for(whatif, None, request.freshness)
    county = given.get("county", "")
    search = given.get("q", "")
    criteria_query = {"criteria": whatif.text if whatif else ""}
    towns_url = f"{reverse('dashboard:index')}towns/"
    towns = [{"id": t.town_id, "cells": _town_cells(t, towns_url, params.query(criteria_query)),
              "hidden": bool((county and t.county != county)
                             or (search and search.lower() not in t.town.lower()))}
             for t in report.towns]
    metric = by_key[given.get("metric", metrics.DEFAULT)]
    map_data = _map_data(report, page_metrics)
    shown = map_data["metrics"][list(by_key).index(metric.key)]
    names = report.criterion_names
    return render(request, "dashboard/index.html", {
        "report": report, "fresh": fresh, "headline": _headline(report.state),
        "criteria": criteria,
        **_whatif_panel(whatif, criteria, request.path, {"metric": given.get("metric", "")}),
        "criteria_query": params.query(criteria_query),
        "metrics": page_metrics, "metric": metric, "map": shapes.massachusetts(),
        "classes": dict(zip(map_data["ids"], shown["classes"], strict=True)),
        "values": dict(zip(map_data["ids"], shown["values"], strict=True)),
        "towns_url": towns_url,
        "county_borders": shapes.county_borders(
            tuple(sorted((t.town_id, t.county) for t in report.towns))),
        "towns_query": params.query({"county": county, "q": search, **criteria_query}),
        "counties_query": params.query({"rows": "counties", **criteria_query}),
        "legend": shown["legend"], "map_data": map_data,
        "area_headers": area_headers(names),
        "counties": [(c.county, _area_cells(c.figures)) for c in report.counties],
        "town_headers": town_headers(names), "towns": towns, "county": county,
        "search": search,
        "shown": sum(not t["hidden"] for t in towns),
    })


def _headline(state) -> list[tuple[str, str]]:
    f = metrics.formatted
    return [("buildings", f(state.buildings)),
            ("important buildings", f(state.important)),
            ("of all buildings are important", f(state.important_pct, "pct")),
            ("median year built", f(state.median_year_built, "year")),
            ("average assessed value of an important building",
             f(state.avg_important_value, "money")),
            ("square feet of important floor area", f(state.important_floor_area)),
            ("residents (2020 census)", f(state.population))]


def _area_cells(f) -> list[str]:
    fmt = metrics.formatted
    return [fmt(f.population), fmt(f.buildings), fmt(f.important),
            fmt(f.important_pct, "pct"), *(fmt(n) for n in f.criteria.values()),
            fmt(f.median_year_built, "year"), fmt(f.avg_important_value, "money")]


def _town_cells(t, towns_url: str, link_query: str = "") -> list[str]:
    fmt, f = metrics.formatted, t.figures
    link = format_html('<a href="{}{}/{}">{}</a>', towns_url, t.town_id, link_query, t.town)
    return [link, t.county, str(t.rank), fmt(f.population), fmt(f.buildings), fmt(f.important),
            fmt(f.important_pct, "pct"), fmt(t.buildings_per_1000, "ratio"),
            fmt(f.median_year_built, "year"), fmt(f.avg_important_value, "money"),
            *(fmt(n) for n in f.criteria.values())]


def _map_data(report, page_metrics: tuple = metrics.METRICS) -> dict:
    """For the page's script: per metric its legend, and each town's class and value."""
    ids = [t.town_id for t in report.towns]
    data = {"ids": ids, "metrics": []}
    for metric in page_metrics:
        values = {t.town_id: metric.value(t) for t in report.towns}
        classes = metrics.quantile_classes(values, metric)
        data["metrics"].append({
            "key": metric.key, "label": metric.label, "title": metric.legend_title,
            "legend": classes.legend,
            "classes": [classes.of[i] for i in ids],
            "values": [metric.text(values[i]) for i in ids],
        })
    return data


@require_safe
@whatif_form
@kept
def town(request, town_id: int):
    given = params.read(request.GET, {
        "criterion": params.text("criterion"),
        "address": params.text("address"),
        "after": params.building_id("after"),
        "before": params.building_id("before"),
        "criteria": params.whatif,
    })
    if "after" in given and "before" in given:
        raise BadRequest("give after or before, not both.")
    criteria, whatif = _counted_by(given)
    criterion = (params.criterion_of(given["criterion"], criteria)
                 if given.get("criterion") else None)
    neighbours = set(Town.objects.filter(county__towns=town_id).values_list("pk", flat=True))
    if not neighbours:  # a town is always in its own county
        raise Http404(NO_TOWN.format(town_id))
    selection = Selection(town_ids=frozenset([town_id]))
    report, fresh = _report_for(whatif, selection, request.freshness)
    row = report.towns[0]
    chosen = (criterion,) if criterion else criteria
    address = given.get("address") or None
    page = important.page(selection, chosen, important.Keyset(given.get("after"),
                                                              given.get("before")), address,
                          buildings_of(town_id))
    county = report.counties[0].figures
    listed = row.figures.criteria[criterion.name] if criterion else row.figures.important
    criteria_text = whatif.text if whatif else ""
    filters = params.query({"criterion": criterion.name if criterion else "",
                            "address": address or "", "criteria": criteria_text})
    county_shapes = [s for s in shapes.massachusetts().towns if s.town_id in neighbours]
    return render(request, "dashboard/town.html", {
        "town": row, "county": report.counties[0], "state": report.state, "fresh": fresh,
        "town_origin": town_origin(town_id),
        "rows": _figure_rows(row.figures, county, report.state, criteria),
        "page": page, "buildings": [_building(b) for b in page.rows],
        "largest": _largest(row.largest_important), "criteria": criteria,
        **_whatif_panel(whatif, criteria, request.path, {}),
        "criteria_query": params.query({"criteria": criteria_text}),
        "criterion": criterion,
        "listed_text": f"{listed:,}", "towns_total": TOWN_COUNT,
        "address": address or "", "filters": filters.lstrip("?"),
        "paged": "after" in given or "before" in given,
        "county_shapes": county_shapes, "county_box": shapes.view_box(county_shapes),
    })


def buildings_of(town_id: int) -> str:
    """The database alias that holds a town's buildings: this one, or on a cluster's
    coordinator the town's shard."""
    if not shards.configured():
        return "default"
    shard = Placement.objects.filter(town_id=town_id).values_list("shard", flat=True).first()
    return f"shard_{shard}" if shard else "default"


def _building(b: dict) -> dict:
    fmt = metrics.formatted
    stories = None if b["stories"] is None else f"{b['stories'].normalize():f}"
    return {"id": b["id"], "cells": [
        b["prop_id"], b["site_addr"] or "–", b["use_code"], fmt(b["year_built"], "year"),
        stories or "–", fmt(b["bld_area"]), fmt(b["total_val"], "money"),
        ", ".join(b["criteria"])]}


def _largest(largest) -> str | None:
    if largest is None:
        return None
    return f"{largest.site_addr or largest.prop_id} ({largest.bld_area:,} sq ft)"


def _figure_rows(town, county, state, criteria: tuple = CRITERIA
                 ) -> list[tuple[str, str, str, str]]:
    lines = [("population (2020 census)", "int", lambda f: f.population),
             ("buildings", "int", lambda f: f.buildings),
             ("buildings per 1,000 residents", "ratio",
              lambda f: ratio(f.buildings, f.population, 1000)),
             ("important buildings", "int", lambda f: f.important),
             ("important share", "pct", lambda f: f.important_pct),
             *((f"{c.name.replace('_', ' ')} ({c.description})", "int",
                lambda f, n=c.name: f.criteria[n]) for c in criteria),
             ("floor area of the important buildings (sq ft)", "int",
              lambda f: f.important_floor_area),
             ("median year built", "year", lambda f: f.median_year_built),
             ("average assessed value of the important", "money",
              lambda f: f.avg_important_value)]
    return [(label, *(metrics.formatted(get(f), kind) for f in (town, county, state)))
            for label, kind, get in lines]


@require_safe
def town_csv(request, town_id: int):
    given = params.read(request.GET, {"criterion": params.text("criterion"),
                                      "address": params.text("address"),
                                      "criteria": params.whatif})
    name = Town.objects.filter(pk=town_id).values_list("name", flat=True).first()
    if name is None:
        raise Http404(NO_TOWN.format(town_id))
    criteria, whatif = _counted_by(given)
    criterion = (params.criterion_of(given["criterion"], criteria)
                 if given.get("criterion") else None)
    chosen = (criterion,) if criterion else criteria
    suffix = (f"-{criterion.name}" if criterion else "") + ("-what-if" if whatif else "")
    response = StreamingHttpResponse(
        important.csv_blocks(chosen, Selection(town_ids=frozenset([town_id])),
                             given.get("address") or None, buildings_of(town_id)),
        content_type="text/csv; charset=utf-8")
    filename = f"{name.lower().replace(' ', '-')}-important{suffix}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def compare(request):
    params.read(request.GET, {})
    run = stored_runs.latest()
    measured = {name for targets in run.sizes.values() for name in targets} if run else set()
    return render(request, "dashboard/compare.html", {
        "run": run, "sizes": charts.of_run(run) if run else [],
        "with_naive": "naive" in measured,
    })


@require_safe
@kept
def report(request, format: str):
    given = params.read(request.GET, {"town": list, "county": list, "q": params.text("q"),
                                      "rows": params.choice("rows", ["counties"]),
                                      "criteria": params.whatif})
    _, whatif = _counted_by(given)
    if given.get("q"):  # the index page's filter: the towns it shows
        if "town" in given:
            raise BadRequest("give town or q, not both.")
        county = params.county(given["county"]) if "county" in given else None
        selection = params.matching_towns(given["q"], county)
    else:
        selection = params.selection_of(given.get("town", []), given.get("county", []))
    if not request.freshness.has_buildings:
        if format == "json":
            return JsonResponse({"error": no_data_hint()}, status=503)
        return HttpResponse(f"{no_data_hint()}\n", status=503, content_type="text/plain")
    started = time.perf_counter()
    result, fresh = _report_for(whatif, selection, request.freshness)
    result = stamped(result, fresh.mode if whatif is None else "sql",
                     time.perf_counter() - started, fresh.data_version, whatif)
    counties_only = given.get("rows") == "counties"  # the index page's county table
    text = (as_counties_csv(result) if counties_only and format == "csv"
            else FORMATTERS[format](replace(result, towns=[]) if counties_only else result))
    if format == "json":
        return HttpResponse(text, content_type="application/json")
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = "ma-buildings-counties" if counties_only else "ma-buildings-report"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def bad_request(request, exception):
    """A 400 with the sentence saying what is wrong: a page, or for the data endpoints
    what their clients read (JSON, or plain text beside CSV)."""
    message = str(exception)
    if request.path.endswith(".json"):
        return JsonResponse({"error": message}, status=400)
    if request.path.endswith(".csv"):
        return HttpResponse(f"{message}\n", status=400, content_type="text/plain")
    return render(request, "400.html", {"message": message}, status=400)


def not_found(request, exception):
    message = exception.args[0] if exception and exception.args and isinstance(
        exception.args[0], str) else f"Nothing is at {request.path}."
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)

