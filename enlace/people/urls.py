from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("import/", views.import_upload, name="import"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
    path("import/<uuid:job_id>/", views.import_job, name="import_job"),
    path("import/<uuid:job_id>/run/", views.import_run, name="import_run"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/edit/", views.person_edit, name="edit"),
    path("<uuid:person_id>/photo/", views.person_photo, name="photo"),
    path("<uuid:person_id>/vulnerabilities/", views.vulnerability_add, name="vulnerability_add"),
    path(
        "<uuid:person_id>/vulnerabilities/<str:kind>/remove/",
        views.vulnerability_remove,
        name="vulnerability_remove",
    ),
    path("<uuid:person_id>/consents/", views.consent_add, name="consent_add"),
    path(
        "<uuid:person_id>/consents/<uuid:consent_id>/revoke/",
        views.consent_revoke,
        name="consent_revoke",
    ),
    path("<uuid:person_id>/documents/", views.document_add, name="document_add"),
]
