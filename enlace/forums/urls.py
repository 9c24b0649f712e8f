from django.urls import path

from . import views

app_name = "forums"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.forum_create, name="forum_create"),
    path("commitments/", views.commitments, name="commitments"),
    path(
        "commitments/<str:code>/<str:country>/",
        views.commitment_status,
        name="commitment_status",
    ),
    path("<uuid:forum_id>/", views.forum_detail, name="forum"),
    path("<uuid:forum_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<uuid:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:meeting_id>/items/new/", views.item_create, name="item_create"),
    path("items/<uuid:agenda_item_id>/", views.item_detail, name="item"),
    path(
        "items/<uuid:agenda_item_id>/positions/<str:country>/",
        views.position_edit,
        name="position_edit",
    ),
    path(
        "items/<uuid:agenda_item_id>/positions/<str:country>/<str:step>/",
        views.position_step,
        name="position_step",
    ),
    path("items/<uuid:agenda_item_id>/regional/", views.regional_edit, name="regional_edit"),
    path(
        "items/<uuid:agenda_item_id>/regional/<str:step>/",
        views.regional_step,
        name="regional_step",
    ),
    path(
        "items/<uuid:agenda_item_id>/endorsements/<str:country>/",
        views.endorse,
        name="endorse",
    ),
    path("items/<uuid:agenda_item_id>/comments/<str:country>/", views.comment, name="comment"),
]
