"""Public reads of the portal's information half: the office directory as offices publish it.

Only what an office publishes is read: its name, kind, city, the countries, and the contact
details administrators keep (phone, e-mail, address, opening hours — enlace.accounts.services.
office_contact_update). Never a member, a user or a case: nothing here is personal data.
"""

import unicodedata
from dataclasses import dataclass, field

from django.db.models import QuerySet

from enlace.accounts.models import Office
from enlace.core.models import Country

PUBLIC_FIELDS = (
    "id",
    "name",
    "kind",
    "city",
    "phone",
    "email",
    "address",
    "opening_hours",
    "country_id",
    "host_country_id",
)
K = Office.Kind
# Offices that help a person: consular posts, authorities and shelters (not associations, and
# the secretariat only as the last resort).
CONSULAR_KINDS = (K.CONSULATE, K.EMBASSY)
LOCAL_KINDS = (K.MIGRATION_AUTHORITY, K.CHILD_PROTECTION, K.SHELTER)
DIRECTORY_KINDS = (*CONSULAR_KINDS, K.FOREIGN_MINISTRY, *LOCAL_KINDS, K.SECRETARIAT)


def public_offices() -> QuerySet[Office]:
    """Active offices with only their published fields."""
    return (
        Office.objects.filter(is_active=True)
        .only(*PUBLIC_FIELDS)
        .select_related("country", "host_country")
        .order_by("name")
    )


@dataclass
class Finding:
    """The offices that can help a person of `nationality` who is in `country`."""

    nationality: Country
    country: Country
    consulates: list[Office] = field(default_factory=list)  # of the nationality, in the country
    local: list[Office] = field(default_factory=list)  # authorities and shelters of the country
    ministry: list[Office] = field(default_factory=list)  # the nationality's foreign ministry
    secretariat: list[Office] = field(default_factory=list)  # shown when nothing else is

    @property
    def at_home(self) -> bool:
        return self.nationality.pk == self.country.pk

    @property
    def empty(self) -> bool:
        return not (self.consulates or self.local)


def find_offices(nationality: Country, country: Country) -> Finding:
    """Consulates and embassies of the person's country in the country where they are; that
    country's migration and child-protection authorities and shelters; the foreign ministry of
    their country (which helps from home). When no consulate or local office is listed, the
    regional secretariat too (the empty state)."""
    offices = list(
        public_offices().filter(kind__in=DIRECTORY_KINDS, host_country=country)
        | public_offices().filter(kind__in=(K.FOREIGN_MINISTRY, K.SECRETARIAT))
    )
    found = Finding(nationality=nationality, country=country)
    for office in offices:
        if office.kind in CONSULAR_KINDS:
            if office.country_id == nationality.pk and office.host_country_id == country.pk:
                found.consulates.append(office)
        elif office.kind in LOCAL_KINDS:
            if office.host_country_id == country.pk:
                found.local.append(office)
        elif office.kind == K.FOREIGN_MINISTRY:
            if office.country_id == nationality.pk:
                found.ministry.append(office)
        elif office.kind == K.SECRETARIAT:
            found.secretariat.append(office)
    if not found.empty:
        found.secretariat = []
    return found


def directory() -> list[tuple[Country, list[Office]]]:
    """Every public office, grouped by the country it is in (for the offline directory)."""
    groups: dict[str, tuple[Country, list[Office]]] = {}
    for office in public_offices().filter(kind__in=DIRECTORY_KINDS):
        groups.setdefault(office.host_country_id, (office.host_country, []))[1].append(office)
    return sorted(groups.values(), key=lambda g: _sort_key(g[0].name))


def _sort_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def countries() -> list[Country]:
    """Every country, sorted by its name in the active language."""
    return sorted(Country.objects.all(), key=lambda c: _sort_key(c.name))
