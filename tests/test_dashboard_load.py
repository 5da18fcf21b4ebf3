"""The bounded load check: 20 clients for 10 seconds against / and /report.json, on the
loopback, against gunicorn; every answer must be a 200. Its timings are printed, not
asserted (bench_pages measures them for docs/dashboard.md)."""

import pytest

from buildings.dashboard.bench import loadcheck

pytestmark = pytest.mark.slow


def test_twenty_clients_for_ten_seconds_get_no_error(served_site, capsys):
    result = loadcheck.run(served_site, ["/", "/report.json"], clients=20, seconds=10)
    assert result.errors == []
    assert all(len(v) >= 20 for v in result.latencies.values())  # every client got answers
    with capsys.disabled():
        print("\n" + "\n".join(result.lines()))


def test_the_load_check_stays_on_the_loopback():
    with pytest.raises(ValueError, match="loopback only"):
        loadcheck.run("http://192.0.2.1:8000", ["/"], clients=1, seconds=1)
