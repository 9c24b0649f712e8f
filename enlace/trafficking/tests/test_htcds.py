"""The HTCDS catalogue matches the standard's machine-readable field list, and the models keep
only its value names."""

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.core.exceptions import ValidationError

from enlace.core.errors import ValidationFailed
from enlace.trafficking import htcds
from enlace.trafficking.models import Perpetrator, Victim

ODS = Path(__file__).resolve().parent / "data" / "htcds"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _standard_rows() -> dict[str, list[str]]:
    """{field name with prefix: row} from the standard's spreadsheet."""
    source = ODS / "field-standards-2.0.ods"
    root = ET.fromstring(zipfile.ZipFile(source).read("content.xml"))  # noqa: S314 - a vendored file
    rows: dict[str, list[str]] = {}
    for row in root.iter(f"{TABLE}table-row"):
        cells: list[str] = []
        for cell in row:
            repeat = min(int(cell.get(f"{TABLE}number-columns-repeated", "1")), 20)
            text = "\n".join("".join(p.itertext()) for p in cell.iter(f"{TEXT}p"))
            cells.extend([text] * repeat)
        # Some rows leave "Field Name including Prefix" empty (per_Organisation).
        if len(cells) > 4 and cells[3].endswith("_") and cells[4]:
            rows[cells[6] if len(cells) > 6 and cells[6] else cells[3] + cells[4]] = cells
    return rows


def test_every_picklist_has_exactly_the_standards_value_names():
    rows = _standard_rows()
    checked = 0
    for spec in htcds.FIELDS:
        assert spec.name in rows, spec.name
        if spec.options:
            names = [n.strip() for n in rows[spec.name][9].split("\n") if n.strip()]
            assert [v.name for v in spec.options] == names, spec.name
            checked += 1
    assert checked >= 14


def test_catalogue_covers_every_kept_group_of_the_standard():
    rows = _standard_rows()
    for prefix in htcds.GROUPS:
        live = {
            name
            for name, row in rows.items()
            if name.startswith(f"{prefix}_") and row[1] != "DEPRECATED"
        }
        assert live <= {f.name for f in htcds.group(prefix)}, prefix


def test_every_kept_field_names_a_real_model_field():
    from django.apps import apps

    for spec in htcds.FIELDS:
        if spec.attribute is None:
            continue
        model = apps.get_model(spec.model)
        model._meta.get_field(spec.attribute)  # raises FieldDoesNotExist


def test_check_choices_orders_deduplicates_and_refuses_unknown_names():
    assert htcds.check_choices(
        "vic_MethodsOfControl", ["WithholdsDocuments", "DebtBondage", "DebtBondage"], key="m"
    ) == ["DebtBondage", "WithholdsDocuments"]
    with pytest.raises(ValidationFailed) as exc:
        htcds.check_choices("vic_MethodsOfControl", ["debt bondage"], key="m")
    assert "m" in exc.value.errors
    with pytest.raises(ValidationFailed):
        htcds.check_choice("cas_Status", "Open", key="status")
    assert htcds.check_choice("cas_Status", "FollowUp", key="status") == "FollowUp"


def test_spreadsheet_column_names_include_the_templates_spelling():
    spec = htcds.BY_SPREADSHEET_NAME["vic_TraffickinStatusDecisionMakingOrg"]
    assert spec.name == "vic_TraffickingStatusDecisionMakingOrg"


def test_model_clean_refuses_values_outside_the_standard():
    victim = Victim(methods_of_control=["DebtBondage", "Beating"])
    with pytest.raises(ValidationError) as exc:
        victim.clean()
    assert "methods_of_control" in exc.value.message_dict
    Victim(methods_of_control=["DebtBondage"], type_of_exploitation=["ForcedLabour"]).clean()
    with pytest.raises(ValidationError):
        Perpetrator(role_in_process=["Boss"]).clean()
