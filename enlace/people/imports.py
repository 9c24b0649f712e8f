"""Bulk import of people from a spreadsheet (CSV or XLSX), as two background jobs.

Shelters keep their registers in spreadsheets. The upload (`import_upload`) only checks the
file's kind and size, keeps it in private storage and starts a dry run (`people_import_check`):
every row is read as the person form reads a person (PersonForm, then the person services'
own rules through `services.person_check`: one set of rules), and each row is compared with
the people of the uploader's office (`selectors.person_duplicates`, the same check the
person form makes) and with the file's other rows (the linkage engine). The report gives, per
row as numbered in the spreadsheet, each field's message in the user's language.

Then `import_start` runs the import (`people_import_run`), which checks everything again and
creates the chosen rows through `services.person_create` in one transaction: all of them or
none. When any row is invalid nothing is imported unless the user chose "the valid rows only".

Duplicates are looked for only among the people of the uploader's own office: a match with
another office's person is never shown, not even as "registered elsewhere" (see
docs/tracing.md: across offices, only a tracing request may find a person, and only with the
reviewing office's consent). The uploaded file is deleted after the import, or
ENLACE_EXPORT_TTL_HOURS after the dry run (`imports_expire`).
"""

import codecs
import csv
import datetime as dt
import io
import re
import uuid
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook, load_workbook

from enlace.access import rules
from enlace.accounts.actor import Actor, actor_in_office
from enlace.core.errors import DATABASE_FULL, ValidationFailed
from enlace.core.jobs import job_enqueue, job_files_expire, job_function, job_get, job_progress
from enlace.core.models import Job
from enlace.core.text import fold
from enlace.linkage import blocking_keys, normalize_record

from . import selectors, services
from .forms import PersonForm
from .matching import active_scorer

CHECK = "people_import_check"
RUN = "people_import_run"
FOLDER = "imports"  # in the default (private) storage: MEDIA_ROOT is never served directly
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_COLUMNS = 60
PROGRESS_EVERY = 50

# The columns, in the template's order: each is a field of the person form.
COLUMNS = (
    "given_names",
    "first_surname",
    "second_surname",
    "other_names",
    "sex",
    "gender_identity",
    "birth_date",
    "estimated_age",
    "birth_place",
    "nationalities",
    "mother_name",
    "languages",
    "phone",
    "email",
    "address",
)

# Header names accepted besides the form's labels in es/en/pt/fr (compared folded: case,
# accents and punctuation do not matter).
ALIASES: dict[str, list[str]] = {
    "given_names": [
        "nombres",
        "nombre",
        "primer nombre",
        "given names",
        "given name",
        "first name",
        "first names",
        "name",
        "nome",
        "nomes",
        "prenom",
        "prenoms",
    ],
    "first_surname": [
        "primer apellido",
        "apellido",
        "apellido paterno",
        "first surname",
        "surname",
        "last name",
        "family name",
        "sobrenome",
        "primeiro sobrenome",
        "nom",
        "nom de famille",
        "premier nom de famille",
    ],
    "second_surname": [
        "segundo apellido",
        "apellido materno",
        "second surname",
        "second last name",
        "segundo sobrenome",
        "deuxieme nom de famille",
        "second nom de famille",
    ],
    "other_names": [
        "otros nombres",
        "alias",
        "apodo",
        "apodos",
        "other names",
        "aliases",
        "nickname",
        "nicknames",
        "outros nomes",
        "apelido",
        "autres noms",
        "surnom",
    ],
    "sex": ["sexo", "sex", "sexe"],
    "gender_identity": [
        "identidad de genero",
        "gender identity",
        "identidade de genero",
        "identite de genre",
    ],
    "birth_date": [
        "fecha de nacimiento",
        "fecha nacimiento",
        "date of birth",
        "birth date",
        "birthdate",
        "dob",
        "data de nascimento",
        "data nascimento",
        "date de naissance",
    ],
    "estimated_age": [
        "edad",
        "edad estimada",
        "age",
        "estimated age",
        "idade",
        "idade estimada",
        "age estime",
    ],
    "birth_place": [
        "lugar de nacimiento",
        "place of birth",
        "birthplace",
        "birth place",
        "local de nascimento",
        "naturalidade",
        "lieu de naissance",
    ],
    "nationalities": [
        "nacionalidad",
        "nacionalidades",
        "pais",
        "nationality",
        "nationalities",
        "country",
        "nacionalidade",
        "nationalite",
        "nationalites",
    ],
    "mother_name": [
        "nombre de la madre",
        "madre",
        "mother s name",
        "mother name",
        "mother",
        "nome da mae",
        "mae",
        "nom de la mere",
        "mere",
    ],
    "languages": [
        "idiomas",
        "idioma",
        "lenguas",
        "lengua",
        "languages",
        "language",
        "linguas",
        "langues",
        "langue",
    ],
    "phone": [
        "telefono",
        "celular",
        "movil",
        "phone",
        "telephone",
        "mobile",
        "telefone",
        "telemovel",
    ],
    "email": [
        "correo",
        "correo electronico",
        "email",
        "e mail",
        "mail",
        "courriel",
        "adresse electronique",
    ],
    "address": ["direccion", "domicilio", "address", "endereco", "morada", "adresse"],
}

# Values of the sex column besides the codes F, M, X and U.
SEX_ALIASES = {
    "F": "f femenino mujer female woman feminino mulher feminin femme",
    "M": "m h masculino hombre varon male man masculino homem masculin homme",
    "X": "x otro other outro autre",
    "U": "u desconocido unknown desconhecido inconnu",
}
_SEX = {word: code for code, words in SEX_ALIASES.items() for word in words.split()}
# A date written day first, as Latin American spreadsheets do: 14/07/1999, 14-07-1999.
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
LANGUAGES = ("es", "en", "pt", "fr")


class ImportRefused(Exception):
    """The file cannot be read as a register of people (the message says why)."""


# ---------------------------------------------------------------- headers and the template


def _header_key(text: str) -> str:
    """A header as compared: folded, without notes in brackets, punctuation as spaces."""
    text = re.sub(r"\([^)]*\)", " ", fold(text))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _label(field: str) -> str:
    return str(PersonForm.base_fields[field].label)


def headers() -> list[str]:
    """The template's headers, in the current language (the person form's labels)."""
    return [_label(f) for f in COLUMNS]


def header_aliases() -> dict[str, str]:
    """Every accepted header (compared form) -> column."""
    out: dict[str, str] = {}
    for field in COLUMNS:
        for phrase in ALIASES[field]:
            out.setdefault(_header_key(phrase), field)
    for lang in LANGUAGES:  # the form's labels in each language win over the loose aliases
        with override(lang):
            for field in COLUMNS:
                out[_header_key(_label(field))] = field
    for field in COLUMNS:
        out[_header_key(field)] = field  # the field names themselves (given_names, …)
    return out


def template_file(fmt: str) -> tuple[bytes, str, str]:
    """An empty register with the expected headers in the user's language: (bytes, download
    name, content type)."""
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerow(headers())
        body = ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM so Excel reads UTF-8
    elif fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None  # noqa: S101 - a new workbook has one sheet
        sheet.title = _("People")[:31]
        sheet.append(headers())
        buffer = io.BytesIO()
        book.save(buffer)
        body = buffer.getvalue()
    else:
        raise Http404
    return body, f"{_('people')}-enlace.{fmt}", CONTENT_TYPES[fmt]


# ---------------------------------------------------------------- reading the file


def _decode(raw: bytes) -> str:
    """Text of a CSV as Excel and others write it: UTF-8 (with or without BOM), UTF-16 with a
    BOM ("Unicode text"), or Windows-1252 / Latin-1 (Excel on Windows)."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportRefused(_("The file's text could not be read.")) from exc
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(_("The file's text could not be read."))  # pragma: no cover


def _csv_rows(raw: bytes) -> Iterator[list[Any]]:
    text = _decode(raw)
    if "\x00" in text:
        raise ImportRefused(_("This file is not a CSV file."))
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise ImportRefused(_("This file is not a CSV file.")) from exc


def _xlsx_rows(raw: bytes) -> Iterator[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportRefused(_("This file is not an Excel (.xlsx) workbook.")) from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield list(row)
    except ImportRefused:
        raise
    except Exception as exc:
        raise ImportRefused(_("This file is not an Excel (.xlsx) workbook.")) from exc
    finally:
        book.close()


def _cell(value: Any) -> str:
    """A cell as the form's text: dates as ISO, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(raw: bytes, fmt: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The file's people as (row number in the spreadsheet, {column: text}) and the headers
    that were not recognised. ImportRefused when the file cannot be a register."""
    rows = _csv_rows(raw) if fmt == "csv" else _xlsx_rows(raw)
    aliases = header_aliases()
    columns: dict[int, str] = {}
    ignored: list[str] = []
    out: list[tuple[int, dict[str, str]]] = []
    limit = settings.ENLACE_IMPORT_MAX_ROWS
    header_seen = False
    for number, row in enumerate(rows, start=1):
        cells = [_cell(v) for v in row[:MAX_COLUMNS]]
        if not any(cells):
            continue
        if not header_seen:
            header_seen = True
            for i, text in enumerate(cells):
                field = aliases.get(_header_key(text))
                if field and field not in columns.values():
                    columns[i] = field
                elif text:
                    ignored.append(text[:60])
            if "given_names" not in columns.values():
                raise ImportRefused(
                    _(
                        "The first row must hold the column names, with at least “%(column)s”. "
                        "Download the template to see the expected columns."
                    )
                    % {"column": _label("given_names")}
                )
            continue
        if len(out) >= limit:
            raise ImportRefused(
                _("The file has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": limit}
            )
        out.append((number, {f: cells[i] if i < len(cells) else "" for i, f in columns.items()}))
    if not header_seen:
        raise ImportRefused(_("The file is empty."))
    return out, ignored


# ---------------------------------------------------------------- checking rows


def _form_data(values: dict[str, str]) -> dict[str, str]:
    data = {k: v for k, v in values.items() if k != "nationalities"}
    sex = fold(data.get("sex", ""))
    data["sex"] = _SEX.get(sex, data.get("sex", "")) if sex else "U"
    match = _DAY_FIRST.match(data.get("birth_date", ""))
    if match:
        day, month, year = match.groups()
        data["birth_date"] = f"{year}-{int(month):02d}-{int(day):02d}"
    return data


def _codes(values: dict[str, str]) -> list[str]:
    return [c for c in re.split(r"[\s,;/]+", values.get("nationalities", "").upper()) if c]


# Error keys of the services that name another column than their own.
_ERROR_COLUMN = {"nationality": "nationalities", "birth_date_precision": "birth_date"}


def check_row(actor: Actor, values: dict[str, str]) -> tuple[dict[str, Any], list[list[str]]]:
    """One row as the person form and services read it: (the form's values, [[column label,
    message], …]); no messages means the row can be imported."""
    form = PersonForm(_form_data(values))
    form.is_valid()
    # The form's errors, then the services' rules on the fields the form let through.
    failed = {_ERROR_COLUMN.get(f, f) for f in form.errors}
    messages: list[list[str]] = []
    for field, errors in form.errors.items():
        label = _label(field) if field in PersonForm.base_fields else _("Row")
        messages += [[label, str(e)] for e in errors]
    data = {k: form.cleaned_data[k] for k in COLUMNS if k in form.cleaned_data}
    data.pop("nationalities", None)
    codes = _codes(values)
    try:
        services.person_check(actor=actor, data=data, nationalities=codes)
    except ValidationFailed as exc:
        for field, service_errors in exc.errors.items():
            column = _ERROR_COLUMN.get(field, field)
            if column in failed:
                continue
            label = _label(column) if column in PersonForm.base_fields else column
            messages += [[label, str(e)] for e in service_errors]
    return {**data, "nationalities": codes}, messages


def _linkage_raw(row: int, data: dict[str, Any]) -> dict[str, Any]:
    """The fields the duplicate check of the person form compares (selectors.person_duplicates)."""
    keys = ("given_names", "first_surname", "second_surname", "sex", "birth_place", "mother_name")
    raw: dict[str, Any] = {k: data.get(k) or "" for k in keys}
    raw["birth_date"] = data.get("birth_date") or ""
    raw["id"] = str(row)
    return raw


def _within_file(checked: dict[int, dict[str, Any]]) -> dict[int, list[int]]:
    """Rows that the linkage engine finds likely the same person as another row of the file."""
    records = {row: normalize_record(_linkage_raw(row, d)) for row, d in checked.items()}
    by_key: dict[str, list[int]] = defaultdict(list)
    for row, record in records.items():
        for key in blocking_keys(record):
            by_key[key].append(row)
    scorer = active_scorer()
    out: dict[int, list[int]] = defaultdict(list)
    for row, record in records.items():
        others = {r for key in blocking_keys(record) for r in by_key[key] if r != row}
        if not others:
            continue
        # A very common name blocks many rows together: compare with the nearest ones only.
        candidates = [records[r] for r in sorted(others, key=lambda r: abs(r - row))[:200]]
        for match in scorer.rank(record, candidates, top=5, min_probability=0.5):
            out[row].append(int(match.candidate_id))
    return {row: sorted(set(rows)) for row, rows in out.items()}


def check_file(
    job: Job, actor: Actor, raw: bytes, fmt: str
) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """The dry run's report and the rows that may be imported (row -> form values)."""
    rows, ignored = read_rows(raw, fmt)
    total = len(rows)
    job_progress(job, 0, max(total, 1))
    errors: list[list[Any]] = []
    valid: dict[int, dict[str, Any]] = {}
    registry: dict[int, list[str]] = {}
    for done, (number, values) in enumerate(rows, start=1):
        data, messages = check_row(actor, values)
        if messages:
            errors += [[number, label, message] for label, message in messages]
        else:
            valid[number] = data
            found = selectors.person_duplicates(actor=actor, data=data)
            if found:
                registry[number] = [str(p.pk) for p in found]
        if done % PROGRESS_EVERY == 0:
            job_progress(job, done, total)
    in_file = _within_file(valid)
    duplicates = sorted(set(registry) | set(in_file))
    invalid_rows = sorted({e[0] for e in errors})
    report = {
        "errors": errors,
        "duplicates": [
            {"row": row, "people": registry.get(row, []), "rows": in_file.get(row, [])}
            for row in duplicates
        ],
        "ignored_columns": ignored,
        "invalid_rows": invalid_rows,
    }
    counts = {
        "rows": total,
        "valid": len(valid),
        "invalid": len(invalid_rows),
        "duplicates": len(duplicates),
    }
    return {**counts, "report": report}, valid


# ---------------------------------------------------------------- starting the dry run


def _format_of(upload: UploadedFile) -> str:
    name = (upload.name or "").lower()
    head = upload.read(8)
    upload.seek(0)
    if name.endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationFailed(
            {
                "file": [
                    _("Old Excel files (.xls) are not accepted: save the sheet as .xlsx or CSV.")
                ]
            }
        )
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise ValidationFailed({"file": [_("Upload a .csv or .xlsx file.")]})


def import_upload(*, actor: Actor, upload: UploadedFile) -> Job:
    """Keep the uploaded register privately and start its dry run."""
    if not rules.is_office_staff(actor):
        raise Http404
    actor.require_office()
    limit = settings.ENLACE_IMPORT_MAX_BYTES
    if (upload.size or 0) > limit:
        raise ValidationFailed(
            {
                "file": [
                    _("The file is larger than %(size)s MB.") % {"size": round(limit / 1048576, 1)}
                ]
            }
        )
    if not upload.size:
        raise ValidationFailed({"file": [_("The file is empty.")]})
    fmt = _format_of(upload)
    name = default_storage.save(f"{FOLDER}/{uuid.uuid4()}.{fmt}", ContentFile(upload.read()))
    with transaction.atomic():
        job = job_enqueue(
            actor=actor, kind=CHECK, file=name, fmt=fmt, language=get_language() or ""
        )
        page = reverse("people:import_job", args=[job.pk])
        original = (upload.name or "")[-120:]
        job.result = {"file": name, "page": page, "name": original, "format": fmt}
        Job.objects.filter(pk=job.pk).update(result=job.result)
    return job


def _acting(job: Job) -> Actor:
    actor = actor_in_office(job.created_by, job.office_id)
    if actor is None or not rules.is_office_staff(actor):
        raise ImportRefused(_("You may no longer register people in the office of this import."))
    return actor


def _read_stored(name: str) -> bytes:
    if not name or not default_storage.exists(name):
        raise ImportRefused(_("The uploaded file is no longer kept: upload it again."))
    with default_storage.open(name, "rb") as f:
        return bytes(f.read())


# What the job pages (core/job_detail.html) call these jobs and their figures.
_IMPORT_RESULTS = {
    "name": _lazy("File"),
    "format": _lazy("File format"),
    "csv": "CSV",
    "xlsx": "XLSX",
    "rows": _lazy("Rows"),
    "valid": _lazy("Valid rows"),
    "invalid": _lazy("Rows with errors"),
    "duplicates": _lazy("Possible duplicates"),
    "refused": _lazy("Refused"),
    "imported": _lazy("People registered"),
    "skipped_invalid": _lazy("Rows with errors left out"),
    "skipped_duplicates": _lazy("Possible duplicates left out"),
    "check": _lazy("Check"),
    "import_job": _lazy("Import"),
}


# What an import that met a full database says (enlace.core.jobs.run_job ends it failed with
# the code; the page and the API show it in the reader's language).
_IMPORT_STAGES = {
    DATABASE_FULL: _lazy(
        "The database has no space left: nothing of this import was saved. Tell your administrator."
    ),
}


@job_function(
    CHECK, label=_lazy("People import: check"), stages=_IMPORT_STAGES, results=_IMPORT_RESULTS
)
def people_import_check(job: Job, file: str, fmt: str, language: str = "") -> dict[str, Any]:
    """The dry run: read and check every row, count, flag duplicates; nothing is saved."""
    imports_expire()
    base = {"file": file, "page": reverse("people:import_job", args=[job.pk])}
    stored = Job.objects.values_list("result", flat=True).get(pk=job.pk)
    base |= {"name": stored.get("name", ""), "format": fmt}
    with override(language or settings.LANGUAGE_CODE):
        try:
            actor = _acting(job)
            result, _valid = check_file(job, actor, _read_stored(file), fmt)
        except ImportRefused as exc:
            default_storage.delete(file)
            return {**{k: v for k, v in base.items() if k != "file"}, "refused": str(exc)}
    return {**base, **result}


# ---------------------------------------------------------------- the import


def import_job_get(*, actor: Actor, job_id: uuid.UUID | str) -> Job:
    """A dry run or import the actor started, from the office they now act in (else 404)."""
    try:
        job = job_get(actor=actor, job_id=job_id)
    except ValidationError as exc:
        raise Http404 from exc
    if job.kind not in (CHECK, RUN) or actor.office is None or job.office_id != actor.office.pk:
        raise Http404
    if not rules.is_office_staff(actor):
        raise Http404
    return job


def can_import(job: Job) -> bool:
    """A finished dry run whose file is still kept and was not imported yet."""
    return (
        job.kind == CHECK
        and job.status == Job.Status.SUCCEEDED
        and bool(job.result.get("file"))
        and not job.result.get("import_job")
        and int(job.result.get("valid") or 0) > 0
    )


def import_start(
    *, actor: Actor, check_job_id: uuid.UUID | str, valid_only: bool, with_duplicates: bool
) -> Job:
    """Start the import of a dry run's rows. Nothing is imported when a row is invalid unless
    `valid_only`; rows flagged as possible duplicates only with `with_duplicates`."""
    if not rules.is_office_staff(actor):
        raise Http404
    check = import_job_get(actor=actor, job_id=check_job_id)
    if not can_import(check):
        raise ValidationFailed({"__all__": [_("This file cannot be imported (again).")]})
    if int(check.result.get("invalid") or 0) and not valid_only:
        raise ValidationFailed(
            {
                "__all__": [
                    _("Some rows have errors: correct the file, or import the valid rows only.")
                ]
            }
        )
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=check.pk)
        if locked.result.get("import_job"):
            raise ValidationFailed({"__all__": [_("This file cannot be imported (again).")]})
        job = job_enqueue(
            actor=actor,
            kind=RUN,
            check_job_id=str(check.pk),
            valid_only=valid_only,
            with_duplicates=with_duplicates,
            language=get_language() or "",
        )
        Job.objects.filter(pk=check.pk).update(result={**locked.result, "import_job": str(job.pk)})
        Job.objects.filter(pk=job.pk).update(
            result={"page": reverse("people:import_job", args=[job.pk]), "check": str(check.pk)}
        )
    return job


@job_function(RUN, label=_lazy("People import"), stages=_IMPORT_STAGES, results=_IMPORT_RESULTS)
def people_import_run(
    job: Job,
    check_job_id: str,
    valid_only: bool,
    with_duplicates: bool,
    language: str = "",
) -> dict[str, Any]:
    """Check the file again and create the chosen rows' people, all or none."""
    page = reverse("people:import_job", args=[job.pk])
    base = {"page": page, "check": check_job_id}
    with override(language or settings.LANGUAGE_CODE):
        check = Job.objects.get(pk=check_job_id)
        name = str(check.result.get("file") or "")
        try:
            actor = _acting(job)
            result = _import(job, actor, check, name, valid_only, with_duplicates)
        except ImportRefused as exc:
            return {**base, "imported": 0, "refused": str(exc)}
        finally:
            if name:  # kept only as long as needed: gone once imported (or refused)
                default_storage.delete(name)
                rest = {k: v for k, v in check.result.items() if k != "file"}
                Job.objects.filter(pk=check.pk).update(result=rest)
    return {**base, **result}


def _import(
    job: Job, actor: Actor, check: Job, name: str, valid_only: bool, with_duplicates: bool
) -> dict[str, Any]:
    fmt = str(check.result.get("format") or ("xlsx" if name.endswith(".xlsx") else "csv"))
    result, valid = check_file(job, actor, _read_stored(name), fmt)
    if result["invalid"] and not valid_only:
        raise ImportRefused(
            _("Nothing was imported: %(count)s rows have errors.") % {"count": result["invalid"]}
        )
    flagged = {d["row"] for d in result["report"]["duplicates"]}
    chosen = [(r, d) for r, d in sorted(valid.items()) if with_duplicates or r not in flagged]
    created: list[list[Any]] = []
    # Shown while the rows are written: progress written inside the transaction below is seen
    # only once it commits (all rows or none), so the page says what is happening now.
    registering = _("Registering the people…")
    job_progress(job, 0, max(len(chosen), 1), registering)
    try:
        with transaction.atomic():
            for done, (row, data) in enumerate(chosen, start=1):
                values = {k: v for k, v in data.items() if k != "nationalities"}
                person = services.person_create(
                    actor=actor, data=values, nationalities=data["nationalities"]
                )
                created.append([row, str(person.pk)])
                if done % PROGRESS_EVERY == 0:
                    job_progress(job, done, len(chosen), registering)
            _audit_import(actor, job, check, len(created))
    except ValidationFailed as exc:  # the registry changed since the dry run: none imported
        created.clear()
        raise ImportRefused(_("Nothing was imported: a row no longer passes the checks.")) from exc
    finally:
        job_progress(job, len(created), max(len(chosen), 1))
    return {
        "imported": len(created),
        "skipped_invalid": result["invalid"],
        "skipped_duplicates": 0 if with_duplicates else len(flagged),
        "report": {"people": created},
    }


def _audit_import(actor: Actor, job: Job, check: Job, count: int) -> None:
    from enlace.audit.services import change_record

    change_record(
        actor=actor,
        obj=job,
        owner_office=actor.office,
        action="people_import",
        changes={"people": ["", str(count)], "file": ["", str(check.result.get("name", ""))]},
    )


def imports_expire() -> int:
    """Delete uploaded registers whose dry run finished more than ENLACE_EXPORT_TTL_HOURS ago
    without an import (the same rule and time as case exports)."""
    return job_files_expire(kinds=[CHECK], ttl_hours=settings.ENLACE_EXPORT_TTL_HOURS)
