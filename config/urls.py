from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("enlace.api.urls")),
    path("accounts/", include("enlace.accounts.urls")),
    path("audit/", include("enlace.access.urls")),
    path("people/", include("enlace.people.urls")),
    path("cases/", include("enlace.cases.urls")),
    path("tracing/", include("enlace.tracing.urls")),
    path("trafficking/", include("enlace.trafficking.urls")),
    path("returns/", include("enlace.returns.urls")),
    path("forums/", include("enlace.forums.urls")),
    path("public/forums/", include("enlace.forums.public_urls")),
    path("remittances/", include("enlace.remittances.urls")),
    path("practices/", include("enlace.practices.urls")),
    path("diaspora/", include("enlace.diaspora.urls")),
    path("indicators/", include("enlace.indicators.urls")),
    path("inbox/", include("enlace.inbox.urls")),
    path("portal/", include("enlace.portal.urls")),
    path("portal/", include("enlace.portal.info_urls")),
    path("privacy/", include("enlace.privacy.urls")),
    path("", include("enlace.core.urls")),
]

if settings.DEBUG:
    from django.contrib import admin

    urlpatterns.insert(0, path("django-admin/", admin.site.urls))
