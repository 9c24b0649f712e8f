"""Typed input and output of the case and referral endpoints (the OpenAPI schema shows them)."""

from typing import Any

from rest_framework import serializers

from enlace.core.forms import NOTICE_LANGUAGES
from enlace.core.models import Job
from enlace.core.serializers import OutputSerializer, text

from . import services
from .models import Attachment, CaseAction, CaseStatus, CaseType, Referral, RiskLevel

# ------------------------------------------------------------------ input


class CaseCreateSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField()
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    summary = text(max_length=5000)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)


class CaseUpdateSerializer(serializers.Serializer[Any]):
    patch_is_partial = False  # PATCH sends the fields to change, always with the version

    version = serializers.IntegerField()
    summary = text(max_length=5000, required=False)
    case_type = serializers.ChoiceField(choices=CaseType.choices, required=False)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    assigned_to = serializers.IntegerField(required=False, allow_null=True)


class TransitionSerializer(serializers.Serializer[Any]):
    name = serializers.ChoiceField(choices=list(services.TRANSITIONS))
    note = text(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField(required=False)


class DetentionSerializer(serializers.Serializer[Any]):
    arrest_date = serializers.DateField()
    detention_place = text(required=False, allow_blank=True, max_length=200)
    informed_of_rights = serializers.BooleanField(required=False, allow_null=True)
    notified_on = serializers.DateField(required=False, allow_null=True)
    notified_by = text(required=False, allow_blank=True, max_length=200)
    first_contact_on = serializers.DateField(required=False, allow_null=True)
    first_visit_on = serializers.DateField(required=False, allow_null=True)


class ActionSerializer(serializers.Serializer[Any]):
    service_type = serializers.ChoiceField(choices=CaseAction.ServiceType.choices)
    date = serializers.DateField(required=False)
    provider = text(required=False, allow_blank=True, max_length=200)
    outcome = text(required=False, allow_blank=True, max_length=5000)


class NoteSerializer(serializers.Serializer[Any]):
    text = text(max_length=10000)


class AttachmentUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=Attachment.Kind.choices, required=False)


class ReferralCreateSerializer(serializers.Serializer[Any]):
    to_office = serializers.UUIDField()
    purpose = text(max_length=2000)
    consent = serializers.BooleanField()
    override_reason = text(required=False, allow_blank=True, max_length=2000)
    notice_language = serializers.ChoiceField(
        choices=NOTICE_LANGUAGES, required=False, allow_blank=True
    )


class DecisionSerializer(serializers.Serializer[Any]):
    note = text(required=False, allow_blank=True, max_length=2000)


# ------------------------------------------------------------------ output


class CaseSerializer(OutputSerializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    person = serializers.UUIDField()
    person_name = serializers.CharField()
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    summary = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)
    due_date = serializers.DateField(allow_null=True)
    is_overdue = serializers.BooleanField()
    assigned_to = serializers.CharField(allow_null=True, help_text="username")
    owner_office = serializers.UUIDField()
    closure_pending = serializers.BooleanField()
    version = serializers.IntegerField()
    created = serializers.DateTimeField()


class DetentionLogSerializer(OutputSerializer):
    arrest_date = serializers.DateField()
    detention_place = serializers.CharField(allow_blank=True)
    informed_of_rights = serializers.BooleanField(allow_null=True)
    notified_on = serializers.DateField(allow_null=True)
    notified_by = serializers.CharField(allow_blank=True)
    first_contact_on = serializers.DateField(allow_null=True)
    first_visit_on = serializers.DateField(allow_null=True)
    notification_delay_days = serializers.IntegerField(allow_null=True)


class CaseActionSerializer(OutputSerializer):
    id = serializers.UUIDField()
    service_type = serializers.ChoiceField(choices=CaseAction.ServiceType.choices)
    provider = serializers.CharField(allow_blank=True)
    date = serializers.DateField()
    outcome = serializers.CharField(allow_blank=True)
    office = serializers.UUIDField()


class CaseNoteSerializer(OutputSerializer):
    id = serializers.UUIDField()
    text = serializers.CharField()
    office = serializers.UUIDField()
    created = serializers.DateTimeField()


class ReferralSerializer(OutputSerializer):
    id = serializers.UUIDField()
    case = serializers.UUIDField()
    case_reference = serializers.CharField()
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    from_office = serializers.UUIDField()
    to_office = serializers.UUIDField()
    purpose = serializers.CharField()
    status = serializers.ChoiceField(choices=Referral.Status.choices)
    with_consent = serializers.BooleanField()
    created = serializers.DateTimeField()


class CaseDetailSerializer(CaseSerializer):
    detention = DetentionLogSerializer(required=False, help_text="detention cases only")
    actions = CaseActionSerializer(many=True)
    notes = CaseNoteSerializer(many=True)
    referrals = ReferralSerializer(
        many=True, required=False, help_text="shown to the owning office only"
    )


class AttachmentCreatedSerializer(OutputSerializer):
    id = serializers.UUIDField()
    size = serializers.IntegerField()


class ExportJobSerializer(OutputSerializer):
    """An export job: where to poll it, how far it is, and the file once written."""

    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Job.Status.choices)
    status_url = serializers.URLField()
    progress_done = serializers.IntegerField(required=False)
    progress_total = serializers.IntegerField(required=False)
    percent = serializers.IntegerField(required=False)
    message = serializers.CharField(required=False, allow_blank=True)
    rows = serializers.IntegerField(required=False, help_text="cases in the file, once written")
    format = serializers.ChoiceField(choices=["csv", "xlsx"], required=False)
    download_url = serializers.URLField(
        required=False, help_text="only when finished, and until the file expires"
    )
    expires = serializers.DateTimeField(required=False)
