"""Database functions Django does not ship, in the manner of django.db.models.functions."""

from django.db.models import DecimalField, Func


class Ratio(Func):
    """round(scale * numerator / denominator, 2) in exact numeric; null when denominator is 0.

    PostgreSQL's round(numeric) rounds halves away from zero, like the report requires.
    """

    output_field = DecimalField()

    def __init__(self, numerator, denominator, scale=100, **extra):
        self.scale = int(scale)
        super().__init__(numerator, denominator, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        (numerator, n_params), (denominator, d_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        return (f"round({self.scale}::numeric * {numerator} / NULLIF({denominator}, 0), 2)",
                (*n_params, *d_params))
