"""`analyze --trace-memory`: what the process holds, town after town.

Each line sets RSS (what the operating system has given the process, a
high-water mark in practice) beside tracemalloc's current and peak (what Python
objects really hold now, and at most so far). See docs/memory.md.
"""

from __future__ import annotations

import tracemalloc

import psutil

MIB = 2**20


class MemoryTrace:
    def __init__(self, write):
        self.write = write
        self.process = psutil.Process()
        self.towns = 0
        tracemalloc.start()
        self.write(f"{'town':<26} {'RSS MiB':>9} {'heap now MiB':>13} {'heap peak MiB':>14}")

    def line(self, label: str) -> None:
        current, peak = tracemalloc.get_traced_memory()
        rss = self.process.memory_info().rss
        self.write(f"{label:<26} {rss / MIB:>9.1f} {current / MIB:>13.2f} {peak / MIB:>14.2f}")

    def town(self, town) -> None:
        self.towns += 1
        self.line(f"{town.town_id:>3} {town.name}")

    def finish(self, mode: str) -> None:
        if self.towns == 0:
            self.line(f"(all towns, {mode})")  # no per-town loop: one query for the state
        tracemalloc.stop()
