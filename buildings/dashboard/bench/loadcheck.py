"""A bounded load check: N clients, each requesting the given paths in turn as fast as
the server answers, for a fixed time, over the loopback only. Stops by itself."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    clients: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=dict)  # path -> seconds
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def p50(self, path: str) -> float:
        return statistics.median(self.latencies[path])

    def p95(self, path: str) -> float:
        values = self.latencies[path]
        return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]

    def lines(self) -> list[str]:
        out = [f"{self.clients} clients for {self.seconds:.0f} s: {self.requests:,} requests "
               f"({self.requests / self.seconds:,.1f}/s), {len(self.errors)} errors"]
        for path, values in self.latencies.items():
            out.append(f"  {path:<14} {len(values):>6,} requests  p50 {self.p50(path) * 1000:7.1f} "
                       f"ms  p95 {self.p95(path) * 1000:7.1f} ms")
        out += [f"  error: {e}" for e in self.errors[:5]]
        return out


def run(base_url: str, paths: list[str], clients: int = 20, seconds: float = 10) -> LoadResult:
    parts = urlsplit(base_url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"the load check runs on the loopback only, not {parts.hostname}")
    result = LoadResult(clients, seconds, {p: [] for p in paths})
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        i = offset
        while time.monotonic() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                problem = None if response.status == 200 else f"{path}: HTTP {response.status}"
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{path}: {type(exc).__name__}: {exc}"
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                if problem:
                    result.errors.append(problem)
                else:
                    result.latencies[path].append(elapsed)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result
