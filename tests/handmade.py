"""A tiny dataset whose every figure was worked out by hand (see the expected values)."""

from buildings.core.models import Building, Town

FIELDS = ("town_id", "prop_id", "use_code", "year_built", "stories", "bld_area", "total_val")


def _row(town_id, prop_id, use_code="101", year_built=2000, stories=2, bld_area=1000,
         total_val=100_000) -> tuple:
    return (town_id, prop_id, use_code, year_built, stories, bld_area, total_val)


ROWS = [
    # Boston (35): three important of five; B2 and B3 tie for the largest area.
    _row(35, "B1", year_built=1850, bld_area=2000, total_val=500_000),  # historic
    _row(35, "B2", "340", 1970, 10, 60_000, 12_000_000),  # large, tall, landmark
    _row(35, "B3", "903", 1920, 3, 60_000, None),  # large, civic
    _row(35, "B4", year_built=None, stories=None, bld_area=None, total_val=400_000),
    _row(35, "B5", year_built=1990, bld_area=1500, total_val=300_000),
    # Upton (303, population 8,000): one building matching every criterion;
    # 1000 * 1 / 8000 = 0.125 buildings per 1000 rounds half away from zero to 0.13.
    _row(303, "U1", "940", 1800, 8, 70_000, 20_000_000),
    # Cambridge (49): 64 buildings, 2 important: 3.125 % rounds to 3.13; their mean
    # value 2,000,000.5 rounds to 2,000,001; both have 3,000 sq ft: the lower id wins.
    *(_row(49, f"C{i:02d}") for i in range(62)),
    _row(49, "H1", year_built=1899, bld_area=3000, total_val=2_000_000),  # historic
    _row(49, "H2", "910", bld_area=3000, total_val=2_000_001),  # civic
    # Chilmark (62): nothing known but the use; the civic one is important.
    _row(62, "D1", year_built=None, stories=None, bld_area=None, total_val=None),
    _row(62, "D2", "920", None, None, None, None),
]


def site_addr(prop_id: str) -> str:
    return f"{prop_id} MAIN ST"


def load() -> None:
    towns = {t.pk: t for t in Town.objects.all()}
    for row in ROWS:
        values = dict(zip(FIELDS, row, strict=True))
        town = towns[values.pop("town_id")]
        Building.objects.create(town=town, site_addr=site_addr(values["prop_id"]), **values)


EMPTY = {"large": 0, "tall": 0, "historic": 0, "civic": 0, "landmark_value": 0}

TOWNS = {
    35: dict(town="Boston", county="Suffolk", population=675_647, buildings=5, important=3,
             large=2, tall=1, historic=1, civic=1, landmark_value=1, important_pct=60.0,
             important_floor_area=122_000, median_year_built=1945.0,
             avg_important_value=6_250_000,
             largest_important={"prop_id": "B2", "site_addr": "B2 MAIN ST", "bld_area": 60_000},
             buildings_per_1000=0.01, rank=1),
    49: dict(town="Cambridge", county="Middlesex", population=118_403, buildings=64,
             important=2, large=0, tall=0, historic=1, civic=1, landmark_value=0,
             important_pct=3.13, important_floor_area=6_000, median_year_built=2000.0,
             avg_important_value=2_000_001,
             largest_important={"prop_id": "H1", "site_addr": "H1 MAIN ST", "bld_area": 3_000},
             buildings_per_1000=0.54, rank=2),
    303: dict(town="Upton", county="Worcester", population=8_000, buildings=1, important=1,
              large=1, tall=1, historic=1, civic=1, landmark_value=1, important_pct=100.0,
              important_floor_area=70_000, median_year_built=1800.0,
              avg_important_value=20_000_000,
              largest_important={"prop_id": "U1", "site_addr": "U1 MAIN ST",
                                 "bld_area": 70_000},
              buildings_per_1000=0.13, rank=3),
    62: dict(town="Chilmark", county="Dukes", population=1_212, buildings=2, important=1,
             large=0, tall=0, historic=0, civic=1, landmark_value=0, important_pct=50.0,
             important_floor_area=0, median_year_built=None, avg_important_value=None,
             largest_important=None, buildings_per_1000=1.65, rank=3),
    # a town without buildings: ranked after the four above, 5th (competition ranking)
    1: dict(town="Abington", county="Plymouth", population=17_062, buildings=0, important=0,
            **EMPTY, important_pct=None, important_floor_area=0, median_year_built=None,
            avg_important_value=None, largest_important=None, buildings_per_1000=0.0, rank=5),
}

COUNTIES = {
    "Suffolk": dict(buildings=5, important=3, large=2, tall=1, historic=1, civic=1,
                    landmark_value=1, important_pct=60.0, important_floor_area=122_000,
                    median_year_built=1945.0, avg_important_value=6_250_000),
    "Middlesex": dict(buildings=64, important=2, large=0, tall=0, historic=1, civic=1,
                      landmark_value=0, important_pct=3.13, important_floor_area=6_000,
                      median_year_built=2000.0, avg_important_value=2_000_001),
    "Dukes": dict(buildings=2, important=1, **{**EMPTY, "civic": 1}, important_pct=50.0,
                  important_floor_area=0, median_year_built=None, avg_important_value=None),
    "Plymouth": dict(buildings=0, important=0, **EMPTY, important_pct=None,
                     important_floor_area=0, median_year_built=None, avg_important_value=None),
}

# 72 buildings, 7 important; known years: 1800 1850 1899 1920 1970 1990 and 63 x 2000,
# so the 35th of 69 is 2000; values 0.5M + 12M + 20M + 2M + 2,000,001 over 5 = 7,300,000.2.
STATE = dict(buildings=72, important=7, large=3, tall=2, historic=3, civic=4, landmark_value=2,
             important_pct=9.72, important_floor_area=198_000, median_year_built=2000.0,
             avg_important_value=7_300_000)
