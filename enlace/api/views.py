"""The router's own plumbing: the JSON 404 for every URL under /api/v1/ that matches nothing.
Endpoints live in their app's api.py."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Every method on a URL under /api/v1/ that matches no endpoint: a JSON 404."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.args, self.kwargs = args, kwargs
        self.request = self.initialize_request(request, *args, **kwargs)
        self.headers = self.default_response_headers
        response = self.handle_exception(Http404())
        self.response = self.finalize_response(self.request, response, *args, **kwargs)
        return self.response
