"""Typed input and output of the tracing endpoints (the OpenAPI schema shows them)."""

from typing import Any

from rest_framework import serializers

from enlace.core.forms import NOTICE_LANGUAGES
from enlace.core.serializers import OutputSerializer, StrictCharField
from enlace.people.models import Sex

from .models import Relation, Reunification, TracingMatch, TracingRequest


def _text(max_length: int, **kwargs: Any) -> serializers.CharField:
    return StrictCharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=max_length, **kwargs
    )


# ------------------------------------------------------------------ input


class TracingRequestSerializer(serializers.Serializer[Any]):
    requester_name = StrictCharField(max_length=200, trim_whitespace=False)
    requester_relation = serializers.ChoiceField(choices=Relation.choices)
    requester_contact = _text(200)
    requester_consent = serializers.BooleanField()
    given_names = _text(200)
    nickname = _text(100)
    first_surname = _text(200)
    second_surname = _text(200)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = _text(10)
    approximate_age = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=120
    )
    birth_place = _text(200)
    nationality = _text(2)
    mother_name = _text(200)
    document_number = _text(64)
    last_seen_place = _text(200)
    last_seen_date = serializers.DateField(required=False, allow_null=True)
    notes = _text(5000)


class MatchDecisionSerializer(serializers.Serializer[Any]):
    notice_language = serializers.ChoiceField(
        choices=NOTICE_LANGUAGES, required=False, allow_blank=True
    )
    note = _text(2000)


class ReunificationUpdateSerializer(serializers.Serializer[Any]):
    patch_is_partial = False  # PATCH sends the fields to change, always with the version

    version = serializers.IntegerField()
    complete = serializers.BooleanField(required=False, default=False)
    relationship_verified = serializers.BooleanField(required=False)
    verification_method = _text(300)
    requester_consent = serializers.BooleanField(required=False)
    person_consent = serializers.BooleanField(required=False)
    best_interests_on = serializers.DateField(required=False, allow_null=True)
    best_interests_by = _text(200)
    best_interests_outcome = _text(5000)
    reunion_date = serializers.DateField(required=False, allow_null=True)
    reunion_place = _text(200)
    follow_up = _text(5000)


# ------------------------------------------------------------------ output


class ExplanationRowSerializer(OutputSerializer):
    field = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    level = serializers.CharField()
    level_label = serializers.CharField()
    weight = serializers.FloatField()


class TracingMatchSerializer(OutputSerializer):
    """A possible match as your side may see it: before confirmation the requesting office
    sees only the office holding the record and a coarse strength (no score, no explanation),
    the owning office the score, the explanation and who asks (not the requester's identity)."""

    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=TracingMatch.Status.choices)
    request = serializers.UUIDField(allow_null=True)
    side = serializers.ChoiceField(choices=[("owner", "owner"), ("requester", "requester")])
    # owner side
    match_probability = serializers.FloatField(required=False)
    match_weight = serializers.FloatField(required=False)
    explanation = ExplanationRowSerializer(many=True, required=False)
    repeat_requests = serializers.IntegerField(
        required=False, help_text="How many requests of the requesting office sought this person."
    )
    person = serializers.UUIDField(required=False)
    person_name = serializers.CharField(required=False)
    requesting_office = serializers.CharField(required=False)
    requester_relation = serializers.ChoiceField(choices=Relation.choices, required=False)
    reference = serializers.CharField(required=False)
    requester_name = serializers.CharField(required=False)
    requester_contact = serializers.CharField(required=False, allow_blank=True)
    sought_name = serializers.CharField(required=False, allow_blank=True)
    requesting_office_email = serializers.CharField(required=False, allow_blank=True)
    requesting_office_phone = serializers.CharField(required=False, allow_blank=True)
    # requester side
    strength = serializers.ChoiceField(
        choices=[("strong", "strong"), ("possible", "possible")],
        required=False,
        help_text="Coarse strength of a possible match (absent once withdrawn).",
    )
    strength_label = serializers.CharField(required=False)
    office = serializers.CharField(required=False)
    office_country = serializers.CharField(required=False)
    office_email = serializers.CharField(required=False, allow_blank=True)
    office_phone = serializers.CharField(required=False, allow_blank=True)
    reunification = serializers.UUIDField(required=False)


class TracingRequestOutputSerializer(OutputSerializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=TracingRequest.Status.choices)
    reference = serializers.CharField()
    requester_name = serializers.CharField()
    requester_relation = serializers.ChoiceField(choices=Relation.choices)
    requester_contact = serializers.CharField(allow_blank=True)
    sought_name = serializers.CharField(allow_blank=True)
    matches = TracingMatchSerializer(many=True)


class ReunificationSerializer(OutputSerializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Reunification.Status.choices)
    version = serializers.IntegerField()
    involves_child = serializers.BooleanField()
    relationship_verified = serializers.BooleanField()
    verification_method = serializers.CharField(allow_blank=True)
    requester_consent = serializers.BooleanField()
    person_consent = serializers.BooleanField()
    best_interests_on = serializers.DateField(allow_null=True)
    best_interests_by = serializers.CharField(allow_blank=True)
    best_interests_outcome = serializers.CharField(allow_blank=True)
    reunion_date = serializers.DateField(allow_null=True)
    reunion_place = serializers.CharField(allow_blank=True)
    follow_up = serializers.CharField(allow_blank=True)
    match = TracingMatchSerializer()
