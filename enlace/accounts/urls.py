from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("office/", views.office_select, name="office_select"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("offices/", views.office_directory, name="offices"),
    path("offices/<uuid:office_id>/members/", views.office_members, name="office_members"),
    path("offices/<uuid:office_id>/edit/", views.office_edit, name="office_edit"),
    path(
        "memberships/<uuid:membership_id>/deactivate/",
        views.membership_deactivate,
        name="membership_deactivate",
    ),
]
