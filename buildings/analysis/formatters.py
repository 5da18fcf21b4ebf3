"""Print a Report: as a table for a terminal, as JSON, or as CSV (one row per town)."""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from buildings.core import hints
from buildings.core.report import Report


def as_json(report: Report) -> str:
    return report.to_json() + "\n"


def as_csv(report: Report) -> str:
    out = io.StringIO()
    rows = [t.as_dict() for t in report.towns]
    header = [k for k in (rows[0] if rows else _town_keys(report.criterion_names))
              if k != "largest_important"]
    header += ["largest_prop_id", "largest_site_addr", "largest_bld_area"]
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        largest = row.pop("largest_important") or {}
        row.update({f"largest_{k}": v for k, v in largest.items()})
        writer.writerow(row)
    return out.getvalue()


def as_counties_csv(report: Report) -> str:
    """The state and its counties (the dashboard's county table), one row each."""
    rows = [{"level": "state", "county": "", **report.state.as_dict()},
            *({"level": "county", **c.as_dict()} for c in report.counties)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _town_keys(criterion_names: tuple[str, ...]) -> list[str]:
    return ["town_id", "town", "county", "population", "buildings", "important",
            *criterion_names, "important_pct", "important_floor_area", "median_year_built",
            "avg_important_value", "largest_important", "buildings_per_1000", "rank"]


NUMBER_FORMATS = {
    "int": "{:,}",
    "fixed2": "{:.2f}",
    "ratio": "{:,.2f}",
    "pct": "{:.2f} %",
    "year": "{:g}",
    "money": "${:,}",
}


def number(value, kind: str = "int", missing: str = "-") -> str:
    """A figure as people read it (thousands separated, a year, dollars...); `missing`
    stands for None. The terminal table and the web pages both write figures so."""
    return missing if value is None else NUMBER_FORMATS[kind].format(value)


def _fmt(value, kind: str = "int") -> str:
    return number(value, "fixed2" if kind == "pct" else kind)


WIDTH = 120  # the terminal table fits this many columns unless --wide
CUT = "…"
GAP = "  "


@dataclass(frozen=True)
class Column:
    """A column of the terminal table. `keep`: the narrow table drops the columns with
    the highest `keep` first while it is wider than WIDTH (None: only with --wide);
    `text` columns are left-aligned, and the last one is cut (…) to fit."""

    header: str
    cell: Callable[[Any], str]
    keep: int | None = 0
    text: bool = False


def _fitted(columns: list[Column], items: list, wide: bool) -> list[str]:
    columns = [c for c in columns if wide or c.keep is not None]
    cells = [[c.cell(item) for c in columns] for item in items]
    widths = [max([len(c.header), *(len(row[i]) for row in cells)])
              for i, c in enumerate(columns)]
    while not wide and _total(widths[:-1] + [_narrowest(columns, widths)]) > WIDTH:
        droppable = range(len(columns) - 1 if columns[-1].text else len(columns))
        drop = max(droppable, key=lambda i: (columns[i].keep, i))
        if columns[drop].keep == 0:
            break  # nothing left to drop: the essentials are wider than WIDTH
        for row in (columns, widths, *cells):
            del row[drop]
    if not wide and columns[-1].text:
        widths[-1] = max(_narrowest(columns, widths),
                         min(widths[-1], WIDTH - _total(widths[:-1]) - len(GAP)))

    def line(row: list[str]) -> str:
        out = []
        for column, width, text in zip(columns, widths, row, strict=True):
            text = text if len(text) <= width else text[:width - 1] + CUT
            out.append(text.ljust(width) if column.text else text.rjust(width))
        return GAP.join(out).rstrip()

    return [line([c.header for c in columns]), line(["-" * w for w in widths]),
            *(line(row) for row in cells)]


def _narrowest(columns: list[Column], widths: list[int]) -> int:
    """How narrow the last column may get: a text column down to its header."""
    return len(columns[-1].header) if columns[-1].text else widths[-1]


def _total(widths: list[int]) -> int:
    return sum(widths) + len(GAP) * (len(widths) - 1)


def _figure(get, kind: str = "int") -> Callable[[Any], str]:
    return lambda item: _fmt(get(item), kind)


def _largest(get) -> Callable[[Any], str]:
    return lambda t: "-" if t.largest_important is None else get(t.largest_important)


def area_columns(criterion_names: tuple[str, ...]) -> list[Column]:
    """The area table: (name, figures) pairs. Headers carry units; criteria as the
    registry (or the what-if) names them."""
    return [*AREA_FIRST,
            *(Column(c, _figure(lambda a, c=c: a[1].criteria[c]), keep=2)
              for c in criterion_names),
            *AREA_LAST]


def town_columns(criterion_names: tuple[str, ...]) -> list[Column]:
    return [*TOWN_FIRST,
            *(Column(c, _figure(lambda t, c=c: t.figures.criteria[c]), keep=None)
              for c in criterion_names),
            *TOWN_LAST]


AREA_FIRST = [
    Column("area", lambda a: a[0], text=True),
    Column("population", _figure(lambda a: a[1].population), keep=None),
    Column("buildings", _figure(lambda a: a[1].buildings)),
    Column("important", _figure(lambda a: a[1].important)),
    Column("% imp.", _figure(lambda a: a[1].important_pct, "pct")),
]
AREA_LAST = [
    Column("imp. floor ft²", _figure(lambda a: a[1].important_floor_area), keep=None),
    Column("median year", _figure(lambda a: a[1].median_year_built, "year"), keep=1),
    Column("avg imp. $", _figure(lambda a: a[1].avg_important_value), keep=3),
]
TOWN_FIRST = [
    Column("id", lambda t: str(t.town_id), keep=None),
    Column("town", lambda t: t.town, text=True),
    Column("county", lambda t: t.county, keep=4, text=True),
    Column("rank", lambda t: str(t.rank), keep=None),
    Column("buildings", _figure(lambda t: t.figures.buildings)),
    Column("important", _figure(lambda t: t.figures.important)),
    Column("% imp.", _figure(lambda t: t.figures.important_pct, "pct")),
]
TOWN_LAST = [
    Column("median year", _figure(lambda t: t.figures.median_year_built, "year"), keep=2),
    Column("avg imp. $", _figure(lambda t: t.figures.avg_important_value), keep=None),
    Column("per 1k", _figure(lambda t: t.buildings_per_1000, "pct"), keep=1),
    Column("largest prop_id", _largest(lambda b: b.prop_id), keep=None, text=True),
    Column("largest ft²", _largest(lambda b: _fmt(b.bld_area)), keep=3),
    Column("largest: address", _largest(lambda b: b.site_addr or "-"), text=True),
]
LEGEND = [
    "% imp.: the share of buildings that are important; per 1k: buildings per "
    "1,000 residents;",
    "largest: the important building with the largest floor area; $ are assessed values. "
    "--wide shows every column.",
]


def as_table(report: Report, wide: bool = False) -> str:
    """The report for a terminal: 120 columns by default (the most useful columns, id and
    address apart, units in the headers); `wide` adds every other column."""
    lines = ["Important buildings in Massachusetts", "", *_whatif_lines(report)]
    areas = [("Massachusetts", report.state), *((c.county, c.figures) for c in report.counties)]
    lines += _fitted(area_columns(report.criterion_names), areas, wide)
    lines += ["", f"Towns ({len(report.towns)})", ""]
    lines += _fitted(town_columns(report.criterion_names), report.towns, wide)
    lines += ["", *LEGEND]
    if report.meta:
        lines += ["", f"mode {report.meta['mode']}: {report.meta['seconds']:.3f} s"]
        if "data" in report.meta:
            lines += textwrap.wrap(f"data: {report.meta['data']['description']}", WIDTH)
    return "\n".join(lines) + "\n"


def _whatif_lines(report: Report) -> list[str]:
    """What a what-if report counts, said first: these are not the stored criteria."""
    if "criteria" not in report.meta:
        return []
    return [*textwrap.wrap(f"what if important meant: {report.meta['criteria']} "
                           "(not the stored criteria; nothing was changed)", WIDTH), ""]


def as_wide_table(report: Report) -> str:
    return as_table(report, wide=True)


SUMMARY_TOWNS = 5


def as_summary(report: Report) -> str:
    """The first screen after `make run`: the state and its counties, the towns with the
    most important buildings, and where the rest is."""
    lines = ["Important buildings in Massachusetts", "", *_whatif_lines(report)]
    areas = [("Massachusetts", report.state), *((c.county, c.figures) for c in report.counties)]
    lines += _fitted(area_columns(report.criterion_names), areas, False)
    top = sorted(report.towns, key=lambda t: (-t.figures.important, t.town))[:SUMMARY_TOWNS]
    lines += ["", f"The {len(top)} towns with the most important buildings "
                  f"(of {len(report.towns)})", ""]
    lines += _fitted(town_columns(report.criterion_names), top, False)
    if report.meta:
        lines += ["", f"mode {report.meta['mode']}: {report.meta['seconds']:.3f} s"]
    lines += ["", f"every town: `{hints.command('analyze')}` (or --format csv, json); "
                  "the pages and the map: `make serve`",
              f"next: `{hints.command('compare --refresh')}` measures the naive loop against "
              "the SQL (minutes);",
              f"      `{hints.command('import_assessor FILE --replace')}` loads the real "
              "MassGIS tables (docs/import.md)"]
    return "\n".join(lines) + "\n"


FORMATTERS = {"table": as_table, "json": as_json, "csv": as_csv, "summary": as_summary}
