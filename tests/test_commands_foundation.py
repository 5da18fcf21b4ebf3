"""The generator command and the database connection, run as a user runs them."""

import pytest

from buildings.postgres.connection import masked, unreachable_message


def test_masked_hides_the_password():
    assert masked("postgres://ann:s3cret@db:5432/x") == "postgres://ann:***@db:5432/x"
    assert masked("postgres://ann@db/x") == "postgres://ann@db/x"


def test_unreachable_message_is_one_line_with_the_masked_url():
    line = unreachable_message("postgres://u:pw@localhost:1/db", OSError("refused\nmore"))
    assert "\n" not in line and "pw" not in line and "u:***@localhost:1" in line


def test_unreachable_server_gives_one_clear_line(manage):
    result = manage("migrate", env={"DATABASE_URL": "postgres://u:hunter2@127.0.0.1:9/none"})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach PostgreSQL" in lines[0]
    assert "hunter2" not in lines[0] and "127.0.0.1:9" in lines[0]


@pytest.mark.parametrize("bad", ["0", "-3", "many", "1.5"])
def test_generate_refuses_bad_n(manage, bad):
    result = manage("generate_buildings", "--buildings", bad)
    assert result.returncode == 2
    assert "positive integer" in result.stderr
    assert "Traceback" not in result.stderr
