from django.urls import path

from . import alert_views, network_views, views, views_io

app_name = "trafficking"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_form, name="create"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/edit/", views.case_form, name="edit"),
    # Alerts and identity access requests (alert_views)
    path("alerts/", alert_views.alert_list, name="alerts"),
    path(
        "alerts/<uuid:alert_id>/acknowledge/",
        alert_views.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path(
        "<uuid:case_id>/access-request/",
        alert_views.access_request_create,
        name="access_request_create",
    ),
    path("access-requests/", alert_views.access_request_list, name="access_requests"),
    path(
        "access-requests/<uuid:request_id>/",
        alert_views.access_request_detail,
        name="access_request",
    ),
    path(
        "access-requests/<uuid:request_id>/revoke/",
        alert_views.access_request_revoke,
        name="access_request_revoke",
    ),
    # traf-io: HTCDS import and export, CTDC extract
    path("htcds/import/", views_io.htcds_import, name="htcds_import"),
    path("htcds/import/<uuid:job_id>/", views_io.htcds_import_job, name="htcds_import_job"),
    path("htcds/template/", views_io.htcds_template, name="htcds_template"),
    path("htcds/export/", views_io.htcds_export, name="htcds_export"),
    path(
        "htcds/export/<uuid:job_id>/download/",
        views_io.htcds_export_download,
        name="htcds_export_download",
    ),
    path("ctdc/", views_io.ctdc_extract, name="ctdc_extract"),
    path("network/", network_views.network_page, name="network"),
]
