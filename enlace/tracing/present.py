"""What each side of a tracing match may see of the other.

Before the owning office confirms with the person's consent, the requesting office learns only
that a possible match exists at a given office (name and country, no contacts) and a coarse
strength ("strong" or "possible", from fixed cut-offs of the probability): no score, no
weight, no field-by-field explanation, which answered questions such as "is the date of birth
exactly this?" one request at a time. Its answer has the same keys whatever the levels. The
owning office, which reviews the match, sees the score and the full explanation, and learns
only which office asks and the requester's relation, not the requester's name or contact.
After confirmation both see each other, as the reunification needs; if the person then
refuses tracing or withdraws consent, the requester sees only that the match was withdrawn.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.accounts.actor import Actor
from enlace.core.validation import DatePrecision
from enlace.people.models import Person
from enlace.people.present import display_name

from .models import TracingMatch, TracingRequest
from .selectors import is_owner_side, withdrawn_for_requester

# The one cut-off of the strength the requesting office sees (a probability, 0 to 1).
STRONG_MATCH_PROBABILITY = 0.9
STRENGTH_LABELS = {"strong": _("Strong possible match"), "possible": _("Possible match")}


def match_strength(probability: float) -> str:
    return "strong" if probability >= STRONG_MATCH_PROBABILITY else "possible"


FIELD_LABELS = {
    "given_names": _("Given names"),
    "surnames": _("Surnames"),
    "birth_date": _("Date of birth"),
    "sex": _("Sex"),
    "birth_place": _("Place of birth"),
    "nationality": _("Nationality"),
    "mother_name": _("Mother's name"),
    "document_number": _("Identity document number"),
}


# The engine's agreement levels (enlace.linkage.comparisons) in words for caseworkers.
LEVEL_LABELS = {
    "exact": _("the same"),
    "exact_frequent": _("the same, a very common name"),
    "one_contains_other_frequent": _(
        "one contains the other, a very common name (e.g. a nickname or one of two names)"
    ),
    "within_one_edit": _("one letter apart (a typing slip)"),
    "two_shared_frequent": _("both surnames in common, very common ones"),
    "one_shared_other_missing_frequent": _(
        "one surname in common, a very common one, the other missing"
    ),
    "full_dates_differ": _("two full dates that differ in day and month"),
    "null": _("missing on one side: not compared"),
    "null_or_given_names_differ": _("not compared (missing, or the given names differ)"),
    "different": _("different"),
    "similar": _("similar (spelling or sound)"),
    "one_contains_other": _("one contains the other (e.g. a nickname or one of two names)"),
    "some_name_shared": _("a name in common"),
    "one_shared": _("one surname in common"),
    "one_shared_other_missing": _("one surname in common, the other missing"),
    "two_shared": _("both surnames in common"),
    "two_similar": _("both surnames alike (spelling)"),
    "two_words_each_adds": _("two words in common, and each name has a word the other lacks"),
    "two_words_frequent": _("two words in common, both very common names"),
    "swapped_with_given": _("given names and surnames swapped"),
    "swapped_with_surnames": _("given names and surnames swapped"),
    "same_year_compatible": _("same year, compatible"),
    "within_1_year": _("within one year"),
    "within_5_years": _("two to five years apart"),
    "day_month_swap_or_typo": _("day and month swapped, or a typo"),
    "one_edit": _("one character apart"),
    "two_edits": _("two characters apart"),
}


def explanation_rows(match: TracingMatch) -> list[dict[str, Any]]:
    return [
        {
            "field": field,
            "label": str(FIELD_LABELS.get(field, field)),
            "level": level,
            "level_label": str(LEVEL_LABELS.get(level, level.replace("_", " "))),
            "weight": round(float(weight), 2),
        }
        for field, level, weight in match.explanation
    ]


def match_fields(actor: Actor, match: TracingMatch) -> dict[str, Any]:
    if is_owner_side(actor, match):
        return _owner_fields(actor, match)
    return _requester_fields(match)


def _owner_fields(actor: Actor, match: TracingMatch) -> dict[str, Any]:
    confirmed = match.status == TracingMatch.Status.CONFIRMED
    data: dict[str, Any] = {
        "id": str(match.pk),
        "status": match.status,
        "side": "owner",
        "match_probability": round(match.match_probability, 4),
        "match_weight": round(match.match_weight, 2),
        "explanation": explanation_rows(match),
        "repeat_requests": match.repeat_requests,
        "request": str(match.request_id) if confirmed else None,
        "person": str(match.person_id),
        "person_name": display_name(actor, match.person),
        "requesting_office": match.request.office.name,
        "requester_relation": match.request.requester_relation,
    }
    if confirmed:
        data |= request_fields(match.request)
        data["requesting_office_email"] = match.request.office.email
        data["requesting_office_phone"] = match.request.office.phone
        if hasattr(match, "reunification"):
            data["reunification"] = str(match.reunification.pk)
    return data


def _requester_fields(match: TracingMatch) -> dict[str, Any]:
    """The same keys for every proposal, whatever the engine saw field by field."""
    office = match.person.owner_office
    withdrawn = withdrawn_for_requester(match)
    data: dict[str, Any] = {
        "id": str(match.pk),
        "status": TracingMatch.Status.WITHDRAWN if withdrawn else match.status,
        "side": "requester",
        "request": str(match.request_id),
        "office": office.name,
        "office_country": office.country_id,
    }
    if withdrawn:
        return data
    data["strength"] = match_strength(match.match_probability)
    data["strength_label"] = str(STRENGTH_LABELS[data["strength"]])
    if match.status == TracingMatch.Status.CONFIRMED:
        data["person"] = str(match.person_id)
        data["person_name"] = match.person.full_name
        data["office_email"] = office.email
        data["office_phone"] = office.phone
        if hasattr(match, "reunification"):
            data["reunification"] = str(match.reunification.pk)
    return data


def request_fields(request: TracingRequest) -> dict[str, Any]:
    return {
        "reference": request.reference,
        "requester_name": request.requester_name,
        "requester_relation": request.requester_relation,
        "requester_contact": request.requester_contact,
        "sought_name": request.sought_name,
    }


# Side by side (owning office only) ----------------------------------------------------------

# What each agreement level means, in words a caseworker reads after the field's name.
FINDINGS = {
    "exact": _("agree exactly"),
    "exact_frequent": _("agree exactly, but the name is very common: weaker evidence"),
    "one_contains_other_frequent": _(
        "one contains the other, but the name is very common: weaker evidence"
    ),
    "within_one_edit": _("one letter apart: a typing slip"),
    "two_shared_frequent": _("both surnames in common, but they are very common"),
    "one_shared_other_missing_frequent": _(
        "one surname in common, a very common one, the other missing"
    ),
    "full_dates_differ": _("both full dates known, day and month differ"),
    "null": _("not compared: missing on one side"),
    "null_or_given_names_differ": _(
        "not counted: missing, or the given names differ (a brother or sister shares them)"
    ),
    "different": _("do not agree"),
    "similar": _("similar: they differ only in spelling or sound"),
    "one_contains_other": _("one contains the other (a nickname, or one of two names)"),
    "some_name_shared": _("a name in common"),
    "one_shared": _("one surname in common"),
    "one_shared_other_missing": _("one surname in common, the other missing"),
    "two_shared": _("both surnames in common"),
    "two_similar": _("both surnames similar (a letter or two differ)"),
    "two_words_each_adds": _(
        "two words in common, but each name has a word the other lacks: often two different women"
    ),
    "two_words_frequent": _("two words in common, but both are very common names"),
    "swapped_with_given": _("agree once given names and surnames are swapped"),
    "swapped_with_surnames": _("agree once given names and surnames are swapped"),
    "same_year_compatible": _("same year, nothing contradicts"),
    "within_1_year": _("one year apart"),
    "within_5_years": _("two to five years apart"),
    "day_month_swap_or_typo": _("day and month swapped, or one typo"),
    "one_edit": _("similar: one character differs"),
    "two_edits": _("similar: two characters differ"),
}
EFFECTS = {
    "for": _("counts for the match"),
    "against": _("counts against"),
    "none": _("no effect"),
}
# An age fits a year of birth within this many years (families guess ages).
AGE_TOLERANCE_YEARS = 2


def _effect(weight: float) -> str:
    if weight > 0.05:
        return "for"
    if weight < -0.05:
        return "against"
    return "none"


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _person_birth(person: Person) -> str:
    if person.birth_date is None:
        if person.estimated_age is not None:
            return str(_("about %(age)s years old (estimated)") % {"age": person.estimated_age})
        return ""
    precision = person.birth_date_precision
    if precision == DatePrecision.YEAR:
        return str(person.birth_date.year)
    if precision == DatePrecision.MONTH:
        return person.birth_date.strftime("%Y-%m")
    return person.birth_date.isoformat()


def _request_birth(request: TracingRequest) -> str:
    if request.birth_date:
        return request.birth_date
    if request.approximate_age is not None:
        return str(_("about %(age)s years old") % {"age": request.approximate_age})
    return ""


def _age_sentence(request: TracingRequest, person: Person) -> str | None:
    """'Age fits: described about 30, registered born 1994', when the family gave an age."""
    if request.birth_date or request.approximate_age is None:
        return None
    filed = (request.created or timezone.now()).year
    described_year = filed - request.approximate_age
    if person.birth_date is not None:
        year = person.birth_date.year
    elif person.estimated_age is not None and person.age_reported_on is not None:
        year = person.age_reported_on.year - person.estimated_age
    else:
        return None
    values = {"age": request.approximate_age, "year": year}
    if abs(described_year - year) <= AGE_TOLERANCE_YEARS:
        return str(_("Age fits: described about %(age)s, registered born %(year)s") % values)
    return str(_("Age does not fit: described about %(age)s, registered born %(year)s") % values)


def _documents(person: Person) -> str:
    return ", ".join(d.number for d in person.documents.all())


def _described_values(request: TracingRequest) -> dict[str, str]:
    return {
        "given_names": _join(
            request.given_names, f"«{request.nickname}»" if request.nickname else ""
        ),
        "surnames": _join(request.first_surname, request.second_surname),
        "birth_date": _request_birth(request),
        "sex": str(request.get_sex_display()) if request.sex in ("F", "M", "X") else "",
        "birth_place": request.birth_place,
        "nationality": request.nationality.name if request.nationality else "",
        "mother_name": request.mother_name,
        "document_number": request.document_number,
    }


def comparison(match: TracingMatch) -> dict[str, Any]:
    """For the owning office's review: what the family described next to the registered
    person, field by field, each finding in plain words, and the score summed up."""
    request, person = match.request, match.person
    described = _described_values(request)
    registered = {
        "given_names": _join(person.given_names, person.other_names),
        "surnames": _join(person.first_surname, person.second_surname),
        "birth_date": _person_birth(person),
        "sex": str(person.get_sex_display()) if person.sex in ("F", "M", "X") else "",
        "birth_place": person.birth_place,
        "nationality": ", ".join(c.name for c in person.nationalities.all()),
        "mother_name": person.mother_name,
        "document_number": _documents(person),
    }
    levels = {field: (level, float(weight)) for field, level, weight in match.explanation}
    rows = []
    counts = {"for": 0, "against": 0, "none": 0}
    for field, label in FIELD_LABELS.items():
        level, weight = levels.get(field, ("null", 0.0))
        effect = _effect(weight)
        counts[effect] += 1
        finding = str(FINDINGS.get(level, level.replace("_", " ")))
        sentence = str(_("%(field)s: %(finding)s") % {"field": label, "finding": finding})
        if field == "birth_date":
            sentence = _age_sentence(request, person) or sentence
        rows.append(
            {
                "field": field,
                "label": str(label),
                "described": described[field],
                "registered": registered[field],
                "sentence": sentence,
                "effect": effect,
                "effect_label": str(EFFECTS[effect]),
            }
        )
    summary = _(
        "Score %(score)s %%. Fields that count for the match: %(for)s; against: %(against)s; "
        "without effect (missing or not counted): %(none)s."
    ) % {"score": round(match.match_probability * 100), **counts}
    return {
        "rows": rows,
        "summary": str(summary),
        "strength": str(STRENGTH_LABELS[match_strength(match.match_probability)]),
    }
