"""Django looks for an app's models here; they live with the rest of the core, in
buildings/core/models.py."""

from buildings.core.models import (
    Building,
    County,
    MeasuredRun,
    Provenance,
    Summary,
    SummaryAreaYear,
    SummaryTown,
    Town,
    ViewState,
)

__all__ = ["Building", "County", "MeasuredRun", "Provenance", "Summary", "SummaryAreaYear",
           "SummaryTown", "Town", "ViewState"]
