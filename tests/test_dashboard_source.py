"""Where the pages' figures come from (buildings/dashboard/freshness.py): reports kept per data
version, on committed data, as a served process sees them."""

import json

from django.db import transaction
from django.test import Client

from buildings.core.models import Building
from buildings.dashboard import freshness
from buildings.dashboard.kept import PAGES, forget
from tests import handmade


def test_a_kept_report_is_never_served_after_a_write(committed_db):
    """Reports and pages are kept per process under the data version: reused while
    nothing is written, dropped by a write, and a rolled-back write's figures never
    reach anyone."""
    handmade.load()
    forget()
    client = Client()

    def buildings() -> int:
        return json.loads(client.get("/report.json").content)["state"]["buildings"]

    assert buildings() == 72
    pages, reports = PAGES.hits, freshness._report.cache_info().hits
    assert buildings() == 72 and PAGES.hits == pages + 1  # the page kept
    assert client.get("/report.csv").status_code == 200
    assert freshness._report.cache_info().hits == reports + 1  # another page, the report kept
    Building.objects.filter(prop_id="B5").delete()
    assert buildings() == 71
    with transaction.atomic():
        Building.objects.filter(prop_id="B4").delete()
        assert buildings() == 70  # inside the writing transaction: its own figures
        transaction.set_rollback(True)
    assert buildings() == 71
