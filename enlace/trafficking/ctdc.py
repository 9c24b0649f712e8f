"""A de-identified, case-level extract of trafficking victims in the column layout of IOM's
Counter Trafficking Data Collaborative (CTDC) global dataset, k-anonymised as CTDC publishes it.

Layout and value conventions: shared/data/ctdc (ctdc_data_dictionary.xlsx, the CTDC data
dictionary; ctdc_global_k_anon_sample_rows.csv, rows of the published k-anonymised file):
semicolon-separated, a first column holding the notice in the header and nothing in the rows,
booleans as 0/1, age as the dictionary's broad ranges ("0--8" … "48+"), countries as ISO
3166-1 alpha-2 codes, "Unknown" and empty cells for what is not known, concatenations of value
descriptions in alphabetical order separated by ";".

Disclosure control: CTDC releases its case-level file with k = 11 over the quasi-identifiers
(the columns describing who and where: year of registration, gender, age, majority status,
citizenship, country of exploitation). Records in a group smaller than K are generalised step
by step (age range dropped, then year, then citizenship, then country of exploitation: the
order CTDC's own generalisation follows, age and time first) and suppressed when still in a
group smaller than K. Every released combination of the quasi-identifiers then occurs at least
K times (a group released at one step can only grow when a later step's rows join it). No name,
reference, date, id or free text is written.
"""

import csv
import io
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from enlace.access import roles
from enlace.access.reads import Purpose, read_many
from enlace.accounts.actor import Actor
from enlace.accounts.models import Office

from . import rules, selectors
from .models import CaseKind, TraffickingCase, Victim
from .present import age_of

K = 11
NOTICE = "Enlace de-identified extract in the CTDC layout (k-anonymised, k = 11)"
COLUMNS = (
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "majorityEntry",
    "citizenship",
    "meansOfControlDebtBondage",
    "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess",
    "meansOfControlThreats",
    "meansOfControlPsychologicalAbuse",
    "meansOfControlPhysicalAbuse",
    "meansOfControlSexualAbuse",
    "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances",
    "meansOfControlRestrictsMovement",
    "meansOfControlRestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours",
    "meansOfControlUsesChildren",
    "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities",
    "meansOfControlWithholdsDocuments",
    "meansOfControlOther",
    "meansOfControlNotSpecified",
    "meansOfControlConcatenated",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
    "typeOfExploitConcatenated",
    "typeOfLabourAgriculture",
    "typeOfLabourAquafarming",
    "typeOfLabourBegging",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfLabourIllicitActivities",
    "typeOfLabourManufacturing",
    "typeOfLabourMiningOrDrilling",
    "typeOfLabourPeddling",
    "typeOfLabourTransportation",
    "typeOfLabourOther",
    "typeOfLabourNotSpecified",
    "typeOfLabourConcatenated",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "typeOfSexRemoteInteractiveServices",
    "typeOfSexPrivateSexualServices",
    "typeOfSexConcatenated",
    "isAbduction",
    "RecruiterRelationship",
    "CountryOfExploitation",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
)
QUASI_IDENTIFIERS = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "citizenship",
    "CountryOfExploitation",
)
# Generalisation steps: the columns emptied at each step (cumulative).
STEPS: tuple[tuple[str, ...], ...] = (
    (),
    ("ageBroad",),
    ("ageBroad", "yearOfRegistration"),
    ("ageBroad", "yearOfRegistration", "citizenship"),
    ("ageBroad", "yearOfRegistration", "citizenship", "CountryOfExploitation"),
)

GENDER = {"F": "Female", "M": "Male", "X": "Transgender/NonConforming", "U": "Unknown"}
AGE_RANGES = ((0, 8), (9, 17), (18, 20), (21, 23), (24, 26), (27, 29), (30, 38), (39, 47))

# HTCDS value name → (CTDC column, its value description).
CONTROL = {
    "DebtBondage": ("meansOfControlDebtBondage", "Debt bondage"),
    "TakesEarnings": ("meansOfControlTakesEarnings", "Takes earnings"),
    "RestrictsFinancialAccess": (
        "meansOfControlRestrictsFinancialAccess",
        "Restricts financial access",
    ),
    "PhysicalThreats": ("meansOfControlThreats", "Threats"),
    "PsychologicalAbuse": ("meansOfControlPsychologicalAbuse", "Psychological abuse"),
    "PhysicalAbuse": ("meansOfControlPhysicalAbuse", "Physical abuse"),
    "SexualAbuse": ("meansOfControlSexualAbuse", "Sexual abuse"),
    "FalsePromises": ("meansOfControlFalsePromises", "False promises"),
    "PsychoactiveSubstance": (
        "meansOfControlPsychoactiveSubstances",
        "Psychoactive substances",
    ),
    "RestrictsMedicalCare": ("meansOfControlRestrictsMedicalCare", "Restricts medical care"),
    "ExcessiveWorkingHours": ("meansOfControlExcessiveWorkingHours", "Excessive working hours"),
    "ThreatensChildrenFamily": ("meansOfControlUsesChildren", "Uses children"),
    "ThreatsLawEnforcement": ("meansOfControlThreatOfLawEnforcement", "Threat of law enforcement"),
    "WithholdsNecessities": ("meansOfControlWithholdsNecessities", "Withholds necessities"),
    "WithholdsDocuments": ("meansOfControlWithholdsDocuments", "Withholds documents"),
    "Other": ("meansOfControlOther", "Other"),
}
CONTROL_COLUMNS = sorted({c for c, _d in CONTROL.values()} | {"meansOfControlRestrictsMovement"})
EXPLOITATION = {
    "ForcedLabour": ("isForcedLabour", "Forced labour"),
    "SexualExploitation": ("isSexualExploit", "Sexual exploitation"),
    "ForcedMarriage": ("isForcedMarriage", "Forced marriage"),
    "ForcedMilitaryByNonStateActors": ("isForcedMilitary", "Forced military"),
    "OrganRemoval": ("isOrganRemoval", "Organ removal"),
    "Servitude": ("isSlaveryAndPractices", "Slavery and similar practices"),
}
EXPLOITATION_COLUMNS = (
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
)
# ISIC section (the HTCDS industry's letter) → CTDC type of labour.
LABOUR = {
    "A": ("typeOfLabourAgriculture", "Agriculture"),
    "B": ("typeOfLabourMiningOrDrilling", "Mining or drilling"),
    "C": ("typeOfLabourManufacturing", "Manufacturing"),
    "F": ("typeOfLabourConstruction", "Construction"),
    "G": ("typeOfLabourPeddling", "Peddling"),
    "H": ("typeOfLabourTransportation", "Transportation"),
    "I": ("typeOfLabourHospitality", "Hospitality"),
    "T": ("typeOfLabourDomesticWork", "Domestic work"),
}
# The labour-type flags, in the layout's order (not the concatenated summary column).
LABOUR_COLUMNS = tuple(
    c for c in COLUMNS if c.startswith("typeOfLabour") and c != "typeOfLabourConcatenated"
)
SEX = {
    "Prostitution": ("typeOfSexProstitution", "Prostitution"),
    "Pornography": ("typeOfSexPornography", "Pornography"),
    "RemoteInteractiveServices": (
        "typeOfSexRemoteInteractiveServices",
        "Remote interactive services",
    ),
    "PrivateSexualServices": ("typeOfSexPrivateSexualServices", "Private sexual services"),
}
# HTCDS relationship to the trafficker → CTDC recruiter relation (an acquaintance or a stranger
# is neither partner, friend nor family in CTDC's list: "Other").
RELATION = {
    "Familial": "recruiterRelationFamily",
    "Acquainted": "recruiterRelationOther",
    "Unaquainted": "recruiterRelationOther",
}
RELATION_COLUMNS = (
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
)


def may_extract(actor: Actor) -> bool:
    """The regional secretariat's analysts and the trafficking focal points."""
    office = actor.office
    if office is None:
        return False
    if rules.is_focal_point(actor):
        return True
    return (
        roles.in_group(actor.role, roles.AGGREGATE_READERS)
        and office.kind == Office.Kind.SECRETARIAT
    )


def extract_cases(actor: Actor) -> QuerySet[TraffickingCase]:
    """The trafficking cases an extract covers: every one for the secretariat's analysts
    (de-identified and k-anonymised, as CTDC's public file), the ones they see for focal points."""
    if not may_extract(actor):
        raise Http404
    if rules.is_focal_point(actor):
        qs = selectors.case_list(actor=actor).with_branches(None)  # type: ignore[attr-defined]
    else:
        qs = TraffickingCase.objects.all()
    return qs.filter(kind=CaseKind.TRAFFICKING)


def _age_range(age: int | None) -> str:
    if age is None:
        return ""
    for low, high in AGE_RANGES:
        if low <= age <= high:
            return f"{low}--{high}"
    return "48+"


def _majority(age: int | None) -> str:
    if age is None:
        return "Unknown"
    return "Adult" if age >= 18 else "Minor"


def _flags(chosen: Iterable[str], mapping: dict[str, tuple[str, str]], columns: Iterable[str]):
    chosen = list(chosen)
    row = dict.fromkeys(columns, "")
    words: list[str] = []
    if not chosen:
        return row, ""
    for c in columns:
        row[c] = "0"
    for name in chosen:
        column, word = mapping.get(name, (None, None))
        if column:
            row[column] = "1"
            words.append(word)  # type: ignore[arg-type]
    return row, ";".join(sorted(set(words)))


def victim_record(victim: Victim, exploitation_country: str) -> dict[str, str]:
    """One victim as a CTDC row, before anonymisation."""
    person = victim.person
    case = victim.case
    registered = case.created.date()
    age = age_of(person, today=registered)
    row: dict[str, str] = dict.fromkeys(COLUMNS, "")
    row["yearOfRegistration"] = str(registered.year)
    row["Datasource"] = "Case Management"
    row["gender"] = GENDER.get(person.sex, "Unknown")
    row["ageBroad"] = _age_range(age)
    row["majorityStatus"] = _majority(age)
    at_exploit = victim.age_when_trafficked
    row["majorityStatusAtExploit"] = _majority(at_exploit) if at_exploit is not None else ""
    nationalities = sorted(c.pk for c in person.nationalities.all())
    row["citizenship"] = nationalities[0] if nationalities else ""
    flags, words = _flags(victim.methods_of_control, CONTROL, CONTROL_COLUMNS)
    row |= flags
    row["meansOfControlNotSpecified"] = "0" if victim.methods_of_control else "1"
    row["meansOfControlConcatenated"] = words
    types = list(victim.type_of_exploitation)
    flags, words = _flags(types, EXPLOITATION, EXPLOITATION_COLUMNS)
    row |= flags
    if types:
        other = set(types) - set(EXPLOITATION)
        row["isOtherExploit"] = "1" if other else "0"
        sex_and_labour = {"ForcedLabour", "SexualExploitation"} <= set(types)
        row["isSexAndLabour"] = "1" if sex_and_labour else "0"
        if other:
            words = ";".join(sorted({*filter(None, words.split(";")), "Other"}))
    row["typeOfExploitConcatenated"] = words
    if "ForcedLabour" in types:
        industry = victim.forced_labour_industry
        section = industry[:1] if industry else ""
        chosen = [section] if section else []
        flags, words = _flags(chosen, LABOUR, LABOUR_COLUMNS)
        if section and section not in LABOUR:
            flags["typeOfLabourOther"], words = "1", "Other"
        if not section:
            flags = dict.fromkeys(LABOUR_COLUMNS, "0") | {"typeOfLabourNotSpecified": "1"}
        row |= flags
        row["typeOfLabourConcatenated"] = words
    flags, words = _flags(victim.type_of_sex_exploitation, SEX, [c for c, _w in SEX.values()])
    row |= flags
    row["typeOfSexConcatenated"] = words
    row["CountryOfExploitation"] = exploitation_country
    relation = RELATION.get(victim.relationship_to_trafficker)
    for column in RELATION_COLUMNS:
        row[column] = "0"
    row[relation or "recruiterRelationUnknown"] = "1"
    return row


def anonymise(records: list[dict[str, str]], k: int = K) -> list[dict[str, str]]:
    """Generalise, then suppress, until every combination of the quasi-identifiers in the
    output occurs at least k times (see the module's docstring)."""
    released: list[dict[str, str]] = []
    pending = [dict(r) for r in records]
    for emptied in STEPS:
        for record in pending:
            for column in emptied:
                record[column] = ""
        groups = Counter(tuple(r[c] for c in QUASI_IDENTIFIERS) for r in pending)
        keep = [r for r in pending if groups[tuple(r[c] for c in QUASI_IDENTIFIERS)] >= k]
        released += keep
        pending = [r for r in pending if groups[tuple(r[c] for c in QUASI_IDENTIFIERS)] < k]
    return released  # the rest is suppressed


def extract_rows(actor: Actor) -> list[dict[str, str]]:
    """The extract's rows for the actor; each case is logged as read for export."""
    cases = list(extract_cases(actor).select_related("owner_office"))
    read_many(actor=actor, records=cases, purpose=Purpose.EXPORT)
    ids = [c.pk for c in cases]
    victims = (
        Victim.objects.filter(case_id__in=ids)
        .exclude(trafficking_status="NotAVictimOfTrafficking")
        .select_related("case", "person")
        .prefetch_related("person__nationalities")
        .order_by("case__created", "case_id", "created")
    )
    exploited: dict[Any, str] = {}
    from .models import HistoricEvent

    for case_id, country in (
        HistoricEvent.objects.filter(case_id__in=ids, type="Exploitation", country__isnull=False)
        .order_by("date", "created")
        .values_list("case_id", "country_id")
    ):
        exploited.setdefault(case_id, country)
    records = [victim_record(v, exploited.get(v.case_id, "")) for v in victims]
    # The released order says nothing of the registration order.
    released = anonymise(records)
    released.sort(key=lambda r: tuple(r[c] for c in COLUMNS))
    return released


def extract_csv(actor: Actor) -> bytes:
    """The extract as CTDC's CSV: ';'-separated, the notice first in the header."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow([NOTICE, *COLUMNS])
    for row in extract_rows(actor):
        writer.writerow(["", *(row[c] for c in COLUMNS)])
    return out.getvalue().encode("utf-8")
