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


def _path(rings: list[list[tuple[int, int]]]) -> str:
    parts = []
    for ring in rings:
        points = [ring[0]]
        for point in ring[1:]:
            if point != points[-1]:
                points.append(point)
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
    return TownShape(town_id, name, _path(rings), (min(xs), min(ys), max(xs), max(ys)))


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
