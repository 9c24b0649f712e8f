"""Who handles data-protection work, in terms of the access layer's role groups.

Rights requests are recorded and answered by the staff of the office that holds the person
(only it may correct or erase them); anonymising is irreversible, so it takes a supervisor.
The breach register is kept by supervisors (their office), national focal points (their
country's offices) and administrators; the regional secretariat reads it (no person in it).
"""

from django.db.models import Q

from enlace.access import rules
from enlace.accounts.actor import Actor


def handles_requests(actor: Actor) -> bool:
    return rules.is_office_staff(actor)


def may_anonymise(actor: Actor) -> bool:
    return rules.is_approver(actor)


def request_scope(actor: Actor) -> Q:
    """The rights requests the actor works: their office's, for its staff."""
    if not handles_requests(actor):
        return rules.NOTHING
    return Q(office=actor.office)


def records_breaches(actor: Actor) -> bool:
    return (
        rules.is_approver(actor) or rules.oversees_country(actor) or rules.is_administrator(actor)
    )


def reads_breaches(actor: Actor) -> bool:
    return records_breaches(actor) or rules.reads_aggregates(actor)


def breach_scope(actor: Actor) -> Q:
    """Supervisors: their office's breaches; national focal points: their country's offices';
    administrators and the secretariat: all."""
    if rules.is_administrator(actor) or rules.reads_aggregates(actor):
        return Q()
    if rules.oversees_country(actor):
        return Q(office__country_id=actor.country_code)
    if rules.is_approver(actor):
        return Q(office=actor.office)
    return rules.NOTHING


def may_edit_breach(actor: Actor) -> bool:
    """Record that a breach was notified: those who keep the register (within its scope)."""
    return records_breaches(actor)
