"""The 351 cities and towns shipped in buildings/data/towns.csv."""

import csv
from pathlib import Path
from typing import NamedTuple

TOWNS_CSV = Path(__file__).parent / "data" / "towns.csv"


class TownRecord(NamedTuple):
    town_id: int
    name: str
    county: str
    population: int
    land_sq_mi: str


def read_towns(path: Path = TOWNS_CSV) -> list[TownRecord]:
    with path.open(newline="") as f:
        return [
            TownRecord(int(r["town_id"]), r["name"], r["county"], int(r["population_2020"]),
                       r["land_sq_mi"])
            for r in csv.DictReader(f)
        ]
