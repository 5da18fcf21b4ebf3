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
