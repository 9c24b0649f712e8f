"""Typed input and output of the return endpoints (the OpenAPI schema shows them)."""

from typing import Any

from rest_framework import serializers

from enlace.core.serializers import OutputSerializer, text

from .models import (
    CounsellingOption,
    DocumentType,
    Outcome,
    Status,
    Step,
    Transport,
    Vulnerability,
)

# The steps a POST …/steps/ may take (opening is POST /returns/).
# Steps a client may take (opening is its own endpoint; a withdrawn hand-over consent is
# recorded by the person's consent page, enlace.returns.services.on_consent_revoked).
STEP_CHOICES = [
    (v, label) for v, label in Step.choices if v not in (Step.OPEN, Step.HAND_OVER_ENDED)
]
MAX_VERSION = 2**31 - 1
SIDES = [("sending", "sending"), ("receiving", "receiving")]


def _date() -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True)


def _text(limit: int) -> serializers.CharField:
    return text(required=False, allow_blank=True, allow_null=True, max_length=limit)


def _bool() -> serializers.BooleanField:
    return serializers.BooleanField(required=False, allow_null=True)


def _score() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        min_value=0,
        max_value=1,
        required=False,
        allow_null=True,
        help_text="0 to 1 (IOM Reintegration Sustainability Survey).",
    )


# ------------------------------------------------------------------ input


class ReturnCreateSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField()
    protection_case = serializers.UUIDField(required=False, allow_null=True)
    origin_country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        required=False,
        allow_null=True,
        help_text="ISO 3166-1 alpha-2; by default the person's nationality.",
    )
    after_detention = serializers.BooleanField(
        required=False, allow_null=True, help_text="By default: the case is a detention case."
    )
    declared_child = serializers.BooleanField(required=False, default=False)
    planned_departure_on = _date()
    note = _text(5000)


class LegInput(serializers.Serializer[Any]):
    origin = text(max_length=120)
    destination = text(max_length=120)
    date = serializers.DateField()
    transport = serializers.ChoiceField(choices=Transport.choices)
    carrier = text(required=False, allow_blank=True, max_length=120)


class ReturnStepSerializer(serializers.Serializer[Any]):
    """One step: its name, the version of the return read, and the step's own fields."""

    step = serializers.ChoiceField(choices=STEP_CHOICES)
    version = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)
    note = _text(5000)
    # counselling, consent
    options = serializers.ListField(
        child=serializers.ChoiceField(choices=CounsellingOption.choices),
        required=False,
        max_length=len(CounsellingOption.choices),
    )
    language = serializers.CharField(
        required=False, max_length=8, help_text="ISO 639 code (counselling, consent)."
    )
    counselled_on = _date()
    signed_on = _date()
    # consent_reconfirm
    reconfirmed_on = _date()
    not_possible_reason = _text(2000)
    # assessment
    eligible = _bool()
    reasons = _text(5000)
    vulnerabilities = serializers.ListField(
        child=serializers.ChoiceField(choices=Vulnerability.choices),
        required=False,
        max_length=len(Vulnerability.choices),
    )
    medical_check_needed = _bool()
    assessed_on = _date()
    # best_interests
    decided_on = _date()
    decided_by = _text(200)
    in_best_interests = _bool()
    # document_request, document_issue
    doc_type = serializers.ChoiceField(choices=DocumentType.choices, required=False)
    requested_on = _date()
    document = serializers.UUIDField(required=False)
    number = _text(64)
    issued_on = _date()
    valid_until = _date()
    # medical
    fit = _bool()
    examined_on = _date()
    # travel_plan
    legs = serializers.ListField(child=LegInput(), required=False, max_length=20)
    escort = _text(200)
    special_needs = _text(2000)
    # hand_over
    receiving_office = serializers.UUIDField(required=False)
    consent_language = serializers.CharField(required=False, max_length=8)
    consent_given_on = _date()
    # departure, arrival
    departed_on = _date()
    arrived_on = _date()
    reception_note = _text(5000)
    # reintegration_plan
    economic = _text(5000)
    social = _text(5000)
    psychosocial = _text(5000)
    planned_on = _date()
    # follow_up
    months = serializers.ChoiceField(choices=[(3, "3"), (6, "6"), (12, "12")], required=False)
    done_on = _date()
    reached = _bool()
    economic_score = _score()
    social_score = _score()
    psychosocial_score = _score()
    # close, withdraw
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    reason = _text(5000)


# ------------------------------------------------------------------ output


class OfficeRefSerializer(OutputSerializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    country = serializers.CharField()


class ReturnSerializer(OutputSerializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    side = serializers.ChoiceField(
        choices=SIDES,
        help_text="sending: the owner's side; receiving: the office in the country of origin.",
    )
    owner_office = OfficeRefSerializer()
    receiving_office = OfficeRefSerializer(allow_null=True)
    origin_country = serializers.CharField()
    person_name = serializers.CharField(help_text="'Protected identity' where the firewall says")
    planned_departure_on = serializers.DateField(allow_null=True)
    expected_arrival_on = serializers.DateField(allow_null=True)
    arrived_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


class LabelledSerializer(OutputSerializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label


class ReturnPersonSerializer(OutputSerializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    identity_protected = serializers.BooleanField()
    sex = serializers.CharField()
    sex_label = serializers.CharField()
    age_group = serializers.CharField()
    languages = serializers.CharField()


class PermissionsSerializer(OutputSerializer):
    sending = serializers.BooleanField()
    receiving = serializers.BooleanField()
    document_numbers = serializers.BooleanField()
    details = serializers.BooleanField()


class LegSerializer(OutputSerializer):
    position = serializers.IntegerField()
    origin = serializers.CharField()
    destination = serializers.CharField()
    date = serializers.DateField()
    transport = serializers.ChoiceField(choices=Transport.choices)
    transport_label = serializers.CharField()
    carrier = serializers.CharField(allow_blank=True)


class DocumentSerializer(OutputSerializer):
    id = serializers.UUIDField()
    doc_type = serializers.ChoiceField(choices=DocumentType.choices)
    doc_type_label = serializers.CharField()
    requested_on = serializers.DateField()
    issued_on = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    issued_by = serializers.CharField()
    number = serializers.CharField(
        required=False, allow_blank=True, help_text="only to readers who see the identity"
    )


class PlanSerializer(OutputSerializer):
    planned_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    economic = serializers.CharField(allow_blank=True)
    social = serializers.CharField(allow_blank=True)
    psychosocial = serializers.CharField(allow_blank=True)


class FollowUpSerializer(OutputSerializer):
    months = serializers.IntegerField()
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    reached = serializers.BooleanField(allow_null=True)
    economic = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    social = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    psychosocial = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    due = serializers.BooleanField()
    overdue = serializers.BooleanField()


class TimelineSerializer(OutputSerializer):
    step = serializers.ChoiceField(choices=Step.choices)
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    at = serializers.DateTimeField()
    office = serializers.CharField()
    by = serializers.CharField(allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    data = serializers.DictField(required=False)  # type: ignore[assignment]  # a field


class CaseRefSerializer(OutputSerializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()


class BidSerializer(OutputSerializer):
    decided_on = serializers.DateField(allow_null=True)
    decided_by = serializers.CharField(allow_blank=True)
    in_best_interests = serializers.BooleanField(allow_null=True)
    note = serializers.CharField(allow_blank=True)


def _details(**kwargs: Any) -> dict[str, Any]:
    return {"required": False, "help_text": "sending side only", **kwargs}


class ReturnDetailSerializer(ReturnSerializer):
    person = ReturnPersonSerializer()
    permissions = PermissionsSerializer()
    steps_available = serializers.ListField(child=serializers.ChoiceField(choices=Step.choices))
    is_child = serializers.BooleanField()
    declared_child = serializers.BooleanField()
    unaccompanied_child = serializers.BooleanField()
    vulnerabilities = LabelledSerializer(many=True)
    consent_given = serializers.BooleanField()
    consent_signed_on = serializers.DateField(allow_null=True)
    handed_over_on = serializers.DateField(allow_null=True)
    escort_required = serializers.BooleanField()
    escort = serializers.CharField(allow_blank=True)
    special_needs = serializers.CharField(allow_blank=True)
    fit_to_travel = serializers.BooleanField(allow_null=True)
    legs = LegSerializer(many=True)
    documents = DocumentSerializer(many=True)
    departed_on = serializers.DateField(allow_null=True)
    reception_note = serializers.CharField(allow_blank=True)
    plan = PlanSerializer()
    follow_ups = FollowUpSerializer(many=True)
    outcome = serializers.CharField(allow_blank=True)
    outcome_label = serializers.CharField(allow_blank=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    timeline = TimelineSerializer(many=True)
    # The sending side's details (absent for the receiving side).
    protection_case = CaseRefSerializer(**_details(allow_null=True))
    after_detention = serializers.BooleanField(**_details())
    counselled_on = serializers.DateField(**_details(allow_null=True))
    counselling_options = LabelledSerializer(many=True, **_details())
    counselling_language = serializers.CharField(**_details(allow_blank=True))
    counselling_language_name = serializers.CharField(**_details(allow_blank=True))
    counselling_note = serializers.CharField(**_details(allow_blank=True))
    cooling_off_days = serializers.IntegerField(**_details())
    consent_earliest_on = serializers.DateField(**_details(allow_null=True))
    consent_language = serializers.CharField(**_details(allow_blank=True))
    consent_reconfirmed_on = serializers.DateField(**_details(allow_null=True))
    reconfirmation_not_possible = serializers.CharField(**_details(allow_blank=True))
    assessed_on = serializers.DateField(**_details(allow_null=True))
    eligible = serializers.BooleanField(**_details(allow_null=True))
    eligibility_reasons = serializers.CharField(**_details(allow_blank=True))
    medical_check_needed = serializers.BooleanField(**_details())
    bid = BidSerializer(**_details())
    medical_examined_on = serializers.DateField(**_details(allow_null=True))
    medical_note = serializers.CharField(**_details(allow_blank=True))
    withdrawal_reason = serializers.CharField(**_details(allow_blank=True))
    closure_reason = serializers.CharField(
        required=False, allow_blank=True, help_text="both sides once the return is closed"
    )
