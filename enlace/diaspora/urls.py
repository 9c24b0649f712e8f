from django.urls import path

from . import views

app_name = "diaspora"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("associations/<uuid:association_id>/", views.association_page, name="association"),
    path("municipalities/<str:municipality_id>/", views.municipality_page, name="municipality"),
    path("manage/", views.manage, name="manage"),
    path("manage/register/", views.association_register, name="association_register"),
    path("manage/<uuid:association_id>/", views.association_edit, name="association_edit"),
    path(
        "manage/<uuid:association_id>/projects/new/",
        views.project_create,
        name="project_create",
    ),
    path("manage/projects/<uuid:project_id>/", views.project_edit, name="project_edit"),
    path("manage/projects/<uuid:project_id>/delete/", views.project_delete, name="project_delete"),
]
