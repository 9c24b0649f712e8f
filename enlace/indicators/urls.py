from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    # Public (no login).
    path("", views.region, name="region"),
    path("<str:chart>.csv", views.region_csv, name="region_csv"),
    path("<str:code>/", views.country, name="country"),
    path("<str:code>/<str:chart>.csv", views.country_csv, name="country_csv"),
]
