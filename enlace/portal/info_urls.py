"""URLs of the portal (info_urls half), under /portal/."""

from django.urls import URLPattern

app_name = "portal_info"
urlpatterns: list[URLPattern] = []
