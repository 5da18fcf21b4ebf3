"""Fuzzing the import: seeded random damage to a valid file (bytes inserted, replaced or
deleted, truncation, gzip cut short). Whatever the damage, the import loads, rejects by
line, or refuses the file; it never raises anything else, and never half-writes."""

import gzip
import random

import pytest
from django.db import connection

from buildings.core.models import Building
from buildings.ingest.importer import import_files
from buildings.ingest.readers import UnusableInput
from tests.assessor_files import csv_text, row

pytestmark = pytest.mark.slow

ITERATIONS = 2_000
NASTY = [b"\r", b"\n", b"\r\n", b"\x00", b'"', b",", b"\xff", b"\xc3", b"\xef\xbb\xbf",
         b"\t", b" ", b"9", b"-", b".", b"e5", b"1/2", b"$", b"TOWN_ID"]


def clean_file() -> bytes:
    rows = [row(f"P{i}", town_id=str(1 + i % 351), use_code=f"{100 + i % 900}",
                year_built=str(1850 + i), stories="2 1/2", bld_area="1,200",
                lot_size="9.6e-01", ls_date="20190312", site_addr=f"{i} Main St",
                total_val="$350,000") for i in range(12)]
    return csv_text(rows).encode()


def damage(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        kind = rng.random()
        position = rng.randrange(len(data) + 1)
        if kind < 0.45:
            data[position:position] = rng.choice(NASTY)
        elif kind < 0.7 and data:
            data[min(position, len(data) - 1)] = rng.randrange(256)
        elif kind < 0.9:
            del data[position:position + rng.randint(1, 20)]
        else:
            del data[position:]
    return bytes(data)


def test_random_damage_loads_rejects_or_refuses_and_never_half_writes(committed_db, tmp_path):
    rng = random.Random(20261125)
    original = clean_file()
    outcomes = {"loaded": 0, "rejected": 0, "refused": 0}
    for i in range(ITERATIONS):
        data = damage(original, rng)
        path = tmp_path / f"f{i % 7}.csv"
        if i % 10 == 9:
            data = gzip.compress(data)[: rng.randrange(10, 200)]  # a cut-off download
        elif i % 10 == 8:
            data = damage(gzip.compress(data), rng)  # a corrupt one
        path.write_bytes(data)
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE buildings_building")
        try:
            summary = import_files([path])
        except UnusableInput as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 600, str(exc)
            assert not Building.objects.exists(), f"iteration {i}: refused, yet rows were written"
            outcomes["refused"] += 1
            continue
        assert summary.loaded == Building.objects.count(), f"iteration {i}"
        assert summary.read == summary.loaded + summary.rejected, f"iteration {i}"
        outcomes["rejected" if summary.rejected else "loaded"] += 1
    # the damage reaches every outcome, so each path above was exercised
    assert all(outcomes.values()), outcomes
