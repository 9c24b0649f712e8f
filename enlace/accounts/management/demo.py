"""The demo network: offices of several countries and one user per role (password enlace-demo)."""

from django.db import transaction

from enlace.accounts.backends import DEMO_PASSWORD
from enlace.accounts.models import Membership, Office, Role, User

K = Office.Kind
# (key, name, kind, country represented, host country, city)
OFFICES = [
    ("mx-la", "Consulado General de México en Los Ángeles", K.CONSULATE, "MX", "US", "Los Angeles"),
    ("mx-madrid", "Consulado de México en Madrid", K.CONSULATE, "MX", "ES", "Madrid"),
    (
        "mx-sre",
        "Secretaría de Relaciones Exteriores de México",
        K.FOREIGN_MINISTRY,
        "MX",
        "MX",
        "Ciudad de México",
    ),
    (
        "gt-cdmx",
        "Consulado de Guatemala en Ciudad de México",
        K.CONSULATE,
        "GT",
        "MX",
        "Ciudad de México",
    ),
    (
        "gt-minex",
        "Ministerio de Relaciones Exteriores de Guatemala",
        K.FOREIGN_MINISTRY,
        "GT",
        "GT",
        "Ciudad de Guatemala",
    ),
    ("gt-la", "Consulado de Guatemala en Los Ángeles", K.CONSULATE, "GT", "US", "Los Angeles"),
    (
        "hn-sre",
        "Secretaría de Relaciones Exteriores y Cooperación Internacional de Honduras",
        K.FOREIGN_MINISTRY,
        "HN",
        "HN",
        "Tegucigalpa",
    ),
    ("hn-houston", "Consulado de Honduras en Houston", K.CONSULATE, "HN", "US", "Houston"),
    ("hn-tapachula", "Consulado de Honduras en Tapachula", K.CONSULATE, "HN", "MX", "Tapachula"),
    ("sv-la", "Consulado de El Salvador en Los Ángeles", K.CONSULATE, "SV", "US", "Los Angeles"),
    ("co-madrid", "Consulado de Colombia en Madrid", K.CONSULATE, "CO", "ES", "Madrid"),
    ("ve-sanjose", "Consulado de Venezuela en San José", K.CONSULATE, "VE", "CR", "San José"),
    ("ni-sanjose", "Consulado de Nicaragua en San José", K.CONSULATE, "NI", "CR", "San José"),
    ("ht-sd", "Consulado de Haití en Santo Domingo", K.CONSULATE, "HT", "DO", "Santo Domingo"),
    (
        "mx-inm",
        "Instituto Nacional de Migración",
        K.MIGRATION_AUTHORITY,
        "MX",
        "MX",
        "Ciudad de México",
    ),
    ("mx-albergue", "Albergue Belén, Tapachula", K.SHELTER, "MX", "MX", "Tapachula"),
    ("secretaria", "Secretaría Técnica Regional", K.SECRETARIAT, "MX", "MX", "Ciudad de México"),
    (
        "asoc-zac",
        "Federación de Clubes Zacatecanos del Sur de California",
        K.ASSOCIATION,
        "MX",
        "US",
        "Los Angeles",
    ),
]

# The office directory (fictional numbers and addresses): (phone, e-mail, address, hours).
CONTACTS = {
    "mx-la": (
        "+1 213 555 0142",
        "proteccion.la@example.org",
        "2401 W 6th St, Los Angeles, CA 90057",
        "Lunes a viernes, 8:00 a 14:00",
    ),
    "gt-cdmx": (
        "+52 55 5555 0110",
        "consulado.cdmx@example.org",
        "Av. Explanada 1025, Lomas de Chapultepec, Ciudad de México",
        "Lunes a viernes, 9:00 a 15:00",
    ),
    "mx-albergue": (
        "+52 962 555 0123",
        "albergue.belen@example.org",
        "Calle 5 de Febrero s/n, Tapachula, Chiapas",
        "Todos los días, 8:00 a 20:00",
    ),
}

# (username, first name, last name, office key, role)
USERS = [
    ("oficial.mx", "Lucía", "Hernández Ruiz", "mx-la", Role.OFFICER),
    ("supervisor.mx", "Ricardo", "Mendoza Soto", "mx-la", Role.SUPERVISOR),
    ("oficial.gt", "Ana María", "Xicará López", "gt-cdmx", Role.OFFICER),
    ("focal.gt", "Carlos", "Ajú Pérez", "gt-minex", Role.NATIONAL_FOCAL_POINT),
    ("focal.mx", "Patricia", "Salinas Vega", "mx-sre", Role.NATIONAL_FOCAL_POINT),
    ("trata.mx", "Gabriela", "Ortiz Campos", "mx-sre", Role.TRAFFICKING_FOCAL_POINT),
    ("trata.gt", "Marta Julia", "Cojtí Sis", "gt-minex", Role.TRAFFICKING_FOCAL_POINT),
    ("trata.hn", "Dania", "Zelaya Maradiaga", "hn-sre", Role.TRAFFICKING_FOCAL_POINT),
    ("oficial.hn", "Óscar", "Banegas Flores", "hn-tapachula", Role.OFFICER),
    ("analista", "Jorge", "Quiroga Lema", "secretaria", Role.ANALYST),
    ("asociacion", "Rosa", "Delgado Ibarra", "asoc-zac", Role.ASSOCIATION_REP),
    ("admin", "Admin", "Enlace", "secretaria", Role.ADMINISTRATOR),
]


@transaction.atomic
def seed_demo() -> list[tuple[str, str, str]]:
    """Create the demo offices and users if missing; existing data is kept as it is."""
    offices: dict[str, Office] = {}
    for key, name, kind, country, host, city in OFFICES:
        offices[key], _ = Office.objects.get_or_create(
            name=name,
            country_id=country,
            defaults={"kind": kind, "host_country_id": host, "city": city},
        )
        contact = CONTACTS.get(key)
        if contact and not offices[key].phone:
            office = offices[key]
            office.phone, office.email, office.address, office.opening_hours = contact
            office.save(update_fields=["phone", "email", "address", "opening_hours"])
    logins = []
    for username, first, last, office_key, role in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            # An address in the reserved .invalid domain: the demo prints e-mails to the console.
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.invalid"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        membership, _ = Membership.objects.get_or_create(
            user=user, office=offices[office_key], role=role
        )
        if user.active_membership_id is None:
            user.active_membership = membership
            user.save(update_fields=["active_membership"])
        logins.append((username, str(role.label), offices[office_key].name))
    return logins


def login_line(username: str, role: str, office: str) -> str:
    """One demo login as `manage.py seed_demo` prints it."""
    return f"  {username:<15} {role} — {office}"


def demo_accounts() -> list[str]:
    """The demo loader of accounts: offices and users, then the logins to print."""
    logins = seed_demo()
    return [
        f"Demo logins (password: {DEMO_PASSWORD}):",
        *(login_line(username, role, office) for username, role, office in logins),
    ]
