"""Building blocks for the typed input and output serializers of every app's API."""

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A string field that takes strings only (DRF's CharField turns 0 into "0"), as the
    schema says."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def text(**kwargs: Any) -> serializers.CharField:
    """Free text kept as typed (no trimming): names and notes are stored exactly as entered."""
    return StrictCharField(trim_whitespace=False, **kwargs)


class OutputSerializer(serializers.Serializer[Any]):
    """Describes a response built by a present.py function (a dict).

    Fields the firewall may leave out are declared required=False; they are left out of the
    output exactly when the dict leaves them out, so the schema's optional fields are what a
    reader may or may not be shown, never null stand-ins.
    """

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if isinstance(instance, Mapping):
            return {k: v for k, v in data.items() if k in instance}
        return data


class CreatedSerializer(OutputSerializer):
    id = serializers.UUIDField()
