"""What the map can colour the towns by, and the quantile classes it colours them in.

The classes are computed here, once, for every metric; the page's script only
swaps them when the selector changes, so there is one definition of the classes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from buildings.analysis.formatters import number
from buildings.core.criteria import CRITERIA
from buildings.core.report import TownRow

CLASSES = 5


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    value: Callable[[TownRow], float | int | Decimal | None]
    kind: str = "int"  # how to write it: int, pct, year, money, ratio
    unit: str = "buildings"

    def text(self, value) -> str:
        return formatted(value, self.kind)

    @property
    def legend_title(self) -> str:
        """What the map's colours mean: the metric and its unit."""
        return (f"{self.label[0].upper()}{self.label[1:]} ({self.unit}), in quantile "
                "classes; county borders in dark grey")


def formatted(value, kind: str = "int") -> str:
    """A figure as the pages write it: as the terminal table does, with "–" for none."""
    return number(value, kind, missing="–")


def metrics_for(criteria: tuple) -> tuple[Metric, ...]:
    """The metrics of a report counted by `criteria` (the stored ones, or a what-if's)."""
    return (*COMMON, *(Metric(c.name, f"{c.name.replace('_', ' ')}: {c.description}",
                              lambda t, name=c.name: t.figures.criteria[name])
                       for c in criteria))


COMMON: tuple[Metric, ...] = (
    Metric("important_pct", "important share of buildings",
           lambda t: t.figures.important_pct, "pct", "% of the town's buildings"),
    Metric("buildings_per_1000", "buildings per 1,000 residents",
           lambda t: t.buildings_per_1000, "ratio", "per 1,000 residents of the 2020 census"),
    Metric("median_year_built", "median year built",
           lambda t: t.figures.median_year_built, "year", "year"),
    Metric("avg_important_value", "average assessed value of the important buildings",
           lambda t: t.figures.avg_important_value, "money", "US dollars"),
    Metric("important", "important buildings", lambda t: t.figures.important),
)
METRICS = metrics_for(CRITERIA)
BY_KEY = {m.key: m for m in METRICS}
DEFAULT = METRICS[0].key


@dataclass(frozen=True)
class Classes:
    of: dict[int, int | None]  # town id -> class 0..CLASSES-1, None without a value
    legend: list[str]  # one label per class used, lowest first


def quantile_classes(values: dict[int, float | None], metric: Metric) -> Classes:
    """Quantile classes: each cut leaves about 1/k of the values still unclassed below
    it (k the classes left). Equal values share a class, so a cut that would fall on
    the lowest remaining value moves up to the next distinct one: 300 towns at 0 and
    51 above make a class of the zeros and split the rest, not one class of all."""
    known = sorted(v for v in values.values() if v is not None)
    cuts, rest = [], known
    while len(cuts) < CLASSES - 1 and rest and rest[0] != rest[-1]:
        cut = rest[len(rest) // (CLASSES - len(cuts))]
        if cut == rest[0]:
            cut = next(v for v in rest if v > cut)
        cuts.append(cut)
        rest = [v for v in rest if v >= cut]

    def klass(value) -> int | None:
        return None if value is None else sum(value >= cut for cut in cuts)

    members: dict[int, list] = {}
    for v in known:
        members.setdefault(klass(v), []).append(v)
    legend = [metric.text(vs[0]) if vs[0] == vs[-1]
              else f"{metric.text(vs[0])} – {metric.text(vs[-1])}"
              for _, vs in sorted(members.items())]
    return Classes({town: klass(v) for town, v in values.items()}, legend)
