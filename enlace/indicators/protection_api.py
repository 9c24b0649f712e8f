"""Public endpoint of the protection figures (/api/v1/indicators/protection/): no login, rate
limited, the cells of one stored release (enlace.indicators.releases), never a raw count."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.core.errors import ValidationFailed
from enlace.core.public import TOO_MANY_SCHEMA, PublicAPIView

from . import protection
from .api import refuse_empty

CELL_FIELDS: dict[str, Any] = {
    "indicator": serializers.CharField(),
    "label": serializers.CharField(),
    "sex": serializers.CharField(help_text="F, M, X, U; empty: all"),
    "age_group": serializers.CharField(help_text="e.g. 18-24, 60+, unknown; empty: all"),
    "value": serializers.IntegerField(allow_null=True, help_text="null: not published"),
    "flag": serializers.ChoiceField(["rounded", "suppressed", "noisy", "withheld"]),
    "accuracy": serializers.IntegerField(
        allow_null=True, help_text="dp: the 95 % half-width of the noisy value"
    ),
    "median_days": serializers.IntegerField(allow_null=True),
}
ProtectionOut = inline_serializer(
    "ProtectionFigures",
    {
        "country": serializers.CharField(help_text="ISO alpha-2; empty: the region"),
        "period": serializers.CharField(
            help_text="The period of the cells: a quarter (2026-Q2), the year to date through "
            "its last published quarter (2026-Q1-Q3), or the whole year (2026)"
        ),
        "method": serializers.CharField(),
        "published": serializers.BooleanField(
            help_text="false: nothing of that period is published yet (release null, no cells)"
        ),
        "release": inline_serializer(
            "ProtectionRelease",
            {
                "year": serializers.IntegerField(),
                "created": serializers.DateTimeField(),
                "threshold": serializers.IntegerField(),
                "rounding": serializers.IntegerField(allow_null=True),
                "epsilon": serializers.FloatField(allow_null=True),
                "delta": serializers.FloatField(allow_null=True),
            },
            allow_null=True,
        ),
        "cells": inline_serializer("ProtectionCell", CELL_FIELDS, many=True),
    },
)


def as_json(data: dict[str, Any]) -> dict[str, Any]:
    release = data["release"]
    return {
        "country": data["country"],
        "period": data["period"],
        "method": data["method"],
        "published": True,
        "release": {
            "year": release.year,
            "created": (release.published or release.created).isoformat(),
            "threshold": release.params["threshold"],
            "rounding": release.params.get("rounding"),
            "epsilon": release.epsilon,
            "delta": release.delta,
        },
        "cells": [{**c, "label": str(c["label"])} for c in data["cells"]],
    }


class ProtectionView(PublicAPIView):
    """Protection figures from Enlace's records under disclosure control: distinct persons by
    indicator, by sex and by age group (not crossed) for one country (or the region) and
    period, read out of the year's stored release. `method=suppression` (default): values of
    10 or more rounded to base 5, others null ("suppressed", with the cells they could be
    worked out from); `method=dp`: differentially private values (ε ≤ 1 per yearly release,
    δ = 0) with their 95 % accuracy, values under 10 "withheld"; by year only. Figures are
    published by a daily job once a quarter is over; a period with nothing published yet
    answers 200 with "published": false, "release": null and no cells."""

    group = "indicators"

    @extend_schema(
        operation_id="indicators_protection",
        parameters=[
            OpenApiParameter(
                "country",
                {"type": "string", "pattern": "^[A-Za-z]{2}$"},
                OpenApiParameter.QUERY,
                required=False,
                description="ISO 3166-1 alpha-2 of a country of the network; omitted: the region.",
            ),
            OpenApiParameter(
                "period",
                {"type": "string", "pattern": "^[0-9]{4}(-Q[1-4])?$"},
                OpenApiParameter.QUERY,
                required=False,
                description="A year (2026) or a quarter (2026-Q1); omitted: the current year.",
            ),
            OpenApiParameter(
                "method",
                {"type": "string", "enum": list(protection.METHODS)},
                OpenApiParameter.QUERY,
                required=False,
                description="suppression (default) or dp (differential privacy, years only).",
            ),
        ],
        responses={200: ProtectionOut, 429: TOO_MANY_SCHEMA},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        refuse_empty(params, ("country", "period", "method"))
        method = params.get("method") or "suppression"
        try:
            data = protection.published(
                country=params.get("country") or None,
                period=params.get("period") or None,
                method=method,
            )
        except ValueError as exc:
            raise ValidationFailed(
                {"detail": [_("Unknown country, period or method: %(value)s") % {"value": exc}]}
            ) from exc
        except protection.NotPublished as exc:
            return Response(
                {
                    "country": (params.get("country") or "").upper(),
                    "period": str(exc),
                    "method": method,
                    "published": False,
                    "release": None,
                    "cells": [],
                }
            )
        return Response(as_json(data))
