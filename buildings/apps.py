from django.apps import AppConfig


class BuildingsConfig(AppConfig):
    name = "buildings"
    verbose_name = "Massachusetts buildings"
    default_auto_field = "django.db.models.BigAutoField"
