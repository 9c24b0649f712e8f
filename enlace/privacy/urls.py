"""Data protection, under /privacy/: the office's rights requests and the breach register."""

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/<uuid:person_id>/", views.request_new, name="request_new"),
    path("requests/<uuid:rights_request_id>/", views.request_detail, name="request_detail"),
    path("requests/<uuid:rights_request_id>/answer/", views.request_answer, name="request_answer"),
    path(
        "requests/<uuid:rights_request_id>/rectified/",
        views.request_rectified,
        name="request_rectified",
    ),
    path(
        "requests/<uuid:rights_request_id>/anonymise/",
        views.request_anonymise,
        name="request_anonymise",
    ),
    path("requests/<uuid:rights_request_id>/reject/", views.request_reject, name="request_reject"),
    path("breaches/", views.breach_list, name="breach_list"),
    path("breaches/<uuid:breach_id>/notified/", views.breach_notified, name="breach_notified"),
]
