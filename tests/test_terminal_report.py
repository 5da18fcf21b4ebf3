"""The terminal table fits 120 columns at the widest figures Massachusetts can give, keeps
the largest building's id and address apart, and `--wide` shows every column."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from buildings.analysis.formatters import WIDTH, as_table, as_wide_table
from buildings.core.criteria import CRITERION_NAMES
from buildings.core.models import Town
from buildings.core.report import CountyRow, Figures, Largest, Report, TownRow
from buildings.ingest.generator import generate


def widest_figures(population: int) -> Figures:
    """Figures as wide as the state's could be: 9,999,999 buildings, all important."""
    n = 9_999_999
    return Figures(population=population, buildings=n, important=n,
                   criteria=dict.fromkeys(CRITERION_NAMES, n), important_pct=Decimal("100.00"),
                   important_floor_area=99_999_999_999, median_year_built=1899.5,
                   avg_important_value=999_999_999)


@pytest.mark.django_db
def test_the_widest_report_fits_120_columns_and_wide_shows_everything():
    towns = list(Town.objects.select_related("county").order_by("-name"))
    longest = max(towns, key=lambda t: len(t.name))
    address = "1234-1250 COMMONWEALTH AVENUE AND 1 BEACON STREET, UNIT PH-2 (REAR BUILDING)"
    rows = [TownRow(t.town_id, t.name, t.county.name, widest_figures(t.population),
                    Largest("P" * 40, address, 9_999_999), Decimal("99999.99"), 351)
            for t in towns]
    counties = sorted({t.county.name for t in towns})
    report = Report(widest_figures(7_029_917),
                    [CountyRow(c, widest_figures(1_600_000)) for c in counties], rows)
    narrow, wide = as_table(report).splitlines(), as_wide_table(report).splitlines()
    assert max(len(line) for line in narrow) <= WIDTH
    assert max(len(line) for line in wide) > WIDTH
    town_line = next(line for line in narrow if line.startswith(longest.name + " "))
    assert town_line.endswith("…") and "  1234-1250 COMM" in town_line
    assert "P" * 40 not in town_line  # the prop_id only in --wide
    wide_line = next(line for line in wide if f" {longest.name} " in line)
    assert re.search(rf"P{{40}} +9,999,999  {re.escape(address)}$", wide_line)  # apart
    header = next(line for line in narrow if line.startswith("town "))
    assert "largest ft²" in header and "largest: address" in header and "% imp." in header
    assert all(name in next(line for line in narrow if line.startswith("area "))
               for name in CRITERION_NAMES)


@pytest.mark.django_db
def test_analyze_prints_the_narrow_table_by_default_and_refuses_wide_json(tmp_path, capsys):
    generate(3_000, seed=9)
    call_command("analyze")
    printed = capsys.readouterr().out
    assert "Towns (351)" in printed
    assert max(len(line) for line in printed.splitlines()) <= WIDTH
    path = tmp_path / "wide.txt"
    call_command("analyze", "--wide", "--output", str(path), stderr=io.StringIO())
    assert "largest prop_id" in path.read_text()
    with pytest.raises(CommandError, match="--wide widens the table"):
        call_command("analyze", "--wide", "--format", "json")
