from django.apps import AppConfig


class BuildingsConfig(AppConfig):
    name = "buildings"
    verbose_name = "Massachusetts buildings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from buildings.schema import checks  # noqa: F401  (registers the system check)
