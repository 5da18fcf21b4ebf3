"""An import that is killed or interrupted leaves the database exactly as it was."""

import csv
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from buildings.ingest.generator import generate
from buildings.postgres.connection import connection_url
from tests.assessor_files import HEADER
from tests.conftest import ROOT


def _checksum():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), md5(string_agg(b::text, '|' ORDER BY id)) "
                       "FROM buildings_building b")
        return cursor.fetchone()


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_an_interrupted_import_leaves_the_table_as_it_was(how, tmp_path, committed_db):
    generate(2_000, seed=1)
    before = _checksum()
    big = tmp_path / "big.csv"
    with big.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i in range(400_000):
            writer.writerow([f"K-{i}", "", 35 + i % 300, "101", 1950, 1000, 2, 1, 900, 5,
                             1, 1, 1, 3, 0.1, "1/2/2003", 5, "1 ELM ST", "", "", "", "", "",
                             2024])
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_assessor", str(big), "--replace"], cwd=ROOT,
        env={**os.environ, "DATABASE_URL": connection_url()},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not _copying() and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            time.sleep(0.05)
        assert _copying(), "the import never started its COPY"
        process.send_signal(how)
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode != 0
    assert _checksum() == before
    with connection.cursor() as cursor:  # the staging table went with the transaction
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'import_staging%%'")
        assert cursor.fetchone() == (0,)


def _copying() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT FROM pg_stat_activity "
                       "WHERE query LIKE 'COPY \"import_staging%%' AND pid <> pg_backend_pid())")
        return cursor.fetchone()[0]
