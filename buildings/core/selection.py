"""Which towns and counties a report shows: --town and --county, resolved against the database."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import Q

from buildings.core.models import County, Town


class UnknownName(ValueError):
    """A town or county name that matches nothing; the message lists the close matches."""


@dataclass(frozen=True)
class Selection:
    town_ids: frozenset[int] | None = None
    counties: frozenset[str] | None = None

    @property
    def everything(self) -> bool:
        return self.town_ids is None and self.counties is None

    def q(self, town_id: str = "town_id", county: str = "town__county__name") -> Q:
        """The ORM filter for the selected towns and counties (field paths given)."""
        condition = Q(pk__in=[])
        if self.town_ids is not None:
            condition |= Q(**{f"{town_id}__in": self.town_ids})
        if self.counties is not None:
            condition |= Q(**{f"{county}__in": self.counties})
        return condition

    @classmethod
    def resolve(cls, towns: list[str] | None, county: str | None) -> Selection:
        town_ids = None
        if towns:
            by_name = {name.lower(): pk for pk, name in Town.objects.values_list("pk", "name")}
            town_ids = frozenset(_lookup(name, by_name, "town") for name in towns)
        counties = None
        if county:
            names = {name.lower(): name for name in County.objects.values_list("name", flat=True)}
            counties = frozenset([_lookup(county.removesuffix(" County").strip(), names,
                                          "county")])
        return cls(town_ids, counties)


def _lookup(name: str, table: dict, kind: str):
    key = name.strip().lower()
    if key in table:
        return table[key]
    close = difflib.get_close_matches(key, table, n=4, cutoff=0.6)
    hint = f"; did you mean {', '.join(k.title() for k in close)}?" if close else ""
    raise UnknownName(f"unknown {kind} {name!r}{hint}")
