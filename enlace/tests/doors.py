"""Walking every door of the project for the canary tests: every GET pattern of the URL conf
(enlace.tests.urlconf), opened with the records a test names for its arguments, and the body
each door answers a user, made searchable (PDF text, spreadsheet cells)."""

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from .urlconf import get_patterns


@dataclass(frozen=True)
class Door:
    name: str  # the URL pattern's name
    is_api: bool
    url: str
    query: Mapping[str, str] = field(default_factory=dict)
    needles: tuple[str, ...] = ()


def door_urls(
    *,
    by_param: Mapping[str, Any],
    by_resource: Mapping[str, Any],
    needles: Callable[[str], Iterable[str]],
    queries: Callable[[str, dict[str, Any]], Iterable[dict[str, str]]],
    fallback: Callable[[str], Any] | None = None,
) -> list[Door]:
    """One door per GET pattern and query: `by_param` gives the value of each URL argument,
    `by_resource` the API's `pk` by the router's prefix; `queries(name, kwargs)` the query
    strings to open it with (the plain one included), `needles(name)` what must not be there.
    An argument no mapping names fails (a new door must be given its record), unless
    `fallback(param)` gives it a value."""
    doors, unknown = [], []
    for pattern in get_patterns():
        kwargs = {}
        for param in pattern.params:
            if param == "pk":
                resource = pattern.route.removeprefix("api/v1/^").split("/")[0]
                value = by_resource.get(resource)
            else:
                value = by_param.get(param)
            if value is None and fallback is not None:
                value = fallback(param)
            if value is None:
                unknown.append(f"{pattern.name}: {param}")
            kwargs[param] = value
        if None in kwargs.values():
            continue
        url = reverse(pattern.name, kwargs=kwargs or None)
        wanted = tuple(needles(pattern.name))
        doors += [
            Door(pattern.name, pattern.is_api, url, query, wanted)
            for query in queries(pattern.name, kwargs)
        ]
    assert not unknown, "tell the canary test which record goes in: " + ", ".join(unknown)
    return doors


def body_of(response: Any) -> bytes:
    """The response's body as text a needle can be found in: streamed bodies joined, PDFs
    (written uncompressed in Latin-1 by the canary tests) decoded, spreadsheets as their cells."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind == "application/pdf":
        return bytes(body.decode("latin-1").encode("utf-8"))
    if kind.startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(body), read_only=True)
        cells = [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
        body = repr(cells).encode()
    headers = "\n".join(f"{k}: {v}" for k, v in response.items()).encode()
    return bytes(headers + b"\n\n" + body)


def bodies(
    doors: Iterable[Door],
    user: Any,
    errors: list[str],
    special: Mapping[str, Callable[[Any, str, Mapping[str, str]], Any]] | None = None,
) -> list[tuple[Door, bytes]]:
    """The headers and body of every door for this user (anonymous when `user` is None); a
    door that breaks (500) is noted in `errors`: a page that does not render is a page whose
    firewall was not checked. `special` opens some URLs differently (an export: start the job
    and download its file)."""
    api = APIClient()
    web = Client()
    if user is not None:
        api.force_authenticate(user)
        web.force_login(user)
    special = special or {}
    found = []
    for door in doors:
        client = api if door.is_api else web
        try:
            opener = special.get(door.url)
            if opener is not None:
                response = opener(client, door.url, door.query)
            else:
                response = client.get(door.url, door.query)
            found.append((door, body_of(response)))
        except Exception as exc:
            errors.append(f"GET {door.url} {door.query or ''}: {type(exc).__name__}: {exc}"[:200])
    return found


def leaks_in(
    found: Iterable[tuple[Door, bytes]],
    who: str,
    *,
    fold: bool = False,
    allowed: Iterable[str] = (),
) -> list[str]:
    """Every needle (but the `allowed` ones) found in a body, as a line naming the reader and
    the door; `fold`: regardless of case (a search column, an upper-cased plate)."""
    out = []
    skip = set(allowed)
    for door, body in found:
        text = body.decode("utf-8", "replace")
        if fold:
            text = text.casefold()
        out += [
            f"{n!r} leaked to {who} at {door.url} {dict(door.query) or ''}"
            for n in door.needles
            if n not in skip and (n.casefold() if fold else n) in text
        ]
    return out
