"""Typed input and output of the trafficking case endpoints (the OpenAPI schema shows them).
Picklists take the HTCDS value names (enlace.trafficking.htcds)."""

from typing import Any

from rest_framework import serializers

from enlace.core.serializers import OutputSerializer, text
from enlace.people.models import Sex

from . import htcds
from .models import CaseKind, Identifier, Incident, Transport, Victim

# One list for the recruitment and the exploitation platforms (one enum in the schema:
# config.settings ENUM_NAME_OVERRIDES).
WEBSITES_AND_APPS = [v.name for v in htcds.WEBSITES_AND_APPS]


def _pick(name: str, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=[v.name for v in htcds.field(name).options], **kwargs)


def _picks(name: str) -> serializers.ListField:
    return serializers.ListField(child=_pick(name), required=False, max_length=50)


class CountryField(serializers.RegexField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(r"^[A-Za-z]{2}$", **kwargs)


# ------------------------------------------------------------------ input


class RouteStopInput(serializers.Serializer[Any]):
    country = CountryField()
    place = text(required=False, allow_blank=True, max_length=200)
    date = serializers.DateField(required=False, allow_null=True)
    transport = serializers.ChoiceField(choices=Transport.choices, required=False, allow_blank=True)


class VictimInput(serializers.Serializer[Any]):
    person = serializers.UUIDField()
    protection_case = serializers.UUIDField(required=False, allow_null=True)
    trafficking_status = _pick("vic_TraffickingStatus", required=False, allow_blank=True)
    status_decided_by = _pick(
        "vic_TraffickingStatusDecisionMakingOrg", required=False, allow_blank=True
    )
    relationship_to_trafficker = _pick(
        "vic_RelationshipToTrafficker", required=False, allow_blank=True
    )
    age_when_trafficked = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=120
    )
    recruitment_websites_and_apps = _picks("vic_RecruitmentWebsitesAndApps")
    method_of_recruitment = _picks("vic_MethodOfRecruitment")
    location_of_recruitment = text(required=False, allow_blank=True, max_length=200)
    methods_of_control = _picks("vic_MethodsOfControl")
    type_of_exploitation = _picks("vic_TypeOfExploitation")
    forced_labour_industry = _pick("vic_ForcedLabourIndustry", required=False, allow_blank=True)
    type_of_sex_exploitation = _picks("vic_TypeOfSexExploitation")
    location_of_exploitation = text(required=False, allow_blank=True, max_length=200)
    exploitation_websites_and_apps = _picks("vic_ExploitationWebsitesAndApps")
    consent = serializers.BooleanField(required=False, allow_null=True)
    fee_paid = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    fee_currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False, allow_blank=True)


class PerpetratorInput(serializers.Serializer[Any]):
    given_names = text(required=False, allow_blank=True, max_length=200)
    surnames = text(required=False, allow_blank=True, max_length=200)
    aliases = serializers.ListField(child=text(max_length=200), required=False, max_length=20)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    nationality = CountryField(required=False, allow_null=True)
    role_in_process = _picks("per_RoleInProcess")
    role_details = text(required=False, allow_blank=True, max_length=5000)
    organisation = text(required=False, allow_blank=True, max_length=200)


class IdentifierInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Identifier.Kind.choices)
    value = text(max_length=200)
    perpetrator = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="Index (from 0) of the perpetrator in `perpetrators` this belongs to.",
    )


class EventInput(serializers.Serializer[Any]):
    type = _pick("hte_Type")
    date = serializers.DateField(required=False, allow_null=True)
    country = CountryField(required=False, allow_null=True)
    state = text(required=False, allow_blank=True, max_length=200)
    city = text(required=False, allow_blank=True, max_length=200)
    street = text(required=False, allow_blank=True, max_length=200)
    postal_code = text(required=False, allow_blank=True, max_length=20)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    description = text(required=False, allow_blank=True, max_length=5000)


class IncidentInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Incident.Kind.choices)
    date = serializers.DateField(required=False, allow_null=True)
    country = CountryField(required=False, allow_null=True)
    place = text(required=False, allow_blank=True, max_length=200)
    persons_affected = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    deaths = serializers.IntegerField(required=False, min_value=0)
    description = text(required=False, allow_blank=True, max_length=5000)


class TraffickingCaseCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    summary = text(max_length=5000)
    status = _pick("cas_Status", required=False)
    route = RouteStopInput(many=True, required=False)
    victims = VictimInput(many=True, required=False)
    perpetrators = PerpetratorInput(many=True, required=False)
    identifiers = IdentifierInput(many=True, required=False)
    events = EventInput(many=True, required=False)
    incidents = IncidentInput(many=True, required=False)


# ------------------------------------------------------------------ output


class RouteStopSerializer(OutputSerializer):
    position = serializers.IntegerField()
    country = serializers.CharField()
    place = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    transport = serializers.CharField()


class VictimSerializer(OutputSerializer):
    """A victim as the reader may see them: "Victim 1", sex and age band only, unless the
    reader sees the case's identities (then every other field too)."""

    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    sex = serializers.CharField()
    age_band = serializers.CharField()
    identity_protected = serializers.BooleanField()
    id = serializers.UUIDField(required=False)
    person = serializers.UUIDField(required=False)
    name = serializers.CharField(required=False)
    protection_case = serializers.UUIDField(required=False, allow_null=True)
    trafficking_status = serializers.CharField(required=False)
    status_decided_by = serializers.CharField(required=False)
    relationship_to_trafficker = serializers.CharField(required=False)
    age_when_trafficked = serializers.IntegerField(required=False, allow_null=True)
    location_of_recruitment = serializers.CharField(required=False)
    location_of_exploitation = serializers.CharField(required=False)
    forced_labour_industry = serializers.CharField(required=False)
    consent = serializers.BooleanField(required=False, allow_null=True)
    fee_paid = serializers.CharField(required=False, allow_null=True)
    fee_currency = serializers.CharField(required=False)


for _attribute in Victim.MULTI_FIELDS:
    VictimSerializer._declared_fields[_attribute] = serializers.ListField(
        child=serializers.CharField(), required=False
    )


class PerpetratorSerializer(OutputSerializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    role_in_process = serializers.ListField(child=serializers.CharField())
    identity_protected = serializers.BooleanField()
    id = serializers.UUIDField(required=False)
    given_names = serializers.CharField(required=False)
    surnames = serializers.CharField(required=False)
    aliases = serializers.ListField(child=serializers.CharField(), required=False)
    sex = serializers.CharField(required=False)
    nationality = serializers.CharField(required=False)
    role_details = serializers.CharField(required=False)
    organisation = serializers.CharField(required=False)


class IdentifierSerializer(OutputSerializer):
    kind = serializers.CharField()
    value = serializers.CharField(allow_null=True, help_text="null when identities are hidden")
    normalised = serializers.CharField(allow_null=True)
    perpetrator = serializers.IntegerField(allow_null=True)


class EventSerializer(OutputSerializer):
    type = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    country = serializers.CharField()
    state = serializers.CharField()
    city = serializers.CharField()
    street = serializers.CharField()
    postal_code = serializers.CharField()
    latitude = serializers.CharField(allow_null=True)
    longitude = serializers.CharField(allow_null=True)
    description = serializers.CharField()


class IncidentSerializer(OutputSerializer):
    kind = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    country = serializers.CharField()
    place = serializers.CharField()
    persons_affected = serializers.IntegerField(allow_null=True)
    deaths = serializers.IntegerField()
    description = serializers.CharField()


class TraffickingCaseSerializer(OutputSerializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    summary = serializers.CharField(
        allow_blank=True, help_text="empty when the reader does not see the identities"
    )
    owner_office = serializers.UUIDField()
    owner_country = serializers.CharField()
    created = serializers.DateTimeField()
    version = serializers.IntegerField()


class TraffickingCaseDetailSerializer(TraffickingCaseSerializer):
    closure_reason = serializers.CharField(
        allow_blank=True, help_text="empty when the reader does not see the identities"
    )
    identities = serializers.BooleanField(help_text="Whether the reader sees the identities.")
    free_text = serializers.BooleanField(
        help_text="Whether the reader sees the free text (summary, reasons, descriptions): "
        "as the identities."
    )
    route = RouteStopSerializer(many=True)
    victims = VictimSerializer(many=True)
    perpetrators = PerpetratorSerializer(many=True)
    identifiers = IdentifierSerializer(many=True)
    events = EventSerializer(many=True)
    incidents = IncidentSerializer(many=True)
