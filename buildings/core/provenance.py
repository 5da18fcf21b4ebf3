"""Say where the figures come from: generated buildings (which seed) or MassGIS assessor
records (which files, which fiscal years), on every page, report and terminal table.

A generated Boston's "largest important building" is an invented address; presented
like a fact it misleads. The generator and the import record each town's origin in
`buildings_provenance`, in their own transactions; this module only reads it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Max, Min, Q

from buildings.core.models import Building, Provenance

Origin = Provenance.Origin


@dataclass(frozen=True)
class DataOrigin:
    """The origin of all the loaded buildings, in a few numbers and one sentence."""

    generated_towns: int
    imported_towns: int
    mixed_towns: int
    seeds: list[int]
    fy_min: int | None
    fy_max: int | None
    unrecorded: bool  # buildings loaded before origins were kept

    @property
    def description(self) -> str:
        if self.unrecorded:
            return "buildings of unrecorded origin (loaded before origins were kept)"
        generated = (f"generated buildings (seed {', '.join(map(str, self.seeds))}), "
                     "not real assessor records")
        imported = self.imported_towns + self.mixed_towns
        if not imported:
            return generated if self.generated_towns else "no buildings loaded"
        towns = f"{imported} town{'s' * (imported != 1)}"
        text = f"MassGIS assessor records of {towns}{_years(self.fy_min, self.fy_max)}"
        if self.mixed_towns:
            text += f" ({self.mixed_towns} of them beside generated buildings)"
        if self.generated_towns:
            text += f"; {self.generated_towns} towns {generated}"
        return text

    def as_dict(self) -> dict:
        return {**asdict(self), "description": self.description}


def _years(fy_min: int | None, fy_max: int | None) -> str:
    if fy_min is None:
        return ""
    return f", FY {fy_min}" if fy_min == fy_max else f", FY {fy_min}–{fy_max}"


def data_origin() -> DataOrigin:
    figures = Provenance.objects.aggregate(
        generated=Count("pk", filter=Q(origin=Origin.GENERATED)),
        imported=Count("pk", filter=Q(origin=Origin.IMPORTED)),
        mixed=Count("pk", filter=Q(origin=Origin.MIXED)),
        seeds=ArrayAgg("seed", distinct=True, filter=Q(seed__isnull=False), default=[]),
        fy_min=Min("fy_min"), fy_max=Max("fy_max"))
    recorded = figures["generated"] + figures["imported"] + figures["mixed"]
    return DataOrigin(figures["generated"], figures["imported"], figures["mixed"],
                      sorted(figures["seeds"]), figures["fy_min"], figures["fy_max"],
                      unrecorded=not recorded and Building.objects.exists())


def town_origin(town_id: int) -> str:
    """One town's origin, as a sentence."""
    found = Provenance.objects.filter(town_id=town_id).first()
    if found is None:
        return "no buildings loaded" if not Building.objects.filter(town_id=town_id).exists() \
            else "buildings of unrecorded origin"
    if found.origin == Origin.GENERATED:
        return f"generated buildings (seed {found.seed}), not real assessor records"
    text = f"MassGIS assessor records from {found.files}{_years(found.fy_min, found.fy_max)}"
    return text + (", beside generated buildings" if found.origin == Origin.MIXED else "")
