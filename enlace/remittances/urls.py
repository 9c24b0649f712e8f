from django.urls import path

from . import staff_views, views

app_name = "remittances"
urlpatterns = [
    # Public (no login).
    path("", views.compare, name="compare"),
    path("corridors/", views.corridors, name="corridors"),
    path("corridors.csv", views.corridors_csv, name="corridors_csv"),
    path("corridors/<str:sending>/<str:receiving>/", views.corridor, name="corridor"),
    path(
        "corridors/<str:sending>/<str:receiving>/series.csv",
        views.corridor_csv,
        name="corridor_csv",
    ),
    # The authorities' staff.
    path("quotes/", staff_views.quote_list, name="quotes"),
    path("quotes/new/", staff_views.quote_form, name="quote_create"),
    path("quotes/<uuid:quote_id>/", staff_views.quote_form, name="quote_edit"),
    path("quotes/<uuid:quote_id>/history/", staff_views.quote_history, name="quote_history"),
    path("providers/", staff_views.provider_list, name="providers"),
    path("providers/new/", staff_views.provider_form, name="provider_create"),
    path("providers/<uuid:provider_id>/", staff_views.provider_form, name="provider_edit"),
    path("import/", staff_views.import_page, name="import"),
    path("import/<uuid:job_id>/", staff_views.import_job, name="import_job"),
]
