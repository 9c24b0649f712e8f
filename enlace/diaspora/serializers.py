"""Typed output of the public association endpoints (the OpenAPI schema shows them)."""

from typing import Any

from rest_framework import serializers

from enlace.core.serializers import OutputSerializer

from .models import FocusArea, ProjectStatus, ProjectType


class AssociationSerializer(OutputSerializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    residence_country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    residence_country_name = serializers.CharField()
    residence_city = serializers.CharField()
    origin_country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    origin_country_name = serializers.CharField()
    origin_department = serializers.CharField(help_text="ISO 3166-2, empty when not given")
    origin_department_name = serializers.CharField()
    origin_municipality = serializers.CharField(
        allow_null=True, help_text='Municipality id: country and national code, e.g. "SV-1407"'
    )
    origin_municipality_name = serializers.CharField()
    focus_areas = serializers.ListField(child=serializers.ChoiceField(FocusArea.choices))
    members_count = serializers.IntegerField(allow_null=True)
    founded_year = serializers.IntegerField(allow_null=True)
    description = serializers.CharField()
    contact_name = serializers.CharField(help_text="Empty unless the association made it public")
    email = serializers.CharField(help_text="Empty unless the association made it public")
    phone = serializers.CharField(help_text="Empty unless the association made it public")
    website = serializers.CharField()


class CoFundingSerializer(serializers.Serializer[Any]):
    partner = serializers.CharField()
    programme = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class ProjectSerializer(OutputSerializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    association = serializers.UUIDField()
    association_name = serializers.CharField()
    municipality = serializers.CharField(help_text='e.g. "SV-1407"')
    municipality_name = serializers.CharField()
    department_name = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    project_type = serializers.ChoiceField(ProjectType.choices)
    status = serializers.ChoiceField(ProjectStatus.choices)
    description = serializers.CharField()
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    currency = serializers.CharField(help_text="ISO 4217")
    co_funding = CoFundingSerializer(many=True)
    beneficiaries_women = serializers.IntegerField()
    beneficiaries_men = serializers.IntegerField()
    beneficiaries_other = serializers.IntegerField(help_text="Other or not known")
    beneficiaries_total = serializers.IntegerField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)


class AssociationDetailSerializer(AssociationSerializer):
    projects = ProjectSerializer(many=True)
