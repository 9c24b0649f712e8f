from django.urls import path

from . import views

app_name = "trafficking"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_form, name="create"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/edit/", views.case_form, name="edit"),
]
