"""The Massachusetts building stock: counties, the 351 towns, and one row per assessed building."""

from django.db import models


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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["town", "prop_id"], name="building_town_prop_id_uniq"),
        ]
        indexes = [
            models.Index(fields=["use_code"], name="building_use_code_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.prop_id} {self.site_addr or ''}".strip()
