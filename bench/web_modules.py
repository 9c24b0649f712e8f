"""The other modules' records for bench/web.py (issue 18): written with COPY into the database
web.py loaded (offices, users, people, cases), at sizes proportionate to its cases and people.

Kept apart from web.py's own load: the module records are (re)loaded when their sizes differ from
the ones recorded in bench_web_modules_meta, without reloading people and cases; then the
indicators' daily job (`manage.py publish_indicators`) publishes the release the pages read.

What is written (C = cases, P = people; the numbers at 1,000,000 of each):
- a regional secretariat office with 3 analysts; migrant associations (C/2,500: 400), each with
  its own office of kind "association", its representative and two projects where its country of
  origin has municipalities;
- trafficking and smuggling cases (C/50: 20,000) opened by the offices whose protection cases are
  possible trafficking, with those cases' people as victims (1-3), a route of 2-4 countries, an
  alert to the foreign ministry of each other country of the network on the route, a
  perpetrator and 1-2 identifiers;
- assisted voluntary returns (C/40: 25,000) of people with a case, each with its first step;
- data-protection rights requests (C/100: 10,000);
- remittance providers (24), corridors from US, MX, CR and PA to the ten countries, quotes for 8
  quarters and both bands (about 14,000) and the corridors' published quarterly averages;
- good practices (C/500: 2,000; 80 % published) with countries, themes and their search index;
- forums (5), meetings (8 each), agenda items (6 each) and the ten countries' positions;
- the indicator pages' official sources vendored with Enlace (UN DESA, UNHCR, IOM, World Bank),
  imported as an installation does, and the published release of the protection figures;
- inbox items (C/10: 100,000) to the offices;
- requests from the public (P/20: 50,000), each with its "submitted" event; the reference and
  secret of the first 200 are kept in bench_web_portal_codes for the follow-up journey.
"""

import datetime as dt
import json
import random
import subprocess
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

# The network's ten countries (web.COUNTRIES) and where their consulates are (web.HOSTS).
CURRENCY = {
    "MX": "MXN",
    "GT": "GTQ",
    "HN": "HNL",
    "SV": "USD",
    "CO": "COP",
    "VE": "VES",
    "PE": "PEN",
    "EC": "USD",
    "DO": "DOP",
    "HT": "HTG",
    "US": "USD",
    "CR": "CRC",
    "PA": "USD",
}
# Rough interbank rates per USD (only the shape of the figures matters here).
RATE = {
    "MXN": 17.1,
    "GTQ": 7.8,
    "HNL": 24.7,
    "USD": 1.0,
    "COP": 3950.0,
    "VES": 36.4,
    "PEN": 3.75,
    "DOP": 58.9,
    "HTG": 132.0,
    "CRC": 520.0,
}
SECRETARIAT_COUNTRY = "PA"
PORTAL_CODES_KEPT = 200
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # enlace.portal.services.REFERENCE_ALPHABET


def module_sizes(people: int, cases: int) -> dict[str, int]:
    return {
        "trafficking": max(20, cases // 50),
        "returns": max(20, cases // 40),
        "rights": max(20, cases // 100),
        "practices": max(20, cases // 500),
        "associations": max(10, cases // 2500),
        "inbox": max(100, cases // 10),
        "portal": max(20, people // 20),
        "forums": 5,
        "providers": 24,
        # The indicator pages' official sources, vendored with Enlace (manage.py
        # indicators_import), as an installation loads them.
        "indicator_sources": 1,
    }


def loaded_module_sizes() -> dict[str, int] | None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_web_modules_meta')")
        if cur.fetchone()[0] is None:
            return None
        cur.execute("SELECT spec FROM bench_web_modules_meta")
        row = cur.fetchone()
    return json.loads(row[0]) if row else None


# Tables the module load writes, children first: emptied before a reload.
TABLES = [
    "trafficking_alert",
    "trafficking_identifier",
    "trafficking_perpetrator",
    "trafficking_routestop",
    "trafficking_victim",
    "trafficking_traffickingcase",
    "returns_returnstep",
    "returns_return",
    "privacy_rightsrequest",
    "remittances_quote",
    "remittances_corridorquarter",
    "remittances_corridor",
    "remittances_provider",
    "practices_practice_search",
    "practices_practicetheme",
    "practices_practice_countries",
    "practices_practice",
    "diaspora_project",
    "diaspora_association",
    "forums_countryposition",
    "forums_agendaitem",
    "forums_meeting",
    "forums_forum_members",
    "forums_forum",
    "inbox_item",
    "portal_requestevent",
    "portal_publicrequest",
    "indicators_protectionrelease",
]


def _clear(log: Callable[[str], None]) -> None:
    """Empty what an earlier module load wrote (records, their offices and users)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_web_modules_meta')")
        if cur.fetchone()[0] is None:
            return
        log("emptying the module records of an earlier load")
        cur.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")


def load_modules(
    people_n: int,
    cases_n: int,
    seed: int,
    *,
    copy_rows: Callable[..., None],
    copy_plain: Callable[..., None],
    password: str,
    log: Callable[[str], None],
    publish: Callable[[], None],
) -> dict[str, Any]:
    """Write every module's records (see the module docstring); returns the counts written."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from enlace.accounts.models import Membership, Office, User
    from enlace.core.text import fold
    from enlace.diaspora.models import Association, Project
    from enlace.forums.models import AgendaItem, CountryPosition, Forum, Meeting
    from enlace.inbox.models import Item
    from enlace.portal.models import PublicRequest, RequestEvent
    from enlace.portal.services import secret_digest
    from enlace.practices.models import Practice, PracticeTheme
    from enlace.practices.search import _pg_stems_sql
    from enlace.privacy.models import RightsRequest
    from enlace.remittances.models import Corridor, CorridorQuarter, Provider, Quote
    from enlace.returns.models import Return, ReturnStep
    from enlace.trafficking.models import (
        Alert,
        Identifier,
        Perpetrator,
        RouteStop,
        TraffickingCase,
        Victim,
    )

    spec = module_sizes(people_n, cases_n)
    rng = random.Random(seed + 18)
    started = time.perf_counter()
    now = timezone.now()
    today = now.date()
    _clear(log)
    counts: dict[str, int] = {}

    def when(days: int = 700) -> dt.datetime:
        return now - dt.timedelta(seconds=rng.randrange(days * 86400))

    offices = list(Office.objects.exclude(kind__in=["association", "secretariat"]))
    by_id = {o.pk: o for o in offices}
    ministry = {o.country_id: o for o in offices if o.host_country_id == o.country_id}
    users = {(m.office_id, m.role): m.user_id for m in Membership.objects.all()}
    countries = sorted({o.country_id for o in offices})
    hosts = sorted({o.host_country_id for o in offices})
    pw = make_password(password)

    def make_user(username: str, office: Office, role: str) -> User:
        """The user (kept from an earlier module load: the audit trail may name it)."""
        user, made = User.objects.get_or_create(
            username=username,
            defaults={"password": pw, "first_name": role, "last_name": office.name},
        )
        if made:
            m = Membership.objects.create(user=user, office=office, role=role)
            user.active_membership = m
            user.save(update_fields=["active_membership"])
            TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        return user

    # ------------------------------------------------ secretariat, associations
    with transaction.atomic():
        secretariat, _made = Office.objects.get_or_create(
            name="Secretaría regional",
            country_id=SECRETARIAT_COUNTRY,
            defaults={
                "kind": "secretariat",
                "host_country_id": SECRETARIAT_COUNTRY,
                "city": "Ciudad de Panamá",
            },
        )
        analysts = [make_user(f"analyst.sec.{i}", secretariat, "analyst") for i in range(3)]
        with connection.cursor() as cur:
            cur.execute("SELECT id, country_id FROM core_municipality")
            municipalities: dict[str, list[str]] = {}
            for mid, country in cur.fetchall():
                municipalities.setdefault(country, []).append(mid)
        assoc_rows, project_rows = [], []
        for n in range(spec["associations"]):
            origin = countries[n % len(countries)]
            residence = rng.choice([h for h in hosts if h != origin] or hosts)
            office, _made = Office.objects.get_or_create(
                name=f"Asociación {origin}-{n:04d}",
                country_id=origin,
                defaults={
                    "kind": "association",
                    "host_country_id": residence,
                    "city": f"Ciudad {n % 17}",
                },
            )
            residence = office.host_country_id
            make_user(f"association_rep.{n:04d}", office, "association_rep")
            created = when(2000)
            munis = municipalities.get(origin, [])
            assoc = Association(
                id=uuid.uuid4(),
                created=created,
                modified=created,
                office=office,
                name=f"Asociación de migrantes {origin} en {residence} n.º {n}",
                residence_country_id=residence,
                residence_city=office.city,
                origin_country_id=origin,
                origin_municipality_id=rng.choice(munis) if munis else None,
                description="Asociación de la comunidad migrante: educación, salud y cultura.",
                focus_areas=rng.sample(["education", "health", "culture", "productive"], 2),
                members_count=rng.randrange(10, 2000),
                founded_year=rng.randrange(1970, 2024),
                contact_name=f"Contacto {n}",
                email=f"asociacion{n}@example.org",
                listed=rng.random() < 0.9,
            )
            assoc_rows.append(assoc)
            for k in range(2 if munis else 0):
                pcreated = when(1000)
                project_rows.append(
                    Project(
                        id=uuid.uuid4(),
                        created=pcreated,
                        modified=pcreated,
                        association_id=assoc.id,
                        title=f"Proyecto {k + 1} de la asociación {n}",
                        municipality_id=rng.choice(munis),
                        project_type=rng.choice(["education", "health", "infrastructure"]),
                        status=rng.choice(["planned", "in_progress", "completed"]),
                        budget=Decimal(rng.randrange(1000, 200000)),
                        currency_id="USD",
                        beneficiaries_women=rng.randrange(0, 500),
                        beneficiaries_men=rng.randrange(0, 500),
                    )
                )
        copy_rows(Association, assoc_rows)
        copy_rows(Project, project_rows)
    counts["associations"], counts["projects"] = len(assoc_rows), len(project_rows)
    counts["analysts"] = len(analysts)
    log(f"secretariat, {len(assoc_rows)} associations, {len(project_rows)} projects")

    # ------------------------------------------------ trafficking
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, person_id, owner_office_id FROM cases_case "
            "WHERE case_type = 'possible_trafficking' ORDER BY id LIMIT %s",
            [spec["trafficking"] * 2],
        )
        possible = cur.fetchall()
    rng.shuffle(possible)
    by_office_cases: dict[Any, list[tuple[Any, Any]]] = {}
    for case_id, person_id, office_id in possible:
        by_office_cases.setdefault(office_id, []).append((case_id, person_id))
    office_ids = list(by_office_cases)
    weights = [len(by_office_cases[o]) for o in office_ids]
    tcases, victims, stops, alerts, perps, idents = [], [], [], [], [], []
    used: set[tuple[Any, Any]] = set()
    for n in range(spec["trafficking"]):
        office = by_id[rng.choices(office_ids, weights)[0]]
        pool = by_office_cases[office.pk]
        created = when()
        kind = "trafficking" if rng.random() < 0.7 else "smuggling"
        reference = f"{'TP' if kind == 'trafficking' else 'SM'}-B-{office.country_id}-{n:07d}"
        route = [office.country_id]
        for _ in range(rng.randrange(1, 4)):
            route.append(rng.choice([c for c in countries + hosts if c != route[-1]]))
        places = [f"Paso {c} {rng.randrange(50)}" for c in route]
        summary = rng.choice(
            [
                "Captación con oferta de empleo falsa; explotación laboral en finca.",
                "Traslado por tierra con coyote; abandono en el desierto.",
                "Explotación sexual en bar; retención de documentos.",
                "Trabajo forzoso en taller textil; deuda impagable.",
            ]
        )
        tc = TraffickingCase(
            id=uuid.uuid4(),
            created=created,
            modified=created,
            created_by_id=users[(office.pk, "trafficking_focal_point")],
            reference=reference,
            kind=kind,
            owner_office=office,
            status=rng.choice(["Active", "Active", "FollowUp", "Closed"]),
            summary=summary,
        )
        tc.search_text = fold(" ".join([reference, *places]))[:20000]
        tc.free_text_search = fold(summary)
        tcases.append(tc)
        for position, (country, place) in enumerate(zip(route, places, strict=True)):
            stops.append(
                RouteStop(
                    case_id=tc.id,
                    position=position,
                    country_id=country,
                    place=place,
                    transport=rng.choice(["bus", "truck", "on_foot", "car"]),
                )
            )
        for country in dict.fromkeys(route[1:]):
            target = ministry.get(country)
            if target is not None and country != office.country_id:
                alerts.append(
                    Alert(
                        id=uuid.uuid4(),
                        created=created,
                        modified=created,
                        case_id=tc.id,
                        office=target,
                        reason="opened",
                        alerted_at=created,
                        acknowledged_at=created if rng.random() < 0.6 else None,
                        acknowledged_by_id=None,
                    )
                )
        for _ in range(rng.randrange(1, 4)):
            case_id, person_id = rng.choice(pool)
            if (tc.id, person_id) in used:
                continue
            used.add((tc.id, person_id))
            victims.append(
                Victim(
                    id=uuid.uuid4(),
                    created=created,
                    modified=created,
                    case_id=tc.id,
                    person_id=person_id,
                    protection_case_id=case_id,
                    age_when_trafficked=rng.randrange(12, 50),
                    type_of_exploitation=["ForcedLabour"] if rng.random() < 0.5 else [],
                )
            )
        perp = Perpetrator(
            id=uuid.uuid4(),
            created=created,
            modified=created,
            case_id=tc.id,
            given_names=rng.choice(["Julio", "Marco", "Rosa", "Ernesto"]),
            surnames=rng.choice(["Pérez Díaz", "Soto Lara", "Ruiz Mena"]),
            nationality_id=office.country_id,
        )
        perp.search_text = fold(f"{perp.given_names} {perp.surnames}")
        perps.append(perp)
        for _ in range(rng.randrange(1, 3)):
            number = f"+52155{rng.randrange(10**7, 10**8)}"
            idents.append(
                Identifier(
                    id=uuid.uuid4(),
                    created=created,
                    modified=created,
                    case_id=tc.id,
                    kind="phone",
                    value=number,
                    normalised=number,
                    perpetrator_id=perp.id,
                )
            )
    copy_rows(TraffickingCase, tcases)
    copy_rows(RouteStop, stops, [f for f in RouteStop._meta.concrete_fields if f.name != "id"])
    copy_rows(Victim, victims)
    copy_rows(Perpetrator, perps)
    copy_rows(Identifier, idents)
    copy_rows(Alert, alerts)
    counts.update(
        trafficking_cases=len(tcases),
        victims=len(victims),
        route_stops=len(stops),
        alerts=len(alerts),
        identifiers=len(idents),
    )
    log(f"{len(tcases)} trafficking cases, {len(victims)} victims, {len(alerts)} alerts")

    # ------------------------------------------------ returns, rights requests
    need = spec["returns"] + spec["rights"]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT ON (person_id) id, person_id, owner_office_id FROM cases_case "
            "WHERE case_type NOT IN ('possible_trafficking', 'gbv') "
            "ORDER BY person_id LIMIT %s",
            [need],
        )
        plain = cur.fetchall()
    rng.shuffle(plain)
    statuses = ["requested", "counselling", "assessment", "travel_plan", "departed", "arrived"]
    statuses += ["reintegration", "follow_up", "closed", "withdrawn"]
    returns, steps = [], []
    for n, (case_id, person_id, office_id) in enumerate(plain[: spec["returns"]]):
        office = by_id[office_id]
        created = when()
        status = rng.choice(statuses)
        officer = users[(office.pk, "officer")]
        receiving = ministry.get(office.country_id)
        ret = Return(
            id=uuid.uuid4(),
            created=created,
            modified=created,
            created_by_id=officer,
            reference=f"RT-B-{office.country_id}-{n:07d}",
            person_id=person_id,
            protection_case_id=case_id,
            owner_office=office,
            receiving_office=receiving if receiving and receiving.pk != office.pk else None,
            origin_country_id=office.country_id,
            status=status,
            counselling_options=["return", "stay"],
            ended_at=created if status in ("closed", "withdrawn") else None,
            outcome="sustainable" if status == "closed" else "",
        )
        returns.append(ret)
        steps.append(
            ReturnStep(
                ret_id=ret.id,
                step="open",
                from_status="requested",
                to_status="requested",
                office_id=office.pk,
                by_id=officer,
                at=created,
            )
        )
    copy_rows(Return, returns)
    copy_rows(ReturnStep, steps, [f for f in ReturnStep._meta.concrete_fields if f.name != "id"])
    rights = []
    for _case_id, person_id, office_id in plain[spec["returns"] : need]:
        office = by_id[office_id]
        created = when(120)
        received = created.date()
        status = rng.choice(["open", "open", "open", "answered", "rejected"])
        rights.append(
            RightsRequest(
                id=uuid.uuid4(),
                created=created,
                modified=created,
                created_by_id=users[(office.pk, "officer")],
                office=office,
                person_id=person_id,
                kind=rng.choice(["access", "rectification", "deletion", "objection"]),
                law_country=office.host_country_id,
                received_on=received,
                due_on=received + dt.timedelta(days=15),
                legal_source="Enlace default (no rule written for this country): 15 working days",
                details="La persona pide ver los datos que la oficina guarda sobre ella.",
                status=status,
                closed_on=received + dt.timedelta(days=5) if status != "open" else None,
            )
        )
    copy_rows(RightsRequest, rights)
    counts.update(returns=len(returns), rights_requests=len(rights))
    log(f"{len(returns)} returns, {len(rights)} rights requests")

    # ------------------------------------------------ remittances
    providers = []
    for n in range(spec["providers"]):
        name = f"Remesas Bench {n:02d}"
        created = when(2000)
        providers.append(
            Provider(
                id=uuid.uuid4(),
                created=created,
                modified=created,
                name=name,
                name_key=fold(name),
                kind=rng.choice(["bank", "mto", "fintech", "mobile_operator"]),
            )
        )
    copy_rows(Provider, providers)
    corridors = [Corridor(sending_id=s, receiving_id=r) for s in hosts for r in countries if s != r]
    Corridor.objects.bulk_create(corridors)
    quarters = []
    year, q = today.year, (today.month - 1) // 3 + 1
    for _ in range(8):
        q -= 1
        if q == 0:
            year, q = year - 1, 4
        quarters.append((year, q))
    quotes, averages = [], []
    for corridor in corridors:
        send_cur, recv_cur = CURRENCY[corridor.sending_id], CURRENCY[corridor.receiving_id]
        cross = Decimal(str(RATE[recv_cur] / RATE[send_cur]))
        chosen = rng.sample(providers, min(len(providers), 12))
        for year, q in quarters:
            averages.append(
                CorridorQuarter(
                    corridor=corridor,
                    quarter=f"{year}Q{q}",
                    average_total_cost_pct=Decimal(str(round(rng.uniform(2.5, 9.0), 4))),
                    source="bench",
                    imported=now,
                )
            )
            collected = dt.date(year, 3 * q - 1, 15)
            for provider in chosen:
                for band in (200, 500):
                    amount = Decimal(band) * Decimal(str(RATE[send_cur]))
                    quotes.append(
                        Quote(
                            id=uuid.uuid4(),
                            created=now,
                            modified=now,
                            provider_id=provider.id,
                            corridor_id=corridor.pk,
                            collected_on=collected,
                            period=f"{year}Q{q}",
                            usd_band=band,
                            amount=amount.quantize(Decimal("0.01")),
                            currency_id=send_cur,
                            receiving_currency_id=recv_cur,
                            fee=Decimal(str(round(rng.uniform(0, 15), 2))) * Decimal(band) / 200,
                            applied_rate=(cross * Decimal(str(rng.uniform(0.95, 0.995)))).quantize(
                                Decimal("0.0000000001")
                            ),
                            interbank_rate=cross.quantize(Decimal("0.0000000001")),
                            speed=rng.choice(["less_than_one_hour", "same_day", "next_day"]),
                            source="authority",
                        )
                    )
    copy_rows(Quote, quotes)
    CorridorQuarter.objects.bulk_create(averages)
    counts.update(providers=len(providers), corridors=len(corridors), quotes=len(quotes))
    log(f"{len(providers)} providers, {len(corridors)} corridors, {len(quotes)} quotes")

    # ------------------------------------------------ practices
    practices, themes, practice_countries = [], [], []
    themes_all = ["rights", "consular", "family", "trafficking", "return", "remittances"]
    for n in range(spec["practices"]):
        office = rng.choice(offices)
        created = when(1500)
        status = rng.choices(["published", "submitted", "draft"], [8, 1, 1])[0]
        published = created + dt.timedelta(days=10) if status == "published" else None
        p = Practice(
            id=uuid.uuid4(),
            created=created,
            modified=created,
            created_by_id=users[(office.pk, "officer")],
            author_office=office,
            author_id=users[(office.pk, "officer")],
            status=status,
            language="es",
            title=f"Práctica {n}: "
            + rng.choice(
                [
                    "ventanilla consular móvil",
                    "protocolo de retorno digno",
                    "red de albergues en la ruta",
                    "registro de remesas para el desarrollo",
                    "atención a niñez no acompañada",
                ]
            ),
            summary="Una práctica de cooperación entre consulados y autoridades.",
            description="Descripción de la práctica, sus socios, resultados y evidencia. " * 5,
            contact_name=f"Contacto {n}",
            contact_email=f"practica{n}@example.org",
            submitted_at=created if status != "draft" else None,
            published_at=published,
        )
        practices.append(p)
        for theme in rng.sample(themes_all, 2):
            themes.append(PracticeTheme(practice_id=p.id, theme=theme))
        practice_countries.append((p.id, office.country_id))
    copy_rows(Practice, practices)
    copy_rows(
        PracticeTheme, themes, [f for f in PracticeTheme._meta.concrete_fields if f.name != "id"]
    )
    copy_plain(
        Practice.countries.through._meta.db_table, ["practice_id", "country_id"], practice_countries
    )
    with connection.cursor() as cur:  # the search index, as enlace.practices.search writes it
        text = "concat_ws(' ', title, summary, description)"
        cur.execute(
            "INSERT INTO practices_practice_search (practice_id, vector) "
            f"SELECT id, {_pg_stems_sql('es', text)} FROM practices_practice"
        )
    counts["practices"] = len(practices)
    log(f"{len(practices)} practices")

    # ------------------------------------------------ forums
    forums, meetings, items, positions, members = [], [], [], [], []
    kinds = ["gfmd", "eu_lac", "rcm", "sacm", "other"]
    for f in range(spec["forums"]):
        created = when(2000)
        forum = Forum(
            id=uuid.uuid4(),
            created=created,
            modified=created,
            name=f"Foro bench {f}",
            kind=kinds[f % len(kinds)],
            description="Foro multilateral de diálogo migratorio.",
        )
        forums.append(forum)
        members += [(forum.id, c) for c in countries]
        for m in range(8):
            starts = today - dt.timedelta(days=90 * m + rng.randrange(30))
            meeting = Meeting(
                id=uuid.uuid4(),
                created=created,
                modified=created,
                forum_id=forum.id,
                title=f"Reunión {m + 1} del foro {f}",
                city="Ciudad",
                country_id=rng.choice(countries),
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=2),
            )
            meetings.append(meeting)
            for i in range(6):
                item = AgendaItem(
                    id=uuid.uuid4(),
                    created=created,
                    modified=created,
                    meeting_id=meeting.id,
                    title=f"Punto {i + 1}: migración laboral y protección",
                    description="Punto de agenda.",
                    order=i + 1,
                )
                items.append(item)
                for c in countries:
                    positions.append(
                        CountryPosition(
                            id=uuid.uuid4(),
                            created=created,
                            modified=created,
                            item_id=item.id,
                            country_id=c,
                            text=f"Posición de {c} sobre el punto {i + 1}.",
                            status=rng.choice(["draft", "submitted", "endorsed"]),
                            is_public=rng.random() < 0.5,
                        )
                    )
    copy_rows(Forum, forums)
    copy_plain(Forum.members.through._meta.db_table, ["forum_id", "country_id"], members)
    copy_rows(Meeting, meetings)
    copy_rows(AgendaItem, items)
    copy_rows(CountryPosition, positions)
    counts.update(forums=len(forums), meetings=len(meetings), agenda_items=len(items))
    log(f"{len(forums)} forums, {len(meetings)} meetings, {len(items)} items")

    # ------------------------------------------------ inbox
    with connection.cursor() as cur:
        cur.execute("SELECT id, reference, owner_office_id FROM cases_case LIMIT %s", [5000])
        some_cases = cur.fetchall()
    inbox = []
    for _ in range(spec["inbox"]):
        case_id, reference, owner = rng.choice(some_cases)
        to = rng.choice(offices)
        created = when(365)
        kind = rng.choice(["referral_received", "case_overdue"])
        params = (
            {"reference": reference, "office": by_id[owner].name}
            if kind == "referral_received"
            else {"reference": reference, "due": str(created.date())}
        )
        inbox.append(
            Item(
                id=uuid.uuid4(),
                created=created,
                modified=created,
                kind=kind,
                office=to,
                roles="",
                params=params,
                link=f"/cases/{case_id}/",
            )
        )
        if len(inbox) == 20_000:
            copy_rows(Item, inbox)
            inbox.clear()
    copy_rows(Item, inbox)
    counts["inbox_items"] = spec["inbox"]
    log(f"{spec['inbox']} inbox items")

    # ------------------------------------------------ portal
    kept: list[tuple[str, str]] = []
    requests, events = [], []
    for _n in range(spec["portal"]):
        office = rng.choice(offices)
        created = when(80)
        reference = "".join(rng.choice(ALPHABET) for _ in range(20))
        secret = "".join(rng.choice(ALPHABET) for _ in range(20))
        kind = "help" if rng.random() < 0.7 else "tracing"
        details: dict[str, Any] = (
            {"situation": "detention", "description": "Mi hermano está detenido."}
            if kind == "help"
            else {"given_names": "Ana", "first_surname": "López", "relation": "sibling", "sex": "F"}
        )
        status = rng.choices(["received", "working", "closed"], [6, 3, 1])[0]
        pr = PublicRequest(
            id=uuid.uuid4(),
            created=created,
            modified=created,
            kind=kind,
            reference=reference,
            secret_digest=secret_digest(secret),
            office=office,
            status=status,
            language="es",
            nationality_id=office.country_id,
            country_id=office.host_country_id,
            details=details,
            contact_phone="+1 555 0100",
            consent=kind == "tracing",
            updated=created,
        )
        requests.append(pr)
        events.append(RequestEvent(request_id=pr.id, action="submitted", at=created))
        if len(kept) < PORTAL_CODES_KEPT and status != "closed":
            kept.append((reference, secret))
        if len(requests) == 20_000:
            copy_rows(PublicRequest, requests)
            copy_rows(RequestEvent, events, _no_id(RequestEvent))
            requests.clear()
            events.clear()
    copy_rows(PublicRequest, requests)
    copy_rows(RequestEvent, events, _no_id(RequestEvent))
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS bench_web_portal_codes (reference text, secret text)"
        )
        cur.execute("DELETE FROM bench_web_portal_codes")
    copy_plain("bench_web_portal_codes", ["reference", "secret"], kept)
    counts["portal_requests"] = spec["portal"]
    log(f"{spec['portal']} requests from the public")

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_web_modules_meta (spec text)")
        cur.execute("DELETE FROM bench_web_modules_meta")
        cur.execute("INSERT INTO bench_web_modules_meta VALUES (%s)", [json.dumps(spec)])
        connection.ensure_connection()
        old = connection.connection.autocommit
        connection.connection.autocommit = True
        cur.execute(f"VACUUM ANALYZE {', '.join(TABLES)}")
        connection.connection.autocommit = old
    log("indicator sources and release (manage.py indicators_import, publish_indicators)")
    t0 = time.perf_counter()
    publish()
    counts["publish_seconds"] = round(time.perf_counter() - t0)
    log(f"modules loaded in {time.perf_counter() - started:.0f} s: {counts}")
    return counts


def _no_id(model: Any) -> list[Any]:
    return [f for f in model._meta.concrete_fields if f.name != "id"]


def run_publish(env: dict[str, str], cwd: Any, python: str) -> None:
    """The indicator pages' official sources (vendored, idempotent), then the indicators'
    daily job, as the operator runs them."""
    for command in ("indicators_import", "publish_indicators"):
        done = subprocess.run(
            [python, "manage.py", command],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"{command} failed: {done.stderr[-800:]}")
        print(done.stdout.strip()[-600:], flush=True)
