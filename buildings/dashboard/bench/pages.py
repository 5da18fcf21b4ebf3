"""What `bench_pages` measures: each page's server-side time and the map page's weight.

Server-side time is the Django handler from request to the last byte of the body,
in this process (no network, no gzip), the median of many requests after a
warm-up: "cold" with the process's kept reports and pages dropped before each
request (as after every write to the buildings), "warm" with them kept. The weight
is what a browser downloads for / uncompressed (the page with its inline map, and
the files it links), and gzipped.
"""

from __future__ import annotations

import gzip
import re
import statistics
import time
from dataclasses import dataclass

from django.test import Client

from buildings.dashboard import kept

PAGES = ("/", "/towns/35/", "/towns/35/?criterion=historic", "/compare/", "/report.json",
         "/report.csv",
         # a what-if: counted from the buildings on every cold request (no stored figure)
         "/?criteria=large:40000,tall,historic:1850", "/towns/35/?criteria=civic+and+tall")


@dataclass(frozen=True)
class PageTime:
    path: str
    cold_ms: float  # median
    cold_p95_ms: float
    warm_ms: float  # median
    bytes: int


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _times(client: Client, path: str, repeat: int, warmup: int, cold: bool):
    times, size = [], 0
    for i in range(warmup + repeat):
        if cold:
            kept.forget()
        started = time.perf_counter()
        response = client.get(path)
        size = len(_body(response))
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        if i >= warmup:
            times.append(time.perf_counter() - started)
    return [t * 1000 for t in times], size


def render_times(paths=PAGES, repeat: int = 30, warmup: int = 3) -> list[PageTime]:
    client = Client(HTTP_HOST="localhost")
    results = []
    for path in paths:
        cold, size = _times(client, path, repeat, warmup, cold=True)
        warm, _ = _times(client, path, repeat, warmup, cold=False)
        results.append(PageTime(path, statistics.median(cold),
                                statistics.quantiles(cold, n=20)[18],
                                statistics.median(warm), size))
    return results


@dataclass(frozen=True)
class Weight:
    parts: dict[str, int]  # URL -> bytes, uncompressed
    gzipped: int

    @property
    def total(self) -> int:
        return sum(self.parts.values())


def weight(path: str = "/") -> Weight:
    client = Client(HTTP_HOST="localhost")
    page = _body(client.get(path))
    parts, gzipped = {path: len(page)}, len(gzip.compress(page))
    for url in re.findall(rb'(?:href|src)="(/static/[^"]+)"', page):
        body = _body(client.get(url.decode()))
        parts[url.decode()] = len(body)
        gzipped += len(gzip.compress(body))
    return Weight(parts, gzipped)
