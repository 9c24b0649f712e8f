from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("export/", views.case_export, name="export"),
    path("export/<uuid:job_id>/download/", views.case_export_download, name="export_download"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<uuid:referral_id>/<str:step>/", views.referral_decide, name="referral_decide"),
    path(
        "attachments/<uuid:attachment_id>/", views.attachment_download, name="attachment_download"
    ),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/facts/", views.case_facts, name="facts"),
    path("<uuid:case_id>/summary.pdf", views.case_pdf, name="pdf"),
    path("<uuid:case_id>/edit/", views.case_edit, name="edit"),
    path("<uuid:case_id>/steps/<str:name>/", views.case_transition, name="transition"),
    path("<uuid:case_id>/detention/", views.case_detention, name="detention"),
    path("<uuid:case_id>/actions/", views.action_add, name="action_add"),
    path("<uuid:case_id>/notes/", views.note_add, name="note_add"),
    path("<uuid:case_id>/attachments/", views.attachment_add, name="attachment_add"),
    path("<uuid:case_id>/refer/", views.referral_create, name="refer"),
]
