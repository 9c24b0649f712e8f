"""The engine's input vocabulary: the columns of a raw record, whether it comes from a CSV
header (``python -m enlace.linkage``, ``manage.py link|dedupe``) or from an app's adapter
(people's registry, tracing requests). Everything that names the columns reads them here."""

from __future__ import annotations

from typing import Any

__all__ = ["AGE_COLUMNS", "INPUT_COLUMNS", "REQUIRED_COLUMNS", "input_record"]

# All but ``id`` are optional. ``birth_date``: YYYY-MM-DD, YYYY-MM, YYYY (or DD/MM/YYYY);
# ``document_number``: identity document numbers, several separated by ``;``.
INPUT_COLUMNS = (
    "id",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "mother_name",
    "document_number",
)
REQUIRED_COLUMNS = ("id",)
# Optional: a reported age and the ISO date it was reported on give an estimated birth year
# when there is no birth date.
AGE_COLUMNS = ("age", "age_reported_on")


def input_record(**values: Any) -> dict[str, Any]:
    """A raw record in the engine's columns (missing ones empty); an unknown name is an error,
    so an adapter cannot drift from the vocabulary."""
    unknown = set(values) - set(INPUT_COLUMNS) - set(AGE_COLUMNS)
    if unknown:
        raise ValueError(f"not linkage input columns: {', '.join(sorted(unknown))}")
    record = {column: values.get(column, "") for column in INPUT_COLUMNS}
    record.update((k, values[k]) for k in AGE_COLUMNS if k in values)
    return record
