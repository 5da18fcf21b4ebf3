"""The /compare/ page's bar charts, laid out here and drawn as SVG by its template.

Times and heaps span four orders of magnitude (the naive loop's seconds against a
read of milliseconds), so those bars are on a log scale; peak RSS is linear.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from buildings.analysis import strategies
from buildings.bench.benchmark import REFERENCE_TARGETS
from buildings.bench.measure import REFRESH, SETUP

MIB = 2**20
BAR = 22  # height of a bar's row
LABEL = 170  # room for the target's name
LENGTH = 430  # the longest bar


@dataclass(frozen=True)
class Bar:
    label: str
    width: float
    y: int
    text: str
    strategy: bool  # a strategy (else a reference point)


@dataclass(frozen=True)
class Chart:
    title: str
    scale: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return BAR * len(self.bars) + 4


@dataclass(frozen=True)
class Size:
    buildings: int
    charts: list[Chart]

    @property
    def label(self) -> str:
        return f"{self.buildings:,}"


# title, summary key, scale, value, format, how a bar compares with the naive loop's
MEASURES = (
    ("time of the analysis", "seconds", "log", lambda s: s["seconds"], "{:,.3f} s",
     ("faster", "slower")),
    ("peak RSS of the process", "rss_peak", "linear", lambda s: s["rss_peak"] / MIB,
     "{:,.1f} MiB", None),  # mostly the interpreter and Django, the same for all
    ("peak of the Python heap (tracemalloc)", "heap_peak", "log",
     lambda s: None if s["heap_peak"] is None else s["heap_peak"] / MIB, "{:,.2f} MiB",
     ("smaller", "larger")),
)


def chart(title: str, scale: str, values: list[tuple[str, float]], fmt: str,
          against: float | None = None,
          compared: tuple[str, str] = ("smaller", "larger")) -> Chart:
    """Bars for (label, value); `against`: the naive loop's value, each other bar then
    says how many times better or worse (`compared`: faster or slower...) it is."""
    known = [v for _, v in values if v]
    top = max(known, default=1)
    low = min(known, default=1) / 2  # the smallest bar keeps some length

    def width(value: float) -> float:
        if not value:
            return 0
        if scale == "log":
            return LENGTH * math.log(value / low) / math.log(top / low) if top > low else LENGTH
        return LENGTH * value / top

    def text(label: str, value: float | None) -> str:
        if value is None:
            return "not traced"
        if against and value and label != "naive":
            better, worse = compared
            times, word = (against / value, better) if value <= against else (
                value / against, worse)
            times_text = f"{times:,.0f}" if times >= 10 else f"{times:.1f}"
            return f"{fmt.format(value)} · {times_text}× {word} than naive"
        return fmt.format(value)

    bars = [Bar(label, round(width(v or 0), 1), i * BAR, text(label, v), label in strategies.MODES)
            for i, (label, v) in enumerate(values)]
    return Chart(title, scale, bars)


def in_order(targets: dict[str, dict]) -> list[dict]:
    """The strategies from the naive loop down, then the reference points (jsonb keeps
    no order of its own)."""
    known = [*strategies.MODES, *REFERENCE_TARGETS, "pandas"]
    rank = {name: i for i, name in enumerate(known)}
    names = sorted((n for n in targets if n not in (SETUP, REFRESH)),
                   key=lambda n: (rank.get(n, len(known)), n))
    return [targets[n] for n in names]


def of_run(run) -> list[Size]:
    sizes = []
    for n, targets in sorted(run.sizes.items(), key=lambda item: int(item[0])):
        shown = in_order(targets)
        charts = []
        for title, key, scale, get, fmt, compared in MEASURES:
            values = [(t["target"], get(t)) for t in shown if t.get(key) is not None
                      or key == "heap_peak"]
            naive = dict(values).get("naive") if compared else None
            charts.append(chart(title, scale, values, fmt, naive, compared or ("", "")))
        sizes.append(Size(int(n), charts))
    return sizes
