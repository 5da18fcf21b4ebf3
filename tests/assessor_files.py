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
