"""What of a person the actor may see: the one place the field-level firewall is applied.

Every API response, page and export builds a person's fields through `person_fields`, so the
migratory status and protected identities cannot leak through one path and not another.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from enlace.access.rules import sees_identity, sees_migratory_status
from enlace.accounts.actor import Actor

from .dates import format_birth_date
from .fields import FIREWALLED, IDENTITY
from .models import Person

PROTECTED_NAME = _("Protected identity")


def person_fields(actor: Actor, person: Person) -> dict[str, Any]:
    """The person's fields for this actor; identity and status only where the firewall allows."""
    data: dict[str, Any] = {
        "id": str(person.pk),
        "owner_office": str(person.owner_office_id),
        "sex": person.sex,
        "version": person.version,
        "vulnerabilities": sorted(person.flag_kinds),
        "nationalities": sorted(c.code for c in person.nationalities.all()),
        "identity_protected": False,
    }
    if sees_identity(actor, person):
        data |= {field: getattr(person, field) for field in IDENTITY}
        data["full_name"] = person.full_name
        data["birth_date"] = format_birth_date(person.birth_date, person.birth_date_precision)
    else:
        data |= {"full_name": str(PROTECTED_NAME), "identity_protected": True}
    if sees_migratory_status(actor, person.owner_office_id):
        data |= {field: getattr(person, field) for field in FIREWALLED}
    return data


def display_name(actor: Actor, person: Person) -> str:
    return person.full_name if sees_identity(actor, person) else str(PROTECTED_NAME)
