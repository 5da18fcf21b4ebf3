from django.urls import include, path

urlpatterns = [path("", include("dashboard.urls"))]

handler400 = "dashboard.views.bad_request"
handler404 = "dashboard.views.not_found"
handler500 = "dashboard.views.server_error"
