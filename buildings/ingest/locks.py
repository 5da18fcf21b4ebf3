"""The writers' lock order: the one rule that keeps bulk writers and refreshes from
deadlocking."""

from django.db import transaction
from django.db.utils import OperationalError

from buildings.core import sqlfiles

SQL = sqlfiles.Folder(__package__)


def lock_buildings(cursor, on_wait=None) -> None:
    """The first lock every writer of the buildings takes (the import, the generator).

    Writers meet on the buildings table and on their write slot (the staleness
    trigger bumps the slot of the writer's backend before each statement; a refresh
    reads the slots without locking them). A writer that took its slot first (by a
    DELETE that fires the trigger) and then the table (to drop indexes) could wait
    on a refresh reading the table while another writer of the same slot waits on
    it; so writers lock the table first, before anything else, in the strongest
    mode they will need. A writer that has to wait says so.
    """
    try:
        with transaction.atomic():  # a savepoint: a refused NOWAIT must not end the transaction
            cursor.execute(SQL.load("locks/lock_nowait.sql"))
    except OperationalError:
        if on_wait:
            on_wait("waiting for the buildings table: another import, generation or refresh "
                    "is using it")
        cursor.execute(SQL.load("locks/lock.sql"))
