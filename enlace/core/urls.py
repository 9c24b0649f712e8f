from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("reference/refresh/", views.reference_refresh_start, name="reference_refresh"),
    path("about/", views.about, name="about"),
    path("help/", views.help_index, name="help"),
    path("help/img/<str:name>", views.help_image, name="help_image"),
    path("help/<slug:slug>/", views.help_guide, name="help_guide"),
    path("language/", views.language, name="language"),
]
