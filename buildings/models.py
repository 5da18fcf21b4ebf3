"""Django looks for an app's models here; they live with the rest of the core, in
buildings/core/models.py."""

from buildings.core.models import (
    Building,
    ClusterDecision,
    County,
    MeasuredRun,
    Placement,
    Provenance,
    Summary,
    SummaryArea,
    SummaryAreaSlot,
    SummaryAreaYear,
    SummaryDue,
    SummaryPending,
    SummaryTown,
    Town,
    ViewState,
    WriteSlot,
)

__all__ = ["Building", "ClusterDecision", "County", "MeasuredRun", "Placement", "Provenance",
           "Summary", "SummaryArea", "SummaryAreaSlot", "SummaryAreaYear", "SummaryDue",
           "SummaryPending", "SummaryTown", "Town", "ViewState", "WriteSlot"]
