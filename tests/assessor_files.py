"""Small assessor files in the MassGIS layout, written for the import tests."""

import csv
import datetime as dt
import io
import struct
from pathlib import Path

HEADER = ["PROP_ID", "LOC_ID", "TOWN_ID", "USE_CODE", "YEAR_BUILT", "BLD_AREA", "STORIES",
          "UNITS", "RES_AREA", "NUM_ROOMS", "BLDG_VAL", "LAND_VAL", "OTHER_VAL", "TOTAL_VAL",
          "LOT_SIZE", "LS_DATE", "LS_PRICE", "SITE_ADDR", "CITY", "ZIP", "OWNER1", "ZONING",
          "STYLE", "FY"]


def row(prop_id="1-001", town_id="35", use_code="101", **fields) -> dict:
    values = dict.fromkeys(HEADER, "")
    values.update(PROP_ID=prop_id, TOWN_ID=town_id, USE_CODE=use_code)
    values.update({k.upper(): v for k, v in fields.items()})
    return values


def csv_text(rows: list[dict], header=HEADER, newline="\n") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator=newline,
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_csv(path: Path, rows: list[dict], **options) -> Path:
    path.write_bytes(csv_text(rows, **options).encode())
    return path


def write_dbf(path: Path, fields: list[tuple[str, str, int, int]], records: list[list]) -> Path:
    """A dBASE III table: fields are (name, type C/N/D, length, decimals)."""
    header_length = 32 + 32 * len(fields) + 1
    record_length = 1 + sum(f[2] for f in fields)
    today = dt.date.today()
    out = bytearray(struct.pack("<BBBBIHH20x", 3, today.year - 1900, today.month, today.day,
                                len(records), header_length, record_length))
    for name, kind, length, decimals in fields:
        out += struct.pack("<11sc4xBB14x", name.encode(), kind.encode(), length, decimals)
    out += b"\r"
    for record in records:
        out += b" "
        for (_, kind, length, _), value in zip(fields, record, strict=True):
            if value is None:
                text = b""
            elif kind == "D":
                text = value.strftime("%Y%m%d").encode()
            elif kind == "N":
                text = str(value).encode().rjust(length)
            else:
                text = value.encode("latin-1")
            out += text.ljust(length)[:length]
    out += b"\x1a"
    path.write_bytes(bytes(out))
    return path


# The assess table's fields as MassGIS publishes them: TOWN_ID an integer, USE_CODE text
# with leading zeros, YEAR_BUILT 0 for unknown, LS_DATE as YYYYMMDD text, areas and
# values as numbers (floats in a geodatabase).
MASSGIS_FIELDS = [("PROP_ID", "C", 20, 0), ("TOWN_ID", "N", 3, 0), ("USE_CODE", "C", 4, 0),
                  ("YEAR_BUILT", "N", 4, 0), ("BLD_AREA", "N", 9, 0), ("STORIES", "C", 6, 0),
                  ("LOT_SIZE", "N", 12, 4), ("LS_DATE", "C", 8, 0), ("SITE_ADDR", "C", 40, 0)]


def massgis_records(town_id: int, n: int = 3) -> list[list]:
    # USE_CODE: 903 (exempt, municipal), 0130 (mixed use: a leading zero to keep)
    return [[f"{town_id}-{i}", town_id, "0130" if i else "903", 0 if i == 2 else 1890 + i,
             1200 + i, "2", 0.25 * (i + 1), f"2019031{i}", f"{i} MAIN ST"] for i in range(n)]


def write_town_zip(folder: Path, town_id: int, town: str, n: int = 3) -> Path:
    """A MassGIS per-town download: L3_SHP_M###_TOWN.zip, the assess .dbf and its .cpg
    beside the parcel shapes and the use-code lookup table (which the import ignores)."""
    import zipfile

    code = f"M{town_id:03d}"
    dbf = write_dbf(folder / f"{code}Assess_CY25_FY26.dbf", MASSGIS_FIELDS,
                    massgis_records(town_id, n))
    path = folder / f"L3_SHP_{code}_{town.upper()}.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.write(dbf, dbf.name)
        z.writestr(f"{code}Assess_CY25_FY26.cpg", "UTF-8")
        z.writestr(f"{code}TaxPar_CY25_FY26.shp", b"\x00\x00\x27\x0a" + b"\x00" * 96)
        z.writestr(f"{code}TaxPar_CY25_FY26.dbf", b"not the assess table")
        z.writestr(f"{code}UC_LUT_CY25_FY26.dbf", b"the use-code lookup")
        z.writestr(f"{code}_LAYER_README.txt", "parcels")
    dbf.unlink()
    return path


def write_gdb(path: Path, towns: dict[int, int], layer: str = "L3_ASSESS") -> Path:
    """A file geodatabase whose assess table has the MassGIS field types (pyogrio writes
    OpenFileGDB); `towns` maps TOWN_ID to a number of rows."""
    import numpy as np
    from pyogrio.raw import write

    records = [r for town_id, n in towns.items() for r in massgis_records(town_id, n)]
    columns = list(zip(*records, strict=True))
    kinds = {"C": object, "N": np.float64}
    arrays = [np.array(column, dtype=np.int32 if name in ("TOWN_ID", "YEAR_BUILT")
                       else kinds[kind])
              for (name, kind, _, _), column in zip(MASSGIS_FIELDS, columns, strict=True)]
    write(str(path), None, arrays, [f[0] for f in MASSGIS_FIELDS], driver="OpenFileGDB",
          layer=layer, geometry_type=None)
    return path


# The assess table of a MassGIS per-town file geodatabase (M###_parcels_gdb.zip), as GDAL
# reads it from the published files: name, type, width, NOT NULL. The coded-value domain
# of LOT_UNITS (LOTUNITS_DOM) is not reproduced: pyogrio cannot write a domain, and GDAL
# reads the coded value itself, which is what the import sees either way.
TOWN_ASSESS_FIELDS = [
    ("PROP_ID", "string", 30, False), ("LOC_ID", "string", 18, True),
    ("BLDG_VAL", "int32", 0, False), ("LAND_VAL", "int32", 0, False),
    ("OTHER_VAL", "int32", 0, False), ("TOTAL_VAL", "int32", 0, False),
    ("FY", "int16", 0, True), ("LOT_SIZE", "float64", 0, True),
    ("LS_DATE", "string", 8, True), ("LS_PRICE", "int32", 0, True),
    ("USE_CODE", "string", 4, True), ("SITE_ADDR", "string", 80, True),
    ("ADDR_NUM", "string", 12, True), ("FULL_STR", "string", 60, True),
    ("LOCATION", "string", 60, True), ("CITY", "string", 25, False),
    ("ZIP", "string", 10, True), ("OWNER1", "string", 80, True),
    ("OWN_ADDR", "string", 80, True), ("OWN_CITY", "string", 25, True),
    ("OWN_STATE", "string", 2, True), ("OWN_ZIP", "string", 10, True),
    ("OWN_CO", "string", 30, True), ("LS_BOOK", "string", 16, True),
    ("LS_PAGE", "string", 14, True), ("REG_ID", "string", 15, True),
    ("ZONING", "string", 8, True), ("YEAR_BUILT", "int16", 0, True),
    ("BLD_AREA", "int32", 0, True), ("UNITS", "int16", 0, True),
    ("RES_AREA", "int32", 0, True), ("STYLE", "string", 20, True),
    ("STORIES", "string", 6, True), ("NUM_ROOMS", "int16", 0, True),
    ("LOT_UNITS", "string", 1, False), ("CAMA_ID", "int32", 0, False),
    ("TOWN_ID", "int16", 0, True),
]


def town_assess_row(town_id: int, prop_id: str, city: str, **values) -> dict:
    """One record of M###Assess: the NOT NULL fields filled, the rest null unless given."""
    record = dict.fromkeys(name for name, *_ in TOWN_ASSESS_FIELDS)
    record.update(PROP_ID=prop_id, BLDG_VAL=0, LAND_VAL=0, OTHER_VAL=0, TOTAL_VAL=0,
                  CITY=city.upper(), LOT_UNITS="A", CAMA_ID=0, TOWN_ID=town_id, FY=2025)
    record.update(values)
    return record


def write_town_gdb_zip(path: Path, town_id: int, rows: list[dict],
                       folder: str = "M{code}_parcels_CY25_FY25_sde.gdb") -> Path:
    """A MassGIS per-town file geodatabase download, structured as published: a ZIP (of
    any name) holding the folder M###_parcels_CY25_FY25_sde.gdb and M###_FGDB_L3Par.lyr;
    in the geodatabase M###TaxPar (multipolygon), M###Assess (no geometry, FID OBJECTID,
    the fields above), M###_LUT, M###OthLeg (multipolygon), M###UC_LUT, M###Misc
    (multipolygon)."""
    import shutil
    import tempfile
    import zipfile

    import numpy as np
    import pyarrow as pa
    import pyogrio
    from pyogrio.raw import write

    code = f"M{town_id:03d}"
    name = folder.format(code=f"{town_id:03d}")
    square = bytes.fromhex("0106000000010000000103000000010000000500000000000000000000000000"
                           "0000000000000000000000000000000000000000000000f03f000000000000f0"
                           "3f000000000000f03f000000000000f03f000000000000000000000000000000"
                           "0000000000000000")

    def shapes(gdb, layer, fields):
        arrays = [np.array([f"{town_id}-0"], dtype=object) for _ in fields]
        write(str(gdb), np.array([square], dtype=object), arrays, fields, layer=layer,
              driver="OpenFileGDB", geometry_type="MultiPolygon", crs="EPSG:26986")

    def lookup(gdb, layer, fields, values):
        columns = [np.array(column, dtype=object) for column in zip(*values, strict=True)]
        write(str(gdb), None, columns, fields, layer=layer, driver="OpenFileGDB",
              geometry_type=None)

    types = {"string": pa.string(), "int32": pa.int32(), "int16": pa.int16(),
             "float64": pa.float64()}
    schema = pa.schema([pa.field(field, types[kind], nullable=nullable,
                                 metadata={b"GDAL:OGR:width": str(width).encode()}
                                 if width else None)
                        for field, kind, width, nullable in TOWN_ASSESS_FIELDS])
    with tempfile.TemporaryDirectory() as work:
        gdb = Path(work) / name
        shapes(gdb, f"{code}TaxPar", ["MAP_PAR_ID", "LOC_ID"])
        pyogrio.write_arrow(pa.Table.from_pylist(rows, schema=schema), str(gdb),
                            layer=f"{code}Assess", driver="OpenFileGDB", append=False)
        lookup(gdb, f"{code}_LUT", ["LOT_UNITS", "DESCRIPTION"], [("A", "Acres")])
        shapes(gdb, f"{code}OthLeg", ["LEGAL_TYPE", "LOC_ID"])
        lookup(gdb, f"{code}UC_LUT", ["USE_CODE", "USE_DESC"], [("1010", "Single family")])
        shapes(gdb, f"{code}Misc", ["MISC_TYPE", "LOC_ID"])
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member in sorted(gdb.rglob("*")):
                archive.write(member, f"{name}/{member.relative_to(gdb)}")
            archive.writestr(f"{code}_FGDB_L3Par.lyr", b"\x00layer file for ArcMap\x00")
        shutil.rmtree(gdb)
    return path
