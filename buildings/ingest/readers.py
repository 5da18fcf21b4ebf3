"""Reading what MassGIS publishes: the Level 3 assess table as CSV (plain or gzipped),
the assess .dbf, a per-town download ZIP, a file geodatabase (folder or zipped), or a
folder of any of these.

Each file becomes a Table: the MassGIS columns it has and an iterator of its
records as text, read lazily (never a whole file in memory). Problems that concern
one record travel with it (the import rejects that row); a file that cannot be
read at all raises UnusableInput before anything is loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import math
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from pathlib import Path

COLUMNS = ("prop_id", "loc_id", "town_id", "use_code", "year_built", "bld_area", "stories",
           "units", "res_area", "num_rooms", "bldg_val", "land_val", "other_val", "total_val",
           "lot_size", "ls_date", "ls_price", "site_addr", "city", "zip", "owner1", "zoning",
           "style", "fy")
REQUIRED = ("PROP_ID", "TOWN_ID", "USE_CODE")
# The assess table of a geodatabase: L3_ASSESS (statewide) or M###Assess (per town)
ASSESS_LAYER = re.compile(r"^(L3_ASSESS|M\d{3}Assess)$", re.IGNORECASE)
GDB_BATCH = 50_000  # rows per read from a geodatabase: Python memory stays flat
ASSESS_DBF = re.compile(r"(^|/)M\d{3}Assess[^/]*\.dbf$", re.IGNORECASE)

# As long a field as PostgreSQL's COPY reads (1 GB), so a file gives the same outcome
# whether COPY reads it (the fast path) or Python does: a long text is cut to its
# column and counted, a long PROP_ID rejects its row.
csv.field_size_limit(2**30 - 1)


class UnusableInput(ValueError):
    """A file that cannot be imported at all (missing, unreadable, required columns absent)."""


# ----------------------------------------------------------------------------- reading

Record = tuple[int, str | None, tuple]  # (line, problem, the values of Table.columns)


@dataclass
class Table:
    """One table: its name (for rejects), the MassGIS columns it has (lower-cased, in its
    order) and its records."""

    name: str
    columns: tuple[str, ...]
    records: Iterator[Record]
    raw: CopyStream | None = None  # the table as CSV that PostgreSQL may read by itself


@dataclass
class CopyStream:
    """A table as CSV bytes for COPY to parse by itself: the fast path of a clean file.

    `targets` names, for each CSV column in order, the staging column it goes to (None
    for a column the import does not use). With `header`, the first line is a header
    and a row's line number is its physical line, which only holds when no record
    spans lines: `rows` None means "count the lines and check". Otherwise `rows` is the
    number of records expected, numbered from 1."""

    targets: tuple[str | None, ...]
    encoding: str  # PostgreSQL's name for the bytes' encoding
    blocks: Callable[[], Iterator[bytes]]
    header: bool = True
    rows: int | None = None
    delimiter: str = ","


def _file_blocks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with _open_binary(path) as f:
        first = f.read(size)
        yield first[3:] if first.startswith(b"\xef\xbb\xbf") else first
        while block := f.read(size):
            yield block


# Python's codec names and PostgreSQL's, for the encodings assessor files come in
PG_ENCODINGS = {"utf-8": "UTF8", "cp1252": "WIN1252", "iso8859-1": "LATIN1",
                "ascii": "SQL_ASCII", "iso8859-15": "LATIN9"}


def _open_binary(path: Path):
    with path.open("rb") as raw:
        magic = raw.read(2)
    return (gzip.open if magic == b"\x1f\x8b" else open)(path, "rb")


def excerpt(text: str, limit: int = 60) -> str:
    """At most `limit` characters of some input, for an error message."""
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0")
    return text if len(text) <= limit else text[:limit] + f"... ({len(text):,} characters)"


def check_encoding(encoding: str) -> str:
    import codecs

    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise UnusableInput(f"unknown encoding {excerpt(encoding)!r}: name one Python knows, "
                            "e.g. utf-8, cp1252 or latin-1") from None


def importable_files(paths: list[Path]) -> list[Path]:
    """The files to import: each path as given, a folder as every importable file in it
    (recursively, sorted by name; a .gdb folder is one table, not a folder to search)."""
    files = []
    for path in paths:
        if path.is_dir() and not _is_gdb(path):
            found = sorted(p for p in path.rglob("*") if _importable(p)
                           and not any(_is_gdb(parent) for parent in p.parents))
            if not found:
                raise UnusableInput(f"{path}: a folder with no file to import (.csv, .csv.gz, "
                                    ".dbf, .zip, .gdb)")
            files += found
        else:
            files.append(path)
    return files


def _importable(path: Path) -> bool:
    name = path.name.lower()
    if _is_gdb(path):
        return True
    if not path.is_file():
        return False
    if name.endswith(".dbf"):  # an unpacked download: the assess table, not the lookups
        return bool(ASSESS_DBF.search(path.name))
    return name.endswith((".csv", ".csv.gz", ".zip"))


def _is_gdb(path: Path) -> bool:
    return path.name.lower().endswith(".gdb") and path.is_dir()


def read_records(path: Path, stack: ExitStack, encoding: str = "utf-8",
                 layer: str | None = None) -> Table:
    """The records of one file; checks the header first (and refuses it if unusable).
    What must live as long as the records (an unpacked member) is kept on `stack`.
    A geodatabase is known by its content (a .gdb folder, or a ZIP holding one), never
    by the name of the file."""
    name = path.name.lower()
    if _is_gdb(path):
        return _gdb_records(path, str(path), layer)
    if path.is_dir():
        raise UnusableInput(f"{path}: a folder, not a file")
    if not path.is_file():
        raise UnusableInput(f"{path}: no such file")
    if name.endswith(".zip"):
        return _zip_records(path, stack, encoding, layer)
    if layer is not None:
        raise UnusableInput(f"--layer names a table of a file geodatabase; {path} is not one")
    if name.endswith(".dbf"):
        return _dbf_records(path)
    return _csv_records(path, encoding)


def _zip_records(path: Path, stack: ExitStack, encoding: str, layer: str | None) -> Table:
    """A ZIP: a file geodatabase if it holds a .gdb folder (the statewide
    L3_ASSESS.gdb.zip, or a per-town M087_parcels_gdb.zip under any name), else a
    MassGIS per-town shapefile download (L3_SHP_M025_BELLINGHAM.zip): its assess table,
    M###Assess_*.dbf, with the .cpg that names its encoding; the other members (parcel
    shapes, the use-code lookup, ...) are ignored. The two members are unpacked into a
    temporary folder that is removed when the import ends."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnusableInput(f"{path}: not a readable ZIP file ({excerpt(str(exc), 120)})") from None
    with archive:
        names = archive.namelist()
        folders = sorted({m.group(1) for n in names
                          if (m := re.match(r"^(.*?\.gdb)(/|$)", n, re.IGNORECASE))})
        if len(folders) > 1:
            raise UnusableInput(f"{path}: more than one file geodatabase inside "
                                f"({excerpt(', '.join(folders), 200)}); unzip it and import "
                                "the one you want")
        if folders:
            return _gdb_records(path, f"/vsizip/{path.resolve()}/{folders[0]}", layer)
        if layer is not None:
            raise UnusableInput(f"--layer names a table of a file geodatabase; {path} holds "
                                "no .gdb folder")
        assess = [n for n in names if ASSESS_DBF.search(n)]
        if len(assess) != 1:
            shown = excerpt(", ".join(names), 200)
            what = "no" if not assess else "more than one"
            raise UnusableInput(f"{path}: {what} MassGIS assess table (M###Assess_*.dbf) "
                                f"inside (members: {shown})")
        member = assess[0]
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="assess-")))
        wanted = [member] + [n for n in names
                             if n.lower() == member[:-4].lower() + ".cpg"]
        try:
            for name in wanted:
                (folder / Path(name).name).write_bytes(archive.read(name))
        except (zipfile.BadZipFile, OSError, zlib.error, EOFError) as exc:
            raise UnusableInput(f"{path}: cannot unpack {member} "
                                f"({excerpt(str(exc), 120)})") from None
    return _dbf_records(folder / Path(member).name, name=f"{path.name}!{Path(member).name}")


def _assess_layer(path: Path, layers: list[str], layer: str | None) -> str:
    """The layer to import: the one named by --layer, else the one assess table."""
    shown = excerpt(", ".join(layers), 200)
    if layer is not None:
        if layer not in layers:
            raise UnusableInput(f"{path}: no layer {layer!r} (layers: {shown}); name one of "
                                "them with --layer")
        return layer
    found = [name for name in layers if ASSESS_LAYER.match(name)]
    if len(found) == 1:
        return found[0]
    if found:
        raise UnusableInput(f"{path}: more than one assess table ({', '.join(found)}); name "
                            "one with --layer")
    raise UnusableInput(f"{path}: no assess table (L3_ASSESS or M###Assess) among its layers "
                        f"({shown}); name one with --layer")


def _gdb_records(path: Path, source: str, layer: str | None) -> Table:
    """The assess table of a file geodatabase (`source`: the .gdb folder, or GDAL's
    /vsizip/ path to the one in a ZIP), through GDAL (pyogrio), read in batches of
    GDB_BATCH rows."""
    try:
        import pyogrio
        from pyogrio.errors import DataLayerError, DataSourceError
    except ImportError:
        raise UnusableInput("reading a file geodatabase needs the gdb extra: "
                            "pip install -e '.[gdb]' (it brings pyogrio and GDAL)") from None
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(source)]
        layer = _assess_layer(path, layers, layer)
        info = pyogrio.read_info(source, layer=layer)
    except (DataSourceError, DataLayerError, OSError) as exc:
        raise UnusableInput(f"{path}: not a readable file geodatabase "
                            f"({excerpt(str(exc), 120)})") from None
    names = [str(n) for n in info["fields"]]
    positions = _check_header(path, names)
    fields = [names[i] for i in positions]
    total = int(info["features"])
    raw = None
    if _has_pyarrow():
        raw = CopyStream(tuple(positions.values()), "UTF8",
                         partial(_gdb_csv_blocks, source, layer, fields), header=False,
                         rows=total)
    return Table(f"{path.name}!{layer}", tuple(positions.values()),
                 _gdb_rows(source, layer, fields, total), raw)


def _has_pyarrow() -> bool:
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


def _gdb_csv_blocks(source: str, layer: str, fields: list[str]) -> Iterator[bytes]:
    """The layer as CSV, batch by batch: GDAL's Arrow stream written by Arrow's CSV
    writer, both C++, so no value becomes a Python object. A whole number stored as a
    float is written without its ".0"."""
    import io

    import pyarrow.csv as arrow_csv
    from pyogrio.raw import open_arrow

    options = arrow_csv.WriteOptions(include_header=False)
    with open_arrow(source, layer=layer, columns=fields, read_geometry=False,
                    batch_size=GDB_BATCH, use_pyarrow=True) as (_, batches):
        for batch in batches:
            out = io.BytesIO()
            arrow_csv.write_csv(batch, out, options)
            yield out.getvalue()


def _gdb_rows(source: str, layer: str, fields: list[str], total: int) -> Iterator[Record]:
    from pyogrio.raw import read

    for start in range(0, total, GDB_BATCH):
        _, _, _, arrays = read(source, layer=layer, columns=fields, read_geometry=False,
                               skip_features=start, max_features=GDB_BATCH)
        columns = [[_gdb_text(v) for v in array.tolist()] for array in arrays]
        for offset, values in enumerate(zip(*columns, strict=True)):
            yield start + offset + 1, _nul_problem(values), _without_nul(values)


def _gdb_text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a BLD_AREA of 1234.0
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _nul_problem(values) -> str | None:
    return "a NUL byte in the record" if any(v and "\x00" in v for v in values) else None


def _without_nul(values) -> tuple:
    return tuple(v.replace("\x00", "") if v else v for v in values)


def _check_header(path: Path, names: list[str]) -> dict[int, str]:
    """Positions of the known columns; refuses a file without the required ones."""
    upper = [n.strip().upper() for n in names]
    missing = [r for r in REQUIRED if r not in upper]
    if missing:
        found = excerpt(", ".join(upper), 200) or "none"
        raise UnusableInput(f"{path}: required column{'s' if len(missing) > 1 else ''} "
                            f"{', '.join(missing)} missing (found: {found})")
    repeated = sorted({n for n in upper if n.lower() in COLUMNS and upper.count(n) > 1})
    if repeated:
        raise UnusableInput(f"{path}: the header names {', '.join(repeated)} more than once; "
                            "keep one column of each name")
    return {i: n.lower() for i, n in enumerate(upper) if n.lower() in COLUMNS}


def _open_text_lines(path: Path, encoding: str, bad_lines: dict[int, str]) -> Iterator[str]:
    """Decoded physical lines; a line that cannot be stored is noted in bad_lines, with why
    (bytes not valid in the encoding; a NUL, which PostgreSQL text cannot hold)."""
    with _open_binary(path) as f:
        for number, line in enumerate(f, start=1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if b"\x00" in line:
                bad_lines[number] = "a NUL byte in the record"
                line = line.replace(b"\x00", b"")
            try:
                yield line.decode(encoding)
            except UnicodeDecodeError:
                bad_lines[number] = f"bytes not valid {encoding}"
                yield line.decode(encoding, errors="replace")


DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def _delimiter(path: Path, encoding: str) -> str:
    """The delimiter of a CSV file, read off its header line: MassGIS writes commas, a
    spreadsheet saved in another locale semicolons, other tools tabs or bars. The one
    whose split of the header finds the required columns; else a comma, whose refusal
    then names the columns it lacks."""
    try:
        with closing(_open_text_lines(path, encoding, {})) as lines:
            first = next(lines, "")
    except (OSError, EOFError, zlib.error):
        return ","
    for delimiter in DELIMITERS:
        names = {n.strip().strip('"').upper() for n in first.rstrip("\r\n").split(delimiter)}
        if all(r in names for r in REQUIRED):
            return delimiter
    return ","


def _csv_records(path: Path, encoding: str) -> Table:
    bad_lines: dict[int, str] = {}
    delimiter = _delimiter(path, encoding)
    lines = _open_text_lines(path, encoding, bad_lines)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise UnusableInput(f"{path}: the file is empty") from None
    except (csv.Error, OSError, EOFError, zlib.error) as exc:
        raise UnusableInput(f"{path}: cannot read the header ({excerpt(str(exc), 120)}); "
                            "is it a CSV file?") from None
    if 1 in bad_lines:
        raise UnusableInput(f"{path}: the header line has {bad_lines[1]}; "
                            "is it a CSV file, and is --encoding right?")
    positions = _check_header(path, header)
    pg_encoding = PG_ENCODINGS.get(encoding)
    raw = None if pg_encoding is None else CopyStream(
        tuple(positions.get(i) for i in range(len(header))), pg_encoding,
        partial(_file_blocks, path), delimiter=delimiter)
    return Table(path.name, tuple(positions.values()),
                  _csv_rows(reader, list(positions), len(header), bad_lines), raw)


def _csv_rows(reader, indexes, width, bad_lines) -> Iterator[Record]:
    pick = itemgetter(*indexes)  # the known columns, at C speed
    nothing = (None,) * len(indexes)  # the values of a record that could not be read
    last_line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield last_line + 1, f"malformed record ({excerpt(str(exc), 120)})", nothing
            last_line = reader.line_num
            continue
        except (OSError, EOFError, zlib.error) as exc:  # a truncated or corrupt gzip stream
            yield last_line + 1, f"the file ends abruptly ({excerpt(str(exc), 120)})", nothing
            return
        first, last_line = last_line + 1, reader.line_num
        if not row or row == [""]:
            continue
        if len(row) == width:
            values, problem = pick(row), None
        else:
            values = tuple(row[i] if i < len(row) else None for i in indexes)
            problem = f"{len(row)} fields where the header has {width}"
            if last_line > first:
                problem += (f" (the record runs from line {first} to {last_line}:"
                            " an unclosed quote?)")
        if bad_lines:
            bad = next((bad_lines[n] for n in range(first, last_line + 1) if n in bad_lines),
                       None)
            problem = bad or problem
        yield first, problem, values


def _dbf_records(path: Path, name: str | None = None) -> Table:
    try:
        from dbfread import DBF
    except ImportError:
        raise UnusableInput("reading .dbf files needs the dbf extra: "
                            "pip install -e '.[dbf]' (it brings dbfread)") from None
    cpg = path.with_suffix(".cpg")  # shapefile downloads declare their encoding here
    encoding = cpg.read_text().strip() if cpg.is_file() else None
    try:
        table = DBF(str(path), encoding=encoding, char_decode_errors="surrogateescape",
                    load=False)
        if table.encoding == "ascii":  # no code page in the header: the common legacy one
            table.encoding = "cp1252"
        positions = _check_header(path, table.field_names)
    except (OSError, ValueError) as exc:
        raise UnusableInput(f"{path}: not a readable .dbf file ({exc})") from None
    fields = [table.field_names[i] for i in positions]
    return Table(name or path.name, tuple(positions.values()), _dbf_rows(table, fields))


def _dbf_rows(table, fields) -> Iterator[Record]:
    records = iter(table)
    number = 0
    while True:
        number += 1
        try:
            record = next(records)
        except StopIteration:
            return
        except ValueError as exc:
            yield number, f"malformed record ({excerpt(str(exc), 120)})", (None,) * len(fields)
            continue
        values = tuple(_dbf_text(record.get(name)) for name in fields)
        problem = None
        if any(v is not None and not _encodable(v) for v in values):
            problem = f"bytes not valid {table.encoding}"
            values = tuple(v.encode("utf-8", "replace").decode() if v else v for v in values)
        if _nul_problem(values):
            problem, values = _nul_problem(values), _without_nul(values)
        yield number, problem, values


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: a byte the encoding could not decode
        return False
    return True


def _dbf_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


