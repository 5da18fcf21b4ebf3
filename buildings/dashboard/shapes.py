"""The 351 towns as SVG paths, from the shipped MassGIS boundaries (data/README.md).

Projected once per process: longitude scaled by cos(42°) (an equirectangular
projection centred on Massachusetts, good to a few per cent across the state),
then to integer units of about 150 m, which the boundaries' 110 m simplification
does not go below. Each vertex is rounded in absolute units before the relative
steps are taken, so shared borders stay identical and no error accumulates.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BOUNDARIES = Path(__file__).resolve().parent / "data" / "ma_towns_simplified.geojson"
WIDTH = 2000  # map units across the state
SHRINK = math.cos(math.radians(42.0))


@dataclass(frozen=True)
class TownShape:
    town_id: int
    name: str
    d: str  # the SVG path data
    box: tuple[int, int, int, int]  # left, top, right, bottom in map units
    rings: tuple[tuple[tuple[int, int], ...], ...] = ()  # projected, repeated points dropped


@dataclass(frozen=True)
class Map:
    width: int
    height: int
    towns: tuple[TownShape, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"unexpected geometry {geometry['type']}")


def _numbers(values: list[int]) -> str:
    """Numbers as SVG path data writes them shortest: a minus sign separates too."""
    out = []
    for value in values:
        if out and value >= 0:
            out.append(" ")
        out.append(str(value))
    return "".join(out)


def _deduplicated(ring: list[tuple[int, int]]) -> list[tuple[int, int]]:
    points = [ring[0]]
    for point in ring[1:]:
        if point != points[-1]:
            points.append(point)
    return points


def _path(rings: list[list[tuple[int, int]]]) -> str:
    parts = []
    for points in map(_deduplicated, rings):
        if len(points) < 3:
            continue
        steps = []
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            steps += [x1 - x0, y1 - y0]
        parts.append(f"M{_numbers(list(points[0]))}l{_numbers(steps)}z")
    return "".join(parts)


def view_box(shapes, margin: int = 8) -> str:
    """The SVG viewBox around some towns (a county's, on a town's page)."""
    left = min(s.box[0] for s in shapes) - margin
    top = min(s.box[1] for s in shapes) - margin
    right = max(s.box[2] for s in shapes) + margin
    bottom = max(s.box[3] for s in shapes) + margin
    return f"{left} {top} {right - left} {bottom - top}"


def _shape(town_id: int, name: str, rings: list[list[tuple[int, int]]]) -> TownShape:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return TownShape(town_id, name, _path(rings), (min(xs), min(ys), max(xs), max(ys)),
                     tuple(tuple(_deduplicated(ring)) for ring in rings))


@cache
def massachusetts() -> Map:
    features = json.loads(BOUNDARIES.read_text())["features"]
    rings = {f["properties"]["town_id"]: _rings(f["geometry"]) for f in features}
    xs = [x * SHRINK for rs in rings.values() for r in rs for x, _ in r]
    ys = [y for rs in rings.values() for r in rs for _, y in r]
    left, top = min(xs), max(ys)
    scale = WIDTH / (max(xs) - left)

    def project(lon: float, lat: float) -> tuple[int, int]:
        return round((lon * SHRINK - left) * scale), round((top - lat) * scale)

    towns = tuple(
        _shape(f["properties"]["town_id"], f["properties"]["name"],
               [[project(lon, lat) for lon, lat in ring]
                for ring in rings[f["properties"]["town_id"]]])
        for f in sorted(features, key=lambda f: f["properties"]["town_id"])
    )
    return Map(WIDTH, math.ceil((top - min(ys)) * scale), towns)


@cache
def county_borders(county_of: tuple[tuple[int, str], ...]) -> str:
    """SVG path data of the borders between counties: the town edges whose two sides
    are towns of different counties (the towns' shared borders are identical, so an
    edge is found on both sides), chained into lines. `county_of`: (town id, county)."""
    county = dict(county_of)
    sides: dict[tuple, set[str]] = {}
    for shape in massachusetts().towns:
        for ring in shape.rings:
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                sides.setdefault((min(a, b), max(a, b)), set()).add(county[shape.town_id])
    neighbours: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for (a, b), counties in sides.items():
        if len(counties) > 1:
            neighbours.setdefault(a, []).append(b)
            neighbours.setdefault(b, []).append(a)
    lines, seen = [], set()
    for start in sorted(neighbours):
        for step in neighbours[start]:
            if (start, step) in seen:
                continue
            line, here, nxt = [start], start, step
            while True:  # along the border until it forks, ends or closes
                seen.update({(here, nxt), (nxt, here)})
                line.append(nxt)
                onward = [p for p in neighbours[nxt] if (nxt, p) not in seen]
                if len(neighbours[nxt]) != 2 or not onward:
                    break
                here, nxt = nxt, onward[0]
            steps = [v for p, q in zip(line, line[1:], strict=False)
                     for v in (q[0] - p[0], q[1] - p[1])]
            lines.append(f"M{_numbers(list(line[0]))}l{_numbers(steps)}")
    return "".join(lines)
