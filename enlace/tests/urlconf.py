"""Every URL pattern of the project, read from the URL conf itself (not from a list): the
access-policy table and the canary test walk it, so a new URL cannot be forgotten."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

SAFE = frozenset({"head", "options"})


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name", or the route when the pattern has no name
    route: str
    callback: object
    params: tuple[str, ...] = ()  # the URL's keyword arguments, in order

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def drf_methods(self) -> frozenset[str] | None:
        """The HTTP methods a DRF view answers (upper case), or None for a plain Django view."""
        actions = getattr(self.callback, "actions", None)
        if actions:  # a viewset route: {"get": "list", ...}
            return frozenset(m.upper() for m in actions if m not in SAFE)
        cls = getattr(self.callback, "cls", None)
        if cls is None:
            return None
        return frozenset(
            m.upper() for m in cls.http_method_names if m not in SAFE and hasattr(cls, m)
        )


def _params(item: URLPattern | URLResolver) -> tuple[str, ...]:
    return tuple(item.pattern.regex.groupindex)


def _walk(
    resolver: URLResolver, prefix: str, namespace: str, params: tuple[str, ...] = ()
) -> Iterator[Pattern]:
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = namespace
            if item.namespace:
                ns = f"{namespace}:{item.namespace}" if namespace else item.namespace
            yield from _walk(item, prefix + str(item.pattern), ns, params + _params(item))
        elif isinstance(item, URLPattern):
            route = prefix + str(item.pattern)
            name = route  # an unnamed pattern is known by its route
            if item.name:
                name = f"{namespace}:{item.name}" if namespace else item.name
            yield Pattern(name, route, item.callback, params + _params(item))


def url_patterns() -> list[Pattern]:
    """Every pattern of the root URL conf, recursively, in resolution order."""
    return list(_walk(get_resolver(), "", ""))


def get_patterns() -> list[Pattern]:
    """One pattern per name that answers GET (DRF format-suffix twins left out): plain Django
    views are all included, since nothing tells from outside which methods they accept."""
    found = []
    for patterns in pattern_names().values():
        first = patterns[0]
        methods = first.drf_methods
        if methods is None or "GET" in methods:
            found.append(first)
    return found


def pattern_names() -> dict[str, list[Pattern]]:
    """Patterns grouped by name (a DRF route and its format-suffix twin share one name)."""
    grouped: dict[str, list[Pattern]] = {}
    for pattern in url_patterns():
        grouped.setdefault(pattern.name, []).append(pattern)
    return grouped
