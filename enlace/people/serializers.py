"""Typed input and output of the people endpoints (the OpenAPI schema shows them)."""

from typing import Any

from rest_framework import serializers

from enlace.core.models import Job
from enlace.core.serializers import OutputSerializer, StrictCharField

from .models import DatePrecision, MigratoryStatus, Person, Sex


def _text(**kwargs: Any) -> serializers.CharField:
    return StrictCharField(required=False, allow_blank=True, trim_whitespace=False, **kwargs)


class PersonWriteSerializer(serializers.Serializer[Person]):
    given_names = StrictCharField(max_length=200, trim_whitespace=False)
    first_surname = _text(max_length=200)
    second_surname = _text(max_length=200)
    other_names = _text(max_length=500)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    gender_identity = _text(max_length=100)
    birth_date = _text(help_text="YYYY-MM-DD, YYYY-MM or YYYY", max_length=10)
    estimated_age = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=120
    )
    birth_place = _text(max_length=200)
    nationality = _text(help_text="ISO 3166-1 alpha-2 code", max_length=2)
    nationalities = serializers.ListField(
        child=StrictCharField(max_length=2), required=False, max_length=10
    )
    languages = _text(max_length=200)
    phone = _text(max_length=40)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = _text(max_length=300)
    migratory_status = serializers.ChoiceField(
        choices=MigratoryStatus.choices, required=False, allow_blank=True
    )
    migratory_status_notes = _text(max_length=500)
    mother_name = _text(max_length=200)
    refuses_tracing = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False)


class PersonSerializer(OutputSerializer):
    """A person as you may see them: identity fields only where the firewall shows them,
    the migratory status only to the owning office."""

    id = serializers.UUIDField()
    owner_office = serializers.UUIDField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    version = serializers.IntegerField()
    vulnerabilities = serializers.ListField(child=serializers.CharField())
    nationalities = serializers.ListField(child=serializers.CharField())
    identity_protected = serializers.BooleanField()
    full_name = serializers.CharField(allow_blank=True)
    given_names = serializers.CharField(required=False, allow_blank=True)
    first_surname = serializers.CharField(required=False, allow_blank=True)
    second_surname = serializers.CharField(required=False, allow_blank=True)
    other_names = serializers.CharField(required=False, allow_blank=True)
    gender_identity = serializers.CharField(required=False, allow_blank=True)
    birth_date = serializers.CharField(
        required=False, allow_blank=True, help_text="YYYY-MM-DD, YYYY-MM or YYYY"
    )
    birth_date_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, required=False, allow_blank=True
    )
    estimated_age = serializers.IntegerField(required=False, allow_null=True)
    birth_place = serializers.CharField(required=False, allow_blank=True)
    mother_name = serializers.CharField(required=False, allow_blank=True)
    languages = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    refuses_tracing = serializers.BooleanField(required=False)
    migratory_status = serializers.ChoiceField(
        choices=MigratoryStatus.choices, required=False, allow_blank=True
    )
    migratory_status_notes = serializers.CharField(required=False, allow_blank=True)


class PersonCreatedSerializer(PersonSerializer):
    possible_duplicates = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="People of your office who may be the same person.",
    )


class ImportUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="A .csv or .xlsx register, one person per row")


class ImportRunSerializer(serializers.Serializer[Any]):
    valid_only = serializers.BooleanField(
        required=False, default=False, help_text="Import the valid rows when some have errors"
    )
    with_duplicates = serializers.BooleanField(
        required=False, default=False, help_text="Also import the rows flagged as duplicates"
    )


class ImportErrorSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(help_text="The row's number in the spreadsheet")
    column = serializers.CharField()
    message = serializers.CharField()


class ImportDuplicateSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField()
    people = serializers.ListField(
        child=serializers.UUIDField(), help_text="People of your office who may be this row"
    )
    rows = serializers.ListField(
        child=serializers.IntegerField(), help_text="Other rows of the file that may be this row"
    )


class ImportedPersonSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField()
    id = serializers.UUIDField()


class ImportJobSerializer(OutputSerializer):
    """A bulk import's dry run (kind "check") or import (kind "import"), and its report."""

    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=["check", "import"])
    status = serializers.ChoiceField(choices=Job.Status.choices)
    percent = serializers.IntegerField()
    status_url = serializers.CharField()
    refused = serializers.CharField(required=False, help_text="Why the file was not read")
    error = serializers.CharField(
        required=False, help_text="Why the job failed (status failed), in the request's language"
    )
    rows = serializers.IntegerField(required=False)
    valid = serializers.IntegerField(required=False)
    invalid = serializers.IntegerField(required=False)
    duplicates = serializers.IntegerField(required=False)
    row_errors = ImportErrorSerializer(many=True, required=False)
    possible_duplicates = ImportDuplicateSerializer(many=True, required=False)
    import_job = serializers.UUIDField(required=False, help_text="The import of this dry run")
    imported = serializers.IntegerField(required=False)
    people = ImportedPersonSerializer(many=True, required=False)
