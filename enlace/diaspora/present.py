"""What the public sees of an association: everything but the contact data it did not mark
public (pages and API share this)."""

from typing import Any

from .models import Association


def public_contact(association: Association) -> dict[str, str]:
    """The contact data the association marked public (empty strings otherwise)."""
    return {
        "contact_name": association.contact_name if association.contact_public else "",
        "email": association.email if association.email_public else "",
        "phone": association.phone if association.phone_public else "",
        "website": association.website,
    }


def municipality_label(municipality: Any) -> str:
    if municipality is None:
        return ""
    return f"{municipality.name}, {municipality.subdivision_name}"


def association_row(association: Association) -> dict[str, Any]:
    """One association as the public directory and the API show it."""
    m = association.origin_municipality
    return {
        "id": association.pk,
        "name": association.name,
        "residence_country": association.residence_country_id,
        "residence_country_name": association.residence_country.name,
        "residence_city": association.residence_city,
        "origin_country": association.origin_country_id,
        "origin_country_name": association.origin_country.name,
        "origin_department": m.subdivision if m else "",
        "origin_department_name": m.subdivision_name if m else "",
        "origin_municipality": m.pk if m else None,
        "origin_municipality_name": m.name if m else "",
        "focus_areas": list(association.focus_areas),
        "focus_area_labels": association.focus_area_labels,
        "members_count": association.members_count,
        "founded_year": association.founded_year,
        "description": association.description,
        **public_contact(association),
    }


def project_row(project: Any) -> dict[str, Any]:
    m = project.municipality
    return {
        "id": project.pk,
        "title": project.title,
        "association": project.association_id,
        "association_name": project.association.name,
        "municipality": m.pk,
        "municipality_name": m.name,
        "department_name": m.subdivision_name,
        "country": m.country_id,
        "project_type": project.project_type,
        "project_type_label": project.get_project_type_display(),
        "status": project.status,
        "status_label": project.get_status_display(),
        "description": project.description,
        "budget": project.budget,
        "currency": project.currency_id,
        "co_funding": [
            {"partner": c.partner, "programme": c.programme, "amount": c.amount}
            for c in project.co_funding.all()
        ],
        "beneficiaries_women": project.beneficiaries_women,
        "beneficiaries_men": project.beneficiaries_men,
        "beneficiaries_other": project.beneficiaries_other,
        "beneficiaries_total": project.beneficiaries_total,
        "start_date": project.start_date,
        "end_date": project.end_date,
    }
