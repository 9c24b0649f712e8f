from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.recent, name="recent"),
    path("export.csv", views.export, name="export"),
    path("<str:record_type>/<str:record_id>/", views.history, name="history"),
]
