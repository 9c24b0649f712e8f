"""Model backend that refuses the demo password where the settings say so (production)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

DEMO_PASSWORD = "enlace-demo"  # noqa: S105 - the published demo password, refused in production


class EnlaceModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if password == DEMO_PASSWORD and not settings.ENLACE_ALLOW_DEMO_PASSWORD:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
