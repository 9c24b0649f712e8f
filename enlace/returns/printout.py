"""A return's printable file for the escort (PDF, fpdf2, as enlace.cases.printout): the
itinerary, the escort, special needs, the receiving office's contact, the travel documents, and
who returns — the name only for a reader who sees the person's identity. NEVER the migratory
status: it is not part of a return (enlace.returns.present). Making it is an export: the read is
logged with purpose EXPORT, a refused one too; 404 for whoever does not see the return."""

from typing import Any

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from enlace.access.reads import Purpose
from enlace.accounts.actor import Actor
from enlace.cases.printout import _day, _Pdf, _who

from . import rules, selectors
from .models import Return
from .present import return_data


def _office_contact(office: Any) -> str:
    """The receiving office's name and how to reach it (what its record holds)."""
    if office is None:
        return ""
    parts = [office.name]
    for field in ("city", "address", "phone", "email"):
        value = getattr(office, field, "")
        if value:
            parts.append(str(value))
    return " · ".join(parts)


def return_file_pdf(*, actor: Actor, return_id: Any) -> tuple[Return, bytes]:
    """The return and its file as PDF bytes, for a reader who sees the return (else 404)."""
    ret = selectors.return_read(
        actor=actor, return_id=return_id, purpose=Purpose.EXPORT, check=rules.sees
    )
    data = return_data(actor, ret)
    person = data["person"]
    printed = formats.date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")
    pdf = _Pdf(
        _("Confidential. Printed by %(user)s on %(when)s; this printout is recorded.")
        % {"user": _who(actor.user), "when": printed}
    )
    pdf.set_compression(settings.ENLACE_PDF_COMPRESS)
    pdf.set_title(f"{_('Return file')} {ret.reference}")
    pdf.set_creator("Enlace")
    pdf.add_page()

    pdf.set_font(pdf.family, "B", 18)
    pdf.cell(0, 10, pdf.text_for(ret.reference), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.paragraph(_("Return file for the escort"), size=11)

    pdf.heading(_("Who returns"))
    pdf.fact(_("Name"), person["name"])
    pdf.fact(_("Sex"), person["sex_label"])
    pdf.fact(_("Age group"), person["age_group"])
    pdf.fact(_("Languages"), person["languages"])
    if data["is_child"]:
        pdf.fact(
            _("Child"),
            _("Unaccompanied or separated child") if data["unaccompanied_child"] else _("Yes"),
        )
    pdf.fact(_("Vulnerabilities"), ", ".join(v["label"] for v in data["vulnerabilities"]))

    pdf.heading(_("Journey"))
    pdf.fact(_("Status"), data["status_label"])
    pdf.fact(_("Planned departure"), _day(ret.planned_departure_on))
    pdf.fact(_("Expected arrival"), _day(ret.expected_arrival_on))
    pdf.fact(_("Escort"), data["escort"] or (_("Required") if data["escort_required"] else ""))
    pdf.fact(_("Special needs on the journey"), data["special_needs"])
    if data["legs"]:
        for leg in data["legs"]:
            line = f"{leg['origin']} → {leg['destination']} · {leg['transport_label']}"
            if leg["carrier"]:
                line += f" · {leg['carrier']}"
            pdf.fact(_day(leg["date"]), line)
    else:
        pdf.paragraph(_("No itinerary recorded yet."))

    pdf.heading(_("Offices"))
    pdf.fact(_("Sending office"), _office_contact(ret.owner_office))
    pdf.fact(_("Receiving office"), _office_contact(ret.receiving_office))
    pdf.fact(_("Country of origin"), ret.origin_country.name)

    pdf.heading(_("Travel documents"))
    if not data["documents"]:
        pdf.paragraph(_("No travel document requested yet."))
    for doc in data["documents"]:
        line = doc["doc_type_label"]
        if doc.get("number"):
            line += f" {doc['number']}"
        if doc["issued_on"]:
            line += " · " + _("issued on %(date)s") % {"date": _day(doc["issued_on"])}
        if doc["valid_until"]:
            line += " · " + _("valid until %(date)s") % {"date": _day(doc["valid_until"])}
        pdf.paragraph(line)

    pdf.heading(_("Consent"))
    pdf.fact(_("Informed consent signed on"), _day(data["consent_signed_on"]))
    pdf.fact(_("Handed over on"), _day(data["handed_over_on"]))
    return ret, bytes(pdf.output())
