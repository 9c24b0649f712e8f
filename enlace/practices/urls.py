from django.urls import path

from . import views

app_name = "practices"
urlpatterns = [
    # Public (no login).
    path("", views.library, name="library"),
    path("<uuid:practice_id>/", views.public_detail, name="public_detail"),
    path("<uuid:practice_id>/ask/", views.ask, name="ask"),
    path(
        "<uuid:practice_id>/files/<uuid:attachment_id>/",
        views.public_attachment,
        name="public_attachment",
    ),
    # Staff.
    path("mine/", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("review/", views.review_queue, name="review_queue"),
    path("<uuid:practice_id>/manage/", views.manage, name="manage"),
    path("<uuid:practice_id>/edit/", views.edit, name="edit"),
    path("<uuid:practice_id>/submit/", views.submit, name="submit"),
    path("<uuid:practice_id>/review/", views.review, name="review"),
    path("<uuid:practice_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:practice_id>/manage/files/", views.attachment_upload, name="attachment_upload"),
    path(
        "<uuid:practice_id>/manage/files/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<uuid:practice_id>/manage/files/<uuid:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
