"""How a practice is shown: its text in the reader's language when it has that translation,
else in its original language (with the language named, for `lang` attributes and readers)."""

from dataclasses import dataclass
from typing import Any

from .models import Language, Practice, PracticeTranslation, Status, TargetGroup, Theme


@dataclass(frozen=True)
class Text:
    language: str
    title: str
    summary: str
    description: str

    @property
    def language_label(self) -> str:
        return str(Language(self.language).label)


def versions(practice: Practice) -> dict[str, Text]:
    """Every language version of the practice (the original first)."""
    found = {
        practice.language: Text(
            practice.language, practice.title, practice.summary, practice.description
        )
    }
    translations: list[PracticeTranslation] = list(practice.translations.all())
    for t in sorted(translations, key=lambda t: t.language):
        found.setdefault(t.language, Text(t.language, t.title, t.summary, t.description))
    return found


def text_in(practice: Practice, language: str) -> Text:
    """The practice in `language` if it has that version, else as written."""
    all_versions = versions(practice)
    return all_versions.get(language) or all_versions[practice.language]


def theme_labels(practice: Practice) -> list[str]:
    codes = {t.theme for t in practice.themes.all()}
    return [str(label) for value, label in Theme.choices if value in codes]


def group_labels(practice: Practice) -> list[str]:
    codes = {g.group for g in practice.target_groups.all()}
    return [str(label) for value, label in TargetGroup.choices if value in codes]


def country_names(practice: Practice) -> list[str]:
    return sorted(c.name for c in practice.countries.all())


def row(practice: Practice, language: str) -> dict[str, Any]:
    """What a list row shows of a practice."""
    text = text_in(practice, language)
    return {
        "id": practice.pk,
        "text": text,
        "translated": text.language != practice.language,
        "office": practice.author_office.name,
        "countries": country_names(practice),
        "themes": theme_labels(practice),
        "status": practice.status,
        "status_label": Status(practice.status).label,
        "published_at": practice.published_at,
        "modified": practice.modified,
    }


def api_data(practice: Practice, language: str, detail: bool = False) -> dict[str, Any]:
    """The public API's fields of a published practice (never the contact's address)."""
    text = text_in(practice, language)
    data: dict[str, Any] = {
        "id": practice.pk,
        "language": practice.language,
        "shown_language": text.language,
        "title": text.title,
        "summary": text.summary,
        "office": practice.author_office.name,
        "countries": sorted(c.code for c in practice.countries.all()),
        "themes": sorted(t.theme for t in practice.themes.all()),
        "published_at": practice.published_at,
    }
    if detail:
        data |= {
            "description": text.description,
            "target_groups": sorted(g.group for g in practice.target_groups.all()),
            "gcm_objectives": sorted(o.number for o in practice.gcm_objectives.all()),
            "partners": practice.partners,
            "results": practice.results,
            "evidence": practice.evidence,
            "started_on": practice.started_on,
            "ended_on": practice.ended_on,
            "contact_name": practice.contact_name,
            "translations": [
                {"language": v.language, "title": v.title, "summary": v.summary}
                for v in versions(practice).values()
                if v.language != practice.language
            ],
            "attachments": [
                {"id": a.pk, "name": a.original_name, "size": a.size}
                for a in practice.attachments.all()
            ],
        }
    return data
