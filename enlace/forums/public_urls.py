"""The forums' public pages (no login): mounted at /public/forums/."""

from django.urls import path

from . import views

app_name = "forums_public"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("meetings/<uuid:meeting_id>/", views.public_meeting, name="meeting"),
    path("items/<uuid:agenda_item_id>/", views.public_item, name="item"),
]
