"""Aggregates Django does not ship, in the manner of django.contrib.postgres.aggregates."""

from django.db.models import Aggregate, FloatField


class PercentileCont(Aggregate):
    """percentile_cont(fraction) WITHIN GROUP (ORDER BY expression): the continuous percentile.

    PercentileCont("year_built", 0.5) is the median, interpolating between the two
    middle values when their number is even. Nulls are ignored.
    """

    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction, **extra):
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError(f"fraction must be between 0 and 1, not {fraction}")
        super().__init__(expression, fraction=repr(fraction), **extra)


class Median(PercentileCont):
    def __init__(self, expression, **extra):
        super().__init__(expression, 0.5, **extra)
