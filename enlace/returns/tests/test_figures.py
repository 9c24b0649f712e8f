"""Figures for the indicators module: aggregates of distinct persons, cells under the
disclosure threshold hidden, nothing that identifies a person."""

import json

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Membership, Office, Role, User
from enlace.core.disclosure import DISCLOSURE_THRESHOLD
from enlace.returns import services
from enlace.returns.selectors import return_figures

FIELDS = ("sex", "age_group", "origin_country", "month", "outcome")


def _analyst():
    office = Office.objects.create(
        name="Secretaría regional",
        kind=Office.Kind.SECRETARIAT,
        country_id="CR",
        host_country_id="CR",
        city="San José",
    )
    user = User.objects.create_user(username="analista", password="x-test-password-1")
    membership = Membership.objects.create(user=user, office=office, role=Role.ANALYST)
    user.active_membership = membership
    user.save()
    return actor_for(user)


def _open(rw, n, sex, birth):
    people = []
    for i in range(n):
        person = rw.person(birth_date=birth, sex=sex, given_names=f"Persona {sex}{i}")
        services.return_open(actor=rw.officer, person=person)
        people.append(person)
    return people


def test_small_cells_are_hidden_and_no_person_leaves(rw):
    women = _open(rw, DISCLOSURE_THRESHOLD, "F", "1990-01-01")
    men = _open(rw, DISCLOSURE_THRESHOLD - 1, "M", "2012-01-01")  # one short: hidden
    figures = return_figures(actor=_analyst())
    assert set(figures) == set(FIELDS)
    assert figures["sex"]["F"].value == DISCLOSURE_THRESHOLD
    assert figures["sex"]["M"].suppressed and str(figures["sex"]["M"]) == f"<{DISCLOSURE_THRESHOLD}"
    assert figures["age_group"]["35-49"].value == DISCLOSURE_THRESHOLD
    assert figures["age_group"]["12-17"].suppressed
    total = DISCLOSURE_THRESHOLD * 2 - 1
    assert figures["origin_country"]["MX"].value == total
    assert sum(c.value or 0 for c in figures["month"].values()) == total
    assert figures["outcome"]["open"].value == total
    # Aggregates only: no id, name or exact date of anyone.
    text = json.dumps({d: {k: str(c) for k, c in cells.items()} for d, cells in figures.items()})
    for person in women + men:
        assert str(person.pk) not in text and person.given_names not in text
        assert person.birth_date.isoformat() not in text


def test_a_person_counts_once(rw):
    """A person with a withdrawn return and a new one is one person in every cell."""
    people = _open(rw, DISCLOSURE_THRESHOLD, "F", "1990-01-01")
    first = people[0].returns.get()
    services.return_withdraw(actor=rw.officer, ret=first, version=first.version)
    services.return_open(actor=rw.officer, person=people[0])
    figures = return_figures(actor=_analyst())
    assert figures["sex"]["F"].value == DISCLOSURE_THRESHOLD
    assert figures["origin_country"]["MX"].value == DISCLOSURE_THRESHOLD
    assert figures["outcome"]["open"].value == DISCLOSURE_THRESHOLD
    assert figures["outcome"]["withdrawn"].suppressed  # one person


def test_figures_are_scoped(rw):
    _open(rw, DISCLOSURE_THRESHOLD, "F", "1990-01-01")
    # The Guatemalan consulate's officer counts none of Mexico's returns.
    other = actor_for(rw.network.user(Role.OFFICER, "other_country"))
    assert all(not cells for cells in return_figures(actor=other).values())
    # An association's representative reads no figures of returns at all.
    rep = actor_for(rw.network.user(Role.ASSOCIATION_REP))
    assert all(not cells for cells in return_figures(actor=rep).values())
    assert return_figures(actor=rw.officer)["sex"]["F"].value == DISCLOSURE_THRESHOLD
