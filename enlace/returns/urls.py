from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("", views.return_list, name="list"),
    path("new/", views.return_open, name="create"),
    path("settings/", views.return_settings, name="settings"),
    path("<uuid:return_id>/", views.return_detail, name="detail"),
    path("<uuid:return_id>/documents/", views.return_documents, name="documents"),
    path("<uuid:return_id>/withdraw/", views.return_withdraw, name="withdraw"),
    path("<uuid:return_id>/file.pdf", views.return_pdf, name="pdf"),
    path("<uuid:return_id>/steps/<str:step>/", views.return_step, name="step"),
]
