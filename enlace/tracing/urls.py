from django.urls import path

from . import views

app_name = "tracing"
urlpatterns = [
    path("", views.tracing_home, name="home"),
    path("new/", views.request_create, name="create"),
    path("export/", views.export, name="export"),
    path("relink/", views.relink, name="relink"),
    path("requests/<uuid:request_id>/", views.request_detail, name="request"),
    path("requests/<uuid:request_id>/edit/", views.request_edit, name="request_edit"),
    path("requests/<uuid:request_id>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("matches/<uuid:match_id>/", views.match_detail, name="match"),
    path("matches/<uuid:match_id>/<str:step>/", views.match_decide, name="match_decide"),
    path("reunifications/<uuid:reunification_id>/", views.reunification, name="reunification"),
]
