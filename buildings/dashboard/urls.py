from django.urls import path

from buildings.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("towns/<int:town_id>/", views.town, name="town"),
    path("towns/<int:town_id>/important.csv", views.town_csv, name="town_csv"),
    path("compare/", views.compare, name="compare"),
    path("report.json", views.report, {"format": "json"}, name="report_json"),
    path("report.csv", views.report, {"format": "csv"}, name="report_csv"),
]
