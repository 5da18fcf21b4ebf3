"""The Massachusetts building stock: counties, the 351 towns, and one row per assessed building."""

from django.db import models
from django.db.models import ExpressionWrapper

from buildings.core.criteria import CRITERIA, FIELDS, important_q

# what the important buildings' figures read: their areas, values and criteria fields
IMPORTANT_FIGURE_FIELDS = list(dict.fromkeys(("bld_area", "total_val", *FIELDS)))


class County(models.Model):
    name = models.CharField(max_length=20, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "counties"

    def __str__(self) -> str:
        return self.name


class Town(models.Model):
    """A city or town; `town_id` is MassGIS's TOWN_ID (1..351, alphabetical by historical name)."""

    town_id = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=40, unique=True)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="towns")
    population = models.PositiveIntegerField(help_text="2020 census")
    land_sq_mi = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["town_id"]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """One record of the MassGIS Level 3 assessor table (the fields an analysis uses).

    Nullable text fields store null, not '', for unknown: assessor exports distinguish
    "not recorded" from an empty value no more than we can, and null keeps that honest.
    """

    prop_id = models.CharField(max_length=40)
    loc_id = models.CharField(max_length=24, null=True)  # noqa: DJ001
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="buildings",
                             db_index=False)  # the (town, prop_id) unique index serves
    use_code = models.CharField(max_length=4, help_text="Massachusetts DOR property class")
    year_built = models.SmallIntegerField(null=True)
    stories = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    bld_area = models.IntegerField(null=True, help_text="gross square feet")
    res_area = models.IntegerField(null=True)
    units = models.IntegerField(null=True)
    num_rooms = models.IntegerField(null=True)
    bldg_val = models.BigIntegerField(null=True)
    land_val = models.BigIntegerField(null=True)
    other_val = models.BigIntegerField(null=True)
    total_val = models.BigIntegerField(null=True)
    lot_size = models.DecimalField(max_digits=12, decimal_places=4, null=True,
                                   help_text="acres")
    ls_date = models.DateField(null=True, help_text="last sale date")
    ls_price = models.BigIntegerField(null=True)
    site_addr = models.CharField(max_length=80, null=True)  # noqa: DJ001
    city = models.CharField(max_length=40, null=True)  # noqa: DJ001
    zip = models.CharField(max_length=10, null=True)  # noqa: DJ001
    owner1 = models.CharField(max_length=80, null=True)  # noqa: DJ001
    zoning = models.CharField(max_length=20, null=True)  # noqa: DJ001
    style = models.CharField(max_length=30, null=True)  # noqa: DJ001
    fy = models.SmallIntegerField(null=True, help_text="fiscal year of the assessment")
    # Stored by PostgreSQL from the criteria registry's condition, so an aggregate can
    # filter on one boolean instead of re-evaluating the OR of every criterion.
    is_important = models.GeneratedField(
        expression=ExpressionWrapper(important_q(), output_field=models.BooleanField()),
        output_field=models.BooleanField(null=True),
        db_persist=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["town", "prop_id"], name="building_town_prop_id_uniq"),
            # the views use year 0 for "unknown"; a real year is never 0
            models.CheckConstraint(condition=models.Q(year_built__gt=0),
                                   name="building_year_built_positive"),
        ]
        indexes = [
            models.Index(fields=["use_code"], name="building_use_code_idx"),
            # the medians: counts per (town, year) by an index-only scan
            models.Index(fields=["town", "year_built"], name="building_town_year_idx"),
            # the largest important building of a town: one probe of this partial index,
            # which holds what the report shows of it (an index-only scan: half the time
            # of 351 probes that each read the table's page)
            models.Index(fields=["town", "-bld_area", "id"], name="building_important_area_idx",
                         include=["prop_id", "site_addr"],
                         condition=models.Q(is_important=True, bld_area__isnull=False)),
            # the important buildings' figures per town: an index-only scan of the ~15% of
            # rows that are important, never the table (buildings/core/statement.py); in id
            # order within a town, for the keyset pages of a town's important buildings
            models.Index(fields=["town", "id"], include=IMPORTANT_FIGURE_FIELDS,
                         condition=models.Q(is_important=True),
                         name="building_important_cover_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.prop_id} {self.site_addr or ''}".strip()


class ViewState(models.Model):
    """One row: the data version the materialized views reflect, and when they were
    refreshed (refresh_views records the version it read)."""

    refreshed_version = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"views at data version {self.refreshed_version}"


class WriteSlot(models.Model):
    """The data version of the buildings is the sum of these 64 counters.

    A statement-level trigger (buildings/derived/sql/staleness/trigger.sql) bumps the
    slot of its backend on every write to the buildings, so writers on different
    connections never wait on one row; any committed write changes the sum.
    """

    slot = models.SmallIntegerField(primary_key=True)
    data_version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"slot {self.slot}: {self.data_version}"


class SummaryFigures(models.Model):
    """What adds up over buildings: the sums every figure of the report is made of.

    One count column per criterion is added below, from the criteria registry.
    """

    buildings = models.BigIntegerField(default=0)
    important = models.BigIntegerField(default=0)
    important_floor_area = models.BigIntegerField(default=0)
    important_value_sum = models.DecimalField(max_digits=30, decimal_places=0, default=0)
    important_value_n = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class Summary(SummaryFigures):
    """The live summary: the figures per (town, year built, null its own group), kept
    current by statement-level triggers on the buildings
    (buildings/derived/sql/live/triggers.sql)."""

    town_id = models.SmallIntegerField()
    year_built = models.SmallIntegerField(null=True)

    class Meta:
        db_table = "buildings_summary"
        constraints = [
            models.UniqueConstraint(fields=["town_id", "year_built"], nulls_distinct=False,
                                    name="summary_town_year_key"),
        ]

    def __str__(self) -> str:
        return f"town {self.town_id}, built {self.year_built or 'unknown'}: {self.buildings}"


class SummaryTown(SummaryFigures):
    """The live summary per town, with the town's median year built, kept by the same
    triggers: not recomputed but moved. The two middle positions of the town's known
    years are kept, each as a year and how many known years lie below it; a change of
    +-k at some years moves them by walking the few distinct years between the old
    and the new places (buildings_median_move in buildings/derived/sql/live/triggers.sql).
    The town row is the one every writer of the town locks already, so this costs
    no wait."""

    town_id = models.SmallIntegerField(primary_key=True)
    known = models.BigIntegerField(db_default=0)  # buildings of a known year (the settle
    # makes a town's row with its figures alone)
    low_year = models.SmallIntegerField(null=True)  # holds the ((known - 1) / 2)-th, from 0
    low_below = models.BigIntegerField(null=True)
    high_year = models.SmallIntegerField(null=True)  # holds the (known / 2)-th
    high_below = models.BigIntegerField(null=True)
    median_year_built = models.FloatField(null=True)  # (low_year + high_year) / 2

    class Meta:
        db_table = "buildings_summary_town"

    def __str__(self) -> str:
        return f"town {self.town_id}: {self.buildings}"


class SummaryPending(SummaryFigures):
    """A writing transaction's changes to the summary, until it commits.

    The summary's statement triggers only append here (no lock on any summary row);
    at commit one deferred trigger adds the transaction's net change to the summary,
    town rows first, each table in key order, so two writers never deadlock however
    many statements each runs. Unlogged: a row outlives no transaction.
    """

    xact = models.BigIntegerField(help_text="pg_current_xact_id() of the writer")
    town_id = models.SmallIntegerField()
    year_built = models.SmallIntegerField(null=True)

    class Meta:
        db_table = "buildings_summary_pending"
        indexes = [models.Index(fields=["xact"], name="summary_pending_xact")]

    def __str__(self) -> str:
        return f"transaction {self.xact}, town {self.town_id}: {self.buildings:+}"


class SummaryDue(models.Model):
    """One row per transaction with pending changes: its deferred constraint trigger
    fires once, at commit, and settles them (buildings/derived/sql/live/triggers.sql)."""

    xact = models.BigIntegerField(primary_key=True)

    class Meta:
        db_table = "buildings_summary_due"

    def __str__(self) -> str:
        return f"transaction {self.xact}"


class SummaryAreaYear(models.Model):
    """Buildings per known year for each county (level 1) and the state (level 2, county
    null): what their medians are read from."""

    level = models.SmallIntegerField()
    county = models.CharField(max_length=20, null=True)  # noqa: DJ001
    year_built = models.SmallIntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        db_table = "buildings_summary_area_year"
        constraints = [
            models.UniqueConstraint(fields=["level", "county", "year_built"],
                                    nulls_distinct=False, name="summary_area_year_key"),
        ]

    def __str__(self) -> str:
        return f"{self.county or 'Massachusetts'}, built {self.year_built}: {self.n}"


class SummaryArea(models.Model):
    """Each county's (level 1) and the state's (level 2, county null) anchor: the year
    their median was when the summary was last recounted. Writers never lock it; the
    live read walks from it to the median of today (buildings_area_median)."""

    level = models.SmallIntegerField()
    county = models.CharField(max_length=20, null=True)  # noqa: DJ001
    anchor_year = models.SmallIntegerField()

    class Meta:
        db_table = "buildings_summary_area"
        constraints = [
            models.UniqueConstraint(fields=["level", "county"], nulls_distinct=False,
                                    name="summary_area_key"),
        ]

    def __str__(self) -> str:
        return f"{self.county or 'Massachusetts'}: anchored at {self.anchor_year}"


class SummaryAreaSlot(models.Model):
    """Each county's and the state's count of known years, and of those below its
    anchor, in parts: one per writer slot (the backend's, as buildings_writeslot's),
    summed when read. One row for every writer of the state made every insert wait
    for the one before it to commit; a slot's row is only ever written by the writer
    that holds that slot's buildings_writeslot row already."""

    slot = models.SmallIntegerField()
    level = models.SmallIntegerField()
    county = models.CharField(max_length=20, null=True)  # noqa: DJ001
    known = models.BigIntegerField(default=0)
    below_anchor = models.BigIntegerField(default=0)

    class Meta:
        db_table = "buildings_summary_area_slot"
        constraints = [
            models.UniqueConstraint(fields=["slot", "level", "county"], nulls_distinct=False,
                                    name="summary_area_slot_key"),
        ]

    def __str__(self) -> str:
        return f"slot {self.slot}, {self.county or 'Massachusetts'}: {self.known} known"


class MeasuredRun(models.Model):
    """The last run of `compare` and of `benchmark`, as the /compare/ page draws it:
    the machine, and per number of buildings each target's summary (medians)."""

    kind = models.CharField(max_length=10, unique=True)  # "compare" or "benchmark"
    recorded_at = models.DateTimeField()
    machine = models.JSONField()
    sizes = models.JSONField(help_text="{buildings: {target: summary}}")

    def __str__(self) -> str:
        return f"{self.kind} of {self.recorded_at:%Y-%m-%d %H:%M}"


class Provenance(models.Model):
    """Where a town's buildings come from, written by the generator and the import in
    their own transactions, so every figure can say whether it describes real assessor
    records (which files, which fiscal years) or generated ones (which seed)."""

    class Origin(models.TextChoices):
        GENERATED = "generated"
        IMPORTED = "imported"
        MIXED = "mixed"  # imported rows added (without --replace) to generated ones

    town = models.OneToOneField(Town, on_delete=models.CASCADE, primary_key=True,
                                related_name="provenance")
    origin = models.CharField(max_length=9, choices=Origin.choices)
    seed = models.IntegerField(null=True, help_text="the generator's seed")
    files = models.TextField(null=True, help_text="the imported files, comma-separated")  # noqa: DJ001
    fy_min = models.SmallIntegerField(null=True, help_text="MassGIS FY of the imported rows")
    fy_max = models.SmallIntegerField(null=True)
    loaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.town_id}: {self.origin}"


class Placement(models.Model):
    """On a cluster's coordinator: which shard holds each town's buildings (the whole
    town, always on one shard). Empty on a single server and on the shards."""

    town = models.OneToOneField(Town, on_delete=models.CASCADE, primary_key=True,
                                related_name="placement")
    shard = models.CharField(max_length=31)

    class Meta:
        db_table = "buildings_placement"

    def __str__(self) -> str:
        return f"{self.town_id} on {self.shard}"


class ClusterDecision(models.Model):
    """On a coordinator: the two-phase commits it decided to commit. Written, and
    committed, after every shard prepared and before any commits; `cluster resolve`
    commits a prepared transaction whose id is here and rolls back any other."""

    gid = models.CharField(max_length=64, primary_key=True)
    what = models.TextField()
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "buildings_cluster_decision"

    def __str__(self) -> str:
        return f"{self.gid}: {self.what}"


for _criterion in CRITERIA:
    Summary.add_to_class(_criterion.name, models.BigIntegerField(default=0))
    SummaryTown.add_to_class(_criterion.name, models.BigIntegerField(default=0))
    SummaryPending.add_to_class(_criterion.name, models.BigIntegerField(default=0))
