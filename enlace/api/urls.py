from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from enlace.cases.api import CaseViewSet, ReferralViewSet
from enlace.people.api import PersonViewSet
from enlace.tracing.api import (
    ReunificationViewSet,
    TracingMatchViewSet,
    TracingRequestViewSet,
)

from . import views

router = DefaultRouter()
router.register("offices", views.OfficeViewSet, basename="office")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("people", PersonViewSet, basename="person")
router.register("cases", CaseViewSet, basename="case")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("tracing-requests", TracingRequestViewSet, basename="tracing-request")
router.register("tracing-matches", TracingMatchViewSet, basename="tracing-match")
router.register("reunifications", ReunificationViewSet, basename="reunification")

app_name = "api"
urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ is a JSON 404 like every other API error, never an HTML page.
    re_path(r"^", views.NotFoundView.as_view()),
]
