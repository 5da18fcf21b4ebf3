"""Print a Report: as a table for a terminal, as JSON, or as CSV (one row per town)."""

from __future__ import annotations

import csv
import io

from buildings.core.criteria import CRITERION_NAMES
from buildings.core.report import Report


def as_json(report: Report) -> str:
    return report.to_json() + "\n"


def as_csv(report: Report) -> str:
    out = io.StringIO()
    rows = [t.as_dict() for t in report.towns]
    header = [k for k in (rows[0] if rows else _town_keys()) if k != "largest_important"]
    header += ["largest_prop_id", "largest_site_addr", "largest_bld_area"]
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        largest = row.pop("largest_important") or {}
        row.update({f"largest_{k}": v for k, v in largest.items()})
        writer.writerow(row)
    return out.getvalue()


def _town_keys() -> list[str]:
    return ["town_id", "town", "county", "population", "buildings", "important",
            *CRITERION_NAMES, "important_pct", "important_floor_area", "median_year_built",
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


def _table(headers: list[str], rows: list[list[str]], left: int) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.ljust(w) if i < left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


AREA_HEADERS = ["area", "population", "buildings", "important", "%", *CRITERION_NAMES,
                "floor area (imp.)", "median year", "avg value (imp.)"]


def _area_cells(name: str, f) -> list[str]:
    return [name, _fmt(f.population), _fmt(f.buildings), _fmt(f.important),
            _fmt(f.important_pct, "pct"), *(_fmt(f.criteria[c]) for c in CRITERION_NAMES),
            _fmt(f.important_floor_area), _fmt(f.median_year_built, "year"),
            _fmt(f.avg_important_value)]


def as_table(report: Report) -> str:
    lines = ["Important buildings in Massachusetts", ""]
    areas = [_area_cells("Massachusetts", report.state)]
    areas += [_area_cells(c.county, c.figures) for c in report.counties]
    lines += _table(AREA_HEADERS, areas, left=1)
    lines += ["", f"Towns ({len(report.towns)})", ""]
    headers = ["id", "town", "county", "rank", "buildings", "important", "%", *CRITERION_NAMES,
               "median year", "avg value (imp.)", "per 1000", "largest important"]
    rows = []
    for t in report.towns:
        f = t.figures
        largest = t.largest_important
        rows.append([
            str(t.town_id), t.town, t.county, str(t.rank), _fmt(f.buildings), _fmt(f.important),
            _fmt(f.important_pct, "pct"), *(_fmt(f.criteria[c]) for c in CRITERION_NAMES),
            _fmt(f.median_year_built, "year"), _fmt(f.avg_important_value),
            _fmt(t.buildings_per_1000, "pct"),
            "-" if largest is None else f"{largest.prop_id} {largest.site_addr or ''} "
                                        f"({largest.bld_area:,} sq ft)".replace("  ", " "),
        ])
    lines += _table(headers, rows, left=3)
    if report.meta:
        lines += ["", f"mode {report.meta['mode']}: {report.meta['seconds']:.3f} s"]
    return "\n".join(lines) + "\n"


FORMATTERS = {"table": as_table, "json": as_json, "csv": as_csv}
