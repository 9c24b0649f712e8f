"""Typed input and output of the data-protection endpoints (the OpenAPI schema shows them)."""

from typing import Any

from rest_framework import serializers

from enlace.core.serializers import OutputSerializer, text

from .models import RequestKind, RequestStatus

MAX_COUNT = 2**31 - 1  # a PositiveIntegerField's limit on every database


# ------------------------------------------------------------------ rights requests


class RightsRequestCreateSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField(help_text="A person registered by your office.")
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    law_country = serializers.RegexField(
        r"^[A-Za-z]{2}$", help_text="ISO 3166-1 alpha-2 code of the country whose law applies."
    )
    received_on = serializers.DateField(
        required=False, allow_null=True, help_text="By default: today."
    )
    details = text(required=False, allow_blank=True, max_length=2000)


class RectifiedSerializer(serializers.Serializer[Any]):
    note = text(required=False, allow_blank=True, max_length=2000)


class RejectSerializer(serializers.Serializer[Any]):
    reason = text(max_length=2000)


class RightsRequestSerializer(OutputSerializer):
    """A row of the office's queue: no person."""

    id = serializers.UUIDField()
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    law_country = serializers.CharField()
    received_on = serializers.DateField()
    due_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    due_soon = serializers.BooleanField()


class RightsRequestDetailSerializer(RightsRequestSerializer):
    person = serializers.UUIDField()
    person_name = serializers.CharField(help_text="Masked where you may not see the identity.")
    legal_source = serializers.CharField()
    details = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="What an anonymisation replaced."
    )


class AccessExportSerializer(OutputSerializer):
    """What Enlace holds on the person, as you may see it (the answer to an access request)."""

    person = serializers.DictField()
    cases = serializers.ListField(child=serializers.DictField())
    consents = serializers.ListField(child=serializers.DictField())
    rights_requests = serializers.ListField(child=serializers.DictField())


# ------------------------------------------------------------------ breaches


class BreachCreateSerializer(serializers.Serializer[Any]):
    detected_at = serializers.DateTimeField()
    description = text(max_length=5000)
    records_affected = serializers.IntegerField(
        required=False, default=0, min_value=0, max_value=MAX_COUNT
    )
    persons_affected = serializers.IntegerField(
        required=False, default=0, min_value=0, max_value=MAX_COUNT
    )


class BreachNotifiedSerializer(serializers.Serializer[Any]):
    notified_at = serializers.DateTimeField()
    notified_to = text(max_length=300)


class BreachSerializer(OutputSerializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    office = serializers.UUIDField()
    detected_at = serializers.DateTimeField()
    description = serializers.CharField()
    records_affected = serializers.IntegerField()
    persons_affected = serializers.IntegerField()
    notify_by = serializers.DateField()
    notified_at = serializers.DateTimeField(allow_null=True)
    notified_to = serializers.CharField(allow_blank=True)
    overdue = serializers.BooleanField()
