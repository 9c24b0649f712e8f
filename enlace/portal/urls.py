"""URLs of the portal (urls half), under /portal/."""

from django.urls import URLPattern

app_name = "portal"
urlpatterns: list[URLPattern] = []
