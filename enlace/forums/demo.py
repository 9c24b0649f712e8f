"""Demo forums: the GFMD (its 2010 meeting in Puerto Vallarta) and the EU-LAC migration dialogue.
The Puerto Vallarta meeting has an agenda item with country positions (Mexico endorsed and
public, Honduras submitted and public, Guatemala a draft) and a regional position drafted by
the secretariat (analista) and circulated: Mexico and Honduras endorsed it, it waits for
Guatemala's (focal.gt) and El Salvador's answers. Some commitments have statuses.

Written through the services as the people would (Honduras and El Salvador have no demo focal
point: their rows are written directly). Loading twice changes nothing."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from enlace.accounts.actor import Actor, actor_for
from enlace.accounts.models import User

from . import services
from .models import (
    AgendaItem,
    Commitment,
    CommitmentStatus,
    CountryPosition,
    Decision,
    Endorsement,
    Forum,
    PositionStatus,
)

GFMD = "Foro Mundial sobre Migración y Desarrollo (FMMD)"
EU_LAC = "Diálogo Estructurado UE-ALC sobre Migración"
MEMBERS = ["MX", "GT", "HN", "SV"]
ITEM = (
    "Alianzas para la migración y el desarrollo humano: prosperidad y responsabilidad compartidas"
)

POSITIONS = {
    "MX": (
        "México propone que la región presente una posición común sobre la protección de los "
        "derechos de las personas migrantes, independientemente de su situación migratoria.",
        PositionStatus.ENDORSED,
    ),
    "HN": (
        "Honduras respalda una posición regional que reconozca la responsabilidad compartida de "
        "los países de origen, tránsito y destino.",
        PositionStatus.SUBMITTED,
    ),
    "GT": (
        "Guatemala pide incluir la protección consular de niñas, niños y adolescentes no "
        "acompañados.",
        PositionStatus.DRAFT,
    ),
}

REGIONAL_TEXT = (
    "Los países de América Latina y el Caribe reafirman que los derechos humanos de todas las "
    "personas migrantes deben respetarse independientemente de su situación migratoria, y "
    "proponen al FMMD alianzas entre países de origen, tránsito y destino para la protección "
    "consular, la reunificación familiar y la facilitación de las remesas."
)

STATUSES = [
    ("C02", "MX", "in_progress", "Red consular ampliada en Estados Unidos."),
    ("C06", "MX", "in_progress", ""),
    ("C03", "GT", "in_progress", ""),
    ("C04", "GT", "achieved", "Protocolo de identificación de víctimas adoptado."),
    ("C05", "HN", "not_started", ""),
    ("C11", "MX", "achieved", ""),
]


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).first()
    return actor_for(user) if user else None


@transaction.atomic
def seed_demo_forums() -> list[str]:
    """Load the demo forums once (nothing when they exist); no login lines to print."""
    secretariat = _actor("analista")
    focal_mx, focal_gt = _actor("focal.mx"), _actor("focal.gt")
    if secretariat is None or focal_mx is None or focal_gt is None:
        return []  # the accounts demo comes first (DemoLoader order)
    if Forum.objects.filter(name=GFMD).exists():
        return []
    gfmd = services.forum_create(
        actor=secretariat,
        name=GFMD,
        kind=Forum.Kind.GFMD,
        description=(
            "Proceso intergubernamental, voluntario e informal sobre migración y desarrollo."
        ),
        members=MEMBERS,
    )
    meeting = services.meeting_create(
        actor=secretariat,
        forum=gfmd,
        title="FMMD 2010 Puerto Vallarta",
        city="Puerto Vallarta",
        country="MX",
        starts_on=dt.date(2010, 11, 8),
        ends_on=dt.date(2010, 11, 11),
    )
    item = services.item_create(
        actor=secretariat,
        meeting=meeting,
        title=ITEM,
        description="Mesa redonda 1 del FMMD 2010.",
    )
    services.item_create(
        actor=secretariat,
        meeting=meeting,
        title="Migración, cambio climático y desarrollo",
    )
    _positions(item, focal_mx, focal_gt)
    regional = services.regional_save(actor=secretariat, item=item, text=REGIONAL_TEXT)
    regional = services.regional_circulate(
        actor=secretariat, regional=regional, version=regional.version
    )
    mx = Endorsement.objects.get(regional=regional, country_id="MX")
    services.endorsement_answer(
        actor=focal_mx,
        regional=regional,
        country="MX",
        decision=Decision.ENDORSED,
        version=mx.version,
    )
    Endorsement.objects.filter(regional=regional, country_id="HN").update(
        decision=Decision.ENDORSED, decided_at=timezone.now()
    )
    services.comment_add(
        actor=focal_mx,
        regional=regional,
        country="MX",
        text="Sugerimos mencionar expresamente a las mujeres y a la niñez migrante.",
    )
    eu_lac = services.forum_create(
        actor=secretariat,
        name=EU_LAC,
        kind=Forum.Kind.EU_LAC,
        description="Diálogo birregional entre la Unión Europea y América Latina y el Caribe.",
        members=["MX", "GT", "HN", "SV", "CO"],
    )
    services.meeting_create(
        actor=secretariat,
        forum=eu_lac,
        title="Diálogo UE-ALC sobre migración: reunión de alto nivel",
        city="Bruselas",
        country="BE",
        starts_on=dt.date(2011, 3, 10),
        ends_on=dt.date(2011, 3, 11),
    )
    _statuses(focal_mx, focal_gt)
    return []  # no new logins: focal.gt, focal.mx and analista are the accounts demo's


def _positions(item: AgendaItem, focal_mx: Actor, focal_gt: Actor) -> None:
    for country, (text, status) in POSITIONS.items():
        actor = {"MX": focal_mx, "GT": focal_gt}.get(country)
        if actor is None:
            CountryPosition.objects.create(
                item=item, country_id=country, text=text, status=status, is_public=True
            )
            continue
        position = services.position_save(
            actor=actor, item=item, country=country, text=text, is_public=country == "MX"
        )
        for step in ("submit", "endorse")[: list(PositionStatus.values).index(status)]:
            position = services.position_step(
                actor=actor, position=position, step=step, version=position.version
            )


def _statuses(focal_mx: Actor, focal_gt: Actor) -> None:
    actors = {"MX": focal_mx, "GT": focal_gt}
    for code, country, status, note in STATUSES:
        commitment = Commitment.objects.filter(pk=code).first()
        if commitment is None:
            continue
        actor = actors.get(country)
        if actor is None:
            CommitmentStatus.objects.get_or_create(
                commitment=commitment, country_id=country, defaults={"status": status}
            )
            continue
        services.commitment_status_set(
            actor=actor, commitment=commitment, country=country, status=status, note=note
        )
