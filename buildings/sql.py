"""The one loader of the SQL files in sql/."""

from functools import cache

from django.conf import settings


@cache
def load(name: str) -> str:
    """The text of sql/<name>."""
    return (settings.SQL_DIR / name).read_text()


def render(name: str, **fragments: str) -> str:
    """sql/<name> with the criteria filled in.

    Placeholders: {important} and {<criterion name>} (conditions on buildings_building),
    {criteria_counts} (one count per criterion), {criteria_sums} (the sum of each
    criterion's column), {criteria_coalesced} (each criterion's column, 0 for null) and
    {criteria_columns} (the column names); `fragments` fill the file's other placeholders.

    The conditions come from buildings.criteria, compiled by the ORM, so the SQL
    files never hold a second copy of what makes a building important.
    """
    from buildings.criteria import CRITERIA, sql_conditions

    conditions = sql_conditions()
    counts = ",\n       ".join(
        f'count(*) FILTER (WHERE {conditions[c.name]}) AS "{c.name}"' for c in CRITERIA
    )
    sums = ", ".join(f'sum("{c.name}")::bigint AS "{c.name}"' for c in CRITERIA)
    coalesced = ", ".join(f'coalesce("{c.name}", 0) AS "{c.name}"' for c in CRITERIA)
    columns = ", ".join(f'"{c.name}"' for c in CRITERIA)
    return load(name).format(criteria_counts=counts, criteria_sums=sums,
                             criteria_coalesced=coalesced, criteria_columns=columns,
                             **conditions, **fragments)
