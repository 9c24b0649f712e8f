"""A generated world of protection cases for the disclosure tests: offices of three countries,
persons of every sex and age, cases of several types spread over the quarters of a year (some
closed, detentions with art. 36 logs), written in bulk (a few queries), plus one small cell on
purpose: a country with exactly 3 persons with a detention case."""

import datetime as dt
import random
from dataclasses import dataclass, field

from enlace.accounts.models import Office
from enlace.cases.models import Case, CaseStatus, DetentionLog
from enlace.people.models import Person

YEAR = 2025
TYPES = ("detention", "labour", "documents", "gbv", "hospital")


@dataclass
class World:
    offices: dict[str, Office]
    cases: list[Case] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)


def _at(year: int, quarter: int, day: int) -> dt.datetime:
    return dt.datetime(year, 3 * quarter - 2, 1 + day % 27, 12, tzinfo=dt.UTC)


def generate(seed: int = 7, persons: int = 600) -> World:
    rng = random.Random(seed)
    offices = {
        code: Office.objects.create(
            name=f"World consulate {code}",
            kind=Office.Kind.CONSULATE,
            country_id=code,
            host_country_id="US",
            city="Houston",
        )
        for code in ("MX", "GT", "HN")
    }
    world = World(offices=offices)
    people = []
    for n in range(persons):
        country = rng.choices(("MX", "HN"), weights=(3, 1))[0]
        born = dt.date(rng.randint(1950, 2020), rng.randint(1, 12), rng.randint(1, 28))
        people.append(
            Person(
                owner_office=offices[country],
                given_names=f"Gen{n}",
                first_surname="World",
                sex=rng.choices("FMXU", weights=(45, 45, 3, 7))[0],
                birth_date=born if rng.random() < 0.8 else None,
                estimated_age=None if rng.random() < 0.8 else rng.randint(5, 70),
                search_text=f"gen{n} world",
            )
        )
    small = [
        Person(owner_office=offices["GT"], given_names=f"Small{n}", sex="F", search_text="s")
        for n in range(3)
    ]
    world.persons = Person.objects.bulk_create(people + small)
    cases, dates = [], []
    for person in world.persons[:persons]:
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            case_type = rng.choices(TYPES, weights=(5, 3, 2, 1, 1))[0]
            opened = _at(YEAR, rng.randint(1, 4), rng.randint(0, 80))
            closed = rng.random() < 0.4
            cases.append(
                Case(
                    reference=f"GEN-{len(cases):06d}",
                    owner_office=person.owner_office,
                    person=person,
                    case_type=case_type,
                    summary="generated",
                    status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                    closed_at=opened + dt.timedelta(days=rng.randint(1, 200)) if closed else None,
                )
            )
            dates.append(opened)
    for n, person in enumerate(world.persons[persons:]):
        cases.append(
            Case(
                reference=f"GEN-S{n}",
                owner_office=offices["GT"],
                person=person,
                case_type="detention",
                summary="small",
            )
        )
        dates.append(_at(YEAR, 2, n))
    world.cases = Case.objects.bulk_create(cases)
    by_date: dict[dt.datetime, list[object]] = {}
    for case, opened in zip(world.cases, dates, strict=True):
        case.created = opened
        by_date.setdefault(opened, []).append(case.pk)
    for opened, ids in by_date.items():  # created is auto_now_add: set it after
        Case.objects.filter(pk__in=ids).update(created=opened)
    DetentionLog.objects.bulk_create(
        DetentionLog(
            case=c,
            arrest_date=c.created.date() - dt.timedelta(days=2),
            notified_on=(
                None
                if rng.random() < 0.2
                else c.created.date() + dt.timedelta(days=rng.randint(0, 12))
            ),
        )
        for c in world.cases
        if c.case_type == "detention"
    )
    return world
