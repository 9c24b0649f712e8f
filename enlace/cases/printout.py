"""A case's printable summary as a PDF (fpdf2, pure Python: nothing to install on the machine).

It shows what the case's page shows its reader, no more: the person's name only to whoever may
see it (trafficking and GBV identities stay hidden), the migratory status only to the owning
office, a receiving office only its own referral. Making it is an export of the case: the read
is logged with purpose EXPORT (a refused one too), through the same read function as the page.

Fonts: a Unicode TrueType font (DejaVu Sans) when the machine has one, so that "Nguyễn Thị Ánh"
prints as written; otherwise PDF's built-in Helvetica, which holds only Latin-1, and letters
outside it lose their extra accents ("Nguyên Thi Ánh", "Otsuka") rather than the whole name.
"""

import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from enlace.access import rules
from enlace.access.reads import Purpose
from enlace.accounts.actor import Actor
from enlace.people.present import display_name

from . import selectors
from .models import Case


def _font_dir() -> Path | None:
    """The first of settings.ENLACE_PDF_FONT_DIRS that holds DejaVu Sans (regular and bold)."""
    for folder in settings.ENLACE_PDF_FONT_DIRS:
        path = Path(folder)
        if (path / "DejaVuSans.ttf").is_file() and (path / "DejaVuSans-Bold.ttf").is_file():
            return path
    return None


def latin1(text: str) -> str:
    """The text in Latin-1 for the built-in font: a letter outside it drops accents until it
    fits (ễ → ê, ị → i, Ō → O); anything with no Latin-1 form becomes "?"."""
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
            continue
        parts = unicodedata.normalize("NFD", ch)
        while len(parts) > 1 and not _fits(unicodedata.normalize("NFC", parts)):
            parts = parts[:-1]
        composed = unicodedata.normalize("NFC", parts)
        out.append(composed if _fits(composed) else "?")
    return "".join(out)


def _fits(text: str) -> bool:
    return all(ord(ch) < 256 for ch in text)


class _Pdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        folder = _font_dir()
        self.unicode = folder is not None
        if folder is not None:
            self.add_font("Body", "", str(folder / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(folder / "DejaVuSans-Bold.ttf"))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=18)

    def text_for(self, value: Any) -> str:
        text = "" if value is None else str(value)
        return text if self.unicode else latin1(text)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(self.family, "", 8)
        self.set_text_color(90, 90, 90)
        page = f"{self.page_no()}/{{nb}}"
        self.cell(0, 5, self.text_for(f"{self.footer_text} · {page}"), align="C")

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(3)
        self.set_font(self.family, "B", size)
        self.set_text_color(11, 95, 138)
        self.multi_cell(0, 7, self.text_for(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def fact(self, label: str, value: Any) -> None:
        self.set_font(self.family, "B", 10)
        self.cell(55, 6, self.text_for(label))
        self.set_font(self.family, "", 10)
        self.multi_cell(0, 6, self.text_for(value or "—"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(self, text: str, size: int = 10, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.multi_cell(0, 5.5, self.text_for(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _who(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _timeline_line(item: dict[str, Any]) -> tuple[str, str]:
    """(heading, detail) of one timeline entry, in the words of the case page."""
    o = item["obj"]
    kind = item["kind"]
    if kind == "transition":
        return f"{o.get_to_status_display()} — {_who(o.actor)}", o.note
    if kind == "action":
        head = f"{o.get_service_type_display()} ({_day(o.date)})"
        if o.provider:
            head += f" · {o.provider}"
        return f"{head} — {o.office.name}", o.outcome
    if kind == "note":
        return f"{_('Note')} — {_who(o.created_by)}, {o.office.name}", o.text
    if kind == "referral":
        return f"{_('Referral')} → {o.to_office.name} ({o.get_status_display()})", ""
    return f"{_('File')}: {o.original_name} — {o.office.name}", ""


def case_summary_pdf(*, actor: Actor, case_id: Any) -> tuple[Case, bytes]:
    """The case and its summary as PDF bytes, for a reader who may export it (else 404); the
    read is logged as an export."""
    case = selectors.case_read(
        actor=actor, case_id=case_id, purpose=Purpose.EXPORT, check=rules.can_export_case
    )
    person = case.person
    printed = formats.date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")
    pdf = _Pdf(
        _("Confidential. Printed by %(user)s on %(when)s; this printout is recorded.")
        % {"user": _who(actor.user), "when": printed}
    )
    pdf.set_compression(settings.ENLACE_PDF_COMPRESS)
    pdf.set_title(f"{_('Case summary')} {case.reference}")
    pdf.set_creator("Enlace")
    pdf.add_page()

    pdf.set_font(pdf.family, "B", 18)
    pdf.cell(0, 10, pdf.text_for(case.reference), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.paragraph(_("Case summary"), size=11)

    pdf.heading(_("Case"))
    status = case.get_status_display()
    if case.closure_pending:
        status += f" ({_('closure requested')})"
    pdf.fact(_("Case type"), case.get_case_type_display())
    pdf.fact(_("Status"), status)
    pdf.fact(_("Risk level"), case.get_risk_level_display())
    pdf.fact(_("Opened"), _day(case.created))
    pdf.fact(_("Due date"), _day(case.due_date))
    if case.closed_at:
        pdf.fact(_("Closed"), _day(case.closed_at))
    pdf.fact(_("Office"), case.owner_office.name)
    pdf.fact(_("Assigned officer"), _who(case.assigned_to))
    pdf.fact(_("Summary"), case.summary)

    pdf.heading(_("Person"))
    pdf.fact(_("Name"), display_name(actor, person))
    # The firewall: only the owning office ever sees the migratory status.
    if rules.sees_migratory_status(actor, case.owner_office_id) and person.migratory_status:
        pdf.fact(_("Migratory status"), person.get_migratory_status_display())

    detention = getattr(case, "detention", None)
    if detention is not None:
        pdf.heading(_("Art. 36 notification log"))
        pdf.fact(_("Date of arrest"), _day(detention.arrest_date))
        pdf.fact(_("Place of detention"), detention.detention_place)
        pdf.fact(_("Date the consulate was notified"), _day(detention.notified_on))
        pdf.fact(_("First contact"), _day(detention.first_contact_on))
        pdf.fact(_("First visit"), _day(detention.first_visit_on))

    pdf.heading(_("Timeline"))
    timeline = selectors.case_timeline(actor=actor, case=case)
    if not timeline:
        pdf.paragraph(_("Nothing recorded yet."))
    for item in timeline:
        head, detail = _timeline_line(item)
        pdf.set_text_color(90, 90, 90)
        pdf.paragraph(_day(item["at"]), size=8)
        pdf.set_text_color(0, 0, 0)
        pdf.paragraph(head, bold=True)
        if detail:
            pdf.paragraph(detail)
        pdf.ln(1.5)
    return case, bytes(pdf.output())
