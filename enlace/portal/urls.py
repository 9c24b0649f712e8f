"""URLs of the intake half of the portal, under /portal/: the public pages (ask, follow) and
the office's triage pages."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("ask/help/", views.ask_help, name="ask_help"),
    path("ask/tracing/", views.ask_tracing, name="ask_tracing"),
    path("follow/", views.follow, name="follow"),
    path("follow/act/", views.follow_act, name="follow_act"),
    path("triage/", views.triage_list, name="triage_list"),
    path("triage/retention/", views.triage_retention, name="triage_retention"),
    path("triage/<uuid:public_request_id>/", views.triage_detail, name="triage_detail"),
    path("triage/<uuid:public_request_id>/case/", views.triage_case, name="triage_case"),
    path("triage/<uuid:public_request_id>/tracing/", views.triage_tracing, name="triage_tracing"),
    path("triage/<uuid:public_request_id>/close/", views.triage_close, name="triage_close"),
    path("triage/<uuid:public_request_id>/forward/", views.triage_forward, name="triage_forward"),
]
