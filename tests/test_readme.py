"""The README says what the code does: its commands table names every command with
exactly the options its parser takes, and its map of the code names the folders; the
import's page of docs/ lists exactly the columns the reader takes, and its example
imports."""

import argparse
import pkgutil
import re

import pytest
from django.core.management import load_command_class
from django.core.management.base import BaseCommand

import buildings.management.commands
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()
IMPORT_DOC = (ROOT / "docs" / "import.md").read_text()  # the import's page of docs/
# Django's own commands, extended: the table lists the options it adds or the README uses
DJANGOS = {"makemigrations", "migrate", "runserver"}


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def table_rows() -> dict[str, str]:
    """{command: its synopsis} from the first cell of each row of the commands table."""
    rows = {}
    for line in section("Commands").splitlines():
        match = re.match(r"\| `([a-z_]+)( [^`]*)?`", line)
        if match:
            rows[match.group(1)] = line.split(" | ")[0].replace("\\|", "|")
    return rows


def parser_options(name: str) -> tuple[set[str], list[str]]:
    """The options and positional arguments a command's parser takes beyond Django's own
    (not those hidden from --help: how a cluster's coordinator runs a command on a
    shard, not for people)."""
    common = {a.dest for a in BaseCommand().create_parser("manage.py", "x")._actions}
    parser = load_command_class("buildings", name).create_parser("manage.py", name)
    options, positionals = set(), []
    for action in parser._actions:
        if action.dest in common or action.help == argparse.SUPPRESS:
            continue
        if action.option_strings:
            options.add(max(action.option_strings, key=len))
        else:
            positionals.append("|".join(action.choices) if action.choices
                               else action.metavar or action.dest)
    return options, positionals


COMMANDS = sorted(m.name for m in pkgutil.iter_modules(buildings.management.commands.__path__))


def test_the_table_lists_every_command():
    assert set(table_rows()) == set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_each_row_gives_the_options_its_parser_takes(name):
    synopsis = table_rows()[name]
    listed = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", synopsis))
    options, positionals = parser_options(name)
    if name in DJANGOS:
        assert listed <= options, f"{name}: {listed - options} are not options of it"
        return
    assert listed == options, (f"{name}: the README lists {sorted(listed - options)} that "
                               f"the parser lacks, and lacks {sorted(options - listed)}")
    for positional in positionals:
        assert positional in synopsis, f"{name}: the README does not show {positional}"


def test_the_code_map_names_the_folders_there_are():
    code_map = section("Map of the code")
    folders = {p.name for p in (ROOT / "buildings").iterdir()
               if p.is_dir() and (p / "__init__.py").exists()}
    named = set(re.findall(r"^[ \d]{1,10}([a-z_]+)/", code_map, re.MULTILINE)) - {
        "buildings", "tests", "docs"}
    assert folders == named, (f"in the map but not the code: {sorted(named - folders)}; in "
                              f"the code but not the map: {sorted(folders - named)}")


def import_columns_rows() -> dict[str, str]:
    """{MassGIS column: required?} from the import columns table of docs/import.md."""
    start = IMPORT_DOC.index("### The columns an import reads")
    rows = {}
    for line in IMPORT_DOC[start:IMPORT_DOC.index("\n## ", start)].splitlines():
        match = re.match(r"\| `([A-Z_0-9]+)` \| (yes|no) \|", line)
        if match:
            rows[match.group(1)] = match.group(2) == "yes"
    return rows


def test_the_import_columns_section_lists_exactly_what_the_reader_takes():
    from buildings.ingest.readers import COLUMNS, REQUIRED

    rows = import_columns_rows()
    assert set(rows) == {c.upper() for c in COLUMNS}
    assert {c for c, required in rows.items() if required} == set(REQUIRED)


def test_the_import_columns_example_imports_cleanly(manage, committed_db, tmp_path):
    from buildings.core.models import Building

    start = IMPORT_DOC.index("### The columns an import reads")
    example = IMPORT_DOC[IMPORT_DOC.index("```csv\n", start) + 7:]
    example = example[:example.index("```")]
    assert len(example.splitlines()) == 5
    (tmp_path / "towns.csv").write_text(example)
    result = manage("import_assessor", str(tmp_path / "towns.csv"))
    assert result.returncode == 0, result.stdout + result.stderr
    loaded = {b.prop_id: b for b in Building.objects.all()}
    assert sorted(loaded) == ["1-001", "1-002", "2-001", "2-002"]
    assert (loaded["1-001"].total_val, loaded["1-001"].town_id) == (650_000, 35)
    assert (loaded["1-002"].year_built, str(loaded["1-002"].stories)) == (None, "1.50")
    assert (loaded["2-001"].stories, loaded["2-002"].use_code) == (2.5, "031")
