"""URLs of the portal (info_urls half), under /portal/."""

from django.urls import path

from . import info_views

app_name = "portal_info"
urlpatterns = [
    path("", info_views.home, name="home"),
    path("offices/", info_views.offices, name="offices"),
    path("offices/all/", info_views.directory, name="directory"),
    path("rights/", info_views.rights_index, name="rights"),
    path("rights/<slug:slug>/", info_views.rights_page, name="rights_page"),
    path("manifest.webmanifest", info_views.manifest, name="manifest"),
    path("sw.js", info_views.service_worker, name="service_worker"),
]
