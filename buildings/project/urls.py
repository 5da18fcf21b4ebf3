from django.urls import include, path

urlpatterns = [path("", include("buildings.dashboard.urls"))]

handler400 = "buildings.dashboard.views.bad_request"
handler404 = "buildings.dashboard.views.not_found"
handler500 = "buildings.dashboard.views.server_error"
