"""The one loader of the SQL files in sql/."""

from functools import cache

from django.conf import settings


@cache
def load(name: str) -> str:
    """The text of sql/<name>."""
    return (settings.SQL_DIR / name).read_text()


def render(name: str, **fragments: str) -> str:
    """sql/<name> with its placeholders filled.

    {criteria_sums} (the sum of each criterion's column), {criteria_coalesced}
    (each criterion's column, 0 for null) and {criteria_columns} (their names)
    come from buildings/criteria.py, so adding a criterion needs no SQL edit;
    `fragments` fill the file's other placeholders. A file must hold no other
    braces.
    """
    from buildings.criteria import CRITERIA

    sums = ", ".join(f'sum("{c.name}")::bigint AS "{c.name}"' for c in CRITERIA)
    coalesced = ", ".join(f'coalesce("{c.name}", 0) AS "{c.name}"' for c in CRITERIA)
    columns = ", ".join(f'"{c.name}"' for c in CRITERIA)
    return load(name).format(criteria_sums=sums, criteria_coalesced=coalesced,
                             criteria_columns=columns, **fragments)
