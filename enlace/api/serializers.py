from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enlace.accounts.models import Membership, Office, Role
from enlace.core.serializers import StrictCharField


class OfficeSerializer(serializers.ModelSerializer[Office]):
    country = serializers.CharField(source="country_id", read_only=True)
    host_country = serializers.CharField(source="host_country_id", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Office
        fields = ["id", "name", "kind", "kind_display", "country", "host_country", "city"]


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    username = serializers.CharField(source="user.username", read_only=True)
    office = serializers.UUIDField(source="office_id", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "office", "role", "is_active"]


class MembershipCreateSerializer(serializers.Serializer[Membership]):
    username = StrictCharField(label=_("Username"), max_length=150)
    role = serializers.ChoiceField(label=_("Role"), choices=Role.choices)


class MeSerializer(serializers.Serializer[object]):
    username = serializers.CharField()
    full_name = serializers.CharField()
    active_office = OfficeSerializer(allow_null=True)
    role = serializers.CharField(allow_null=True)
    memberships = MembershipSerializer(many=True)


class TokenRequestSerializer(serializers.Serializer[object]):
    username = StrictCharField(label=_("Username"), max_length=150)
    password = StrictCharField(
        label=_("Password"), style={"input_type": "password"}, max_length=4096
    )
    otp_token = StrictCharField(
        label=_("Two-factor code"), required=False, allow_blank=True, max_length=16
    )


class TokenResponseSerializer(serializers.Serializer[object]):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(help_text=_("The token stops working at this time."))
