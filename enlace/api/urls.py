"""The /api/v1 router: mounts each app's api.py, the token and me endpoints, the public
endpoints, and the schema."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from enlace.accounts.api import MembershipViewSet, MeView, OfficeViewSet, TokenView
from enlace.cases.api import CaseViewSet, ReferralViewSet
from enlace.core.public_api import CountryListView
from enlace.diaspora.api import AssociationViewSet
from enlace.forums.api import AgendaItemViewSet, ForumViewSet, MeetingViewSet
from enlace.inbox.api import InboxViewSet
from enlace.indicators.api import MigrantStockView
from enlace.indicators.protection_api import ProtectionView
from enlace.people.api import PersonImportViewSet, PersonViewSet
from enlace.portal.api import RequestCreateView, RequestStatusView
from enlace.practices.api import PracticeDetailView, PracticeListView
from enlace.privacy.api import BreachViewSet, RightsRequestViewSet
from enlace.remittances.api import (
    CompareView,
    CorridorSeriesView,
    ProviderViewSet,
    QuoteViewSet,
)
from enlace.returns.api import ReturnViewSet
from enlace.tracing.api import (
    ReunificationViewSet,
    TracingMatchViewSet,
    TracingRequestViewSet,
)
from enlace.trafficking.alert_api import IdentityRequestViewSet
from enlace.trafficking.api import TraffickingCaseViewSet

from .views import NotFoundView

router = DefaultRouter()
router.register("offices", OfficeViewSet, basename="office")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("people-imports", PersonImportViewSet, basename="person-import")
router.register("people", PersonViewSet, basename="person")
router.register("cases", CaseViewSet, basename="case")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("tracing-requests", TracingRequestViewSet, basename="tracing-request")
router.register("tracing-matches", TracingMatchViewSet, basename="tracing-match")
router.register("reunifications", ReunificationViewSet, basename="reunification")
router.register("trafficking-cases", TraffickingCaseViewSet, basename="trafficking-case")
router.register(
    "trafficking-access-requests", IdentityRequestViewSet, basename="trafficking-access-request"
)
router.register("returns", ReturnViewSet, basename="return")
router.register("remittance-quotes", QuoteViewSet, basename="remittance-quote")
router.register("remittance-providers", ProviderViewSet, basename="remittance-provider")
router.register("associations", AssociationViewSet, basename="association")
router.register("inbox", InboxViewSet, basename="inbox")
router.register("forums", ForumViewSet, basename="forum")
router.register("forum-meetings", MeetingViewSet, basename="forum-meeting")
router.register("forum-items", AgendaItemViewSet, basename="forum-item")
router.register("rights-requests", RightsRequestViewSet, basename="rights-request")
router.register("data-breaches", BreachViewSet, basename="data-breach")

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    path("public/countries/", CountryListView.as_view(), name="public-countries"),
    path("public/requests/", RequestCreateView.as_view(), name="public-requests"),
    re_path(
        r"^public/requests/(?P<reference>[^/]{1,64})/$",
        RequestStatusView.as_view(),
        name="public-request-status",
    ),
    path("indicators/protection/", ProtectionView.as_view(), name="indicators-protection"),
    path("remittances/compare/", CompareView.as_view(), name="remittances-compare"),
    re_path(
        r"^remittances/corridors/(?P<sending>[A-Za-z]{2})/(?P<receiving>[A-Za-z]{2})/$",
        CorridorSeriesView.as_view(),
        name="remittances-corridor-series",
    ),
    path("indicators/migrant-stock/", MigrantStockView.as_view(), name="indicators-migrant-stock"),
    path("practices/", PracticeListView.as_view(), name="practice-list"),
    path("practices/<uuid:practice_id>/", PracticeDetailView.as_view(), name="practice-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ is a JSON 404 like every other API error, never an HTML page.
    re_path(r"^", NotFoundView.as_view()),
]
