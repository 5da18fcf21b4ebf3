from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "buildings.dashboard"
    label = "dashboard"
    verbose_name = "Massachusetts buildings dashboard"
