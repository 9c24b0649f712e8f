"""List helpers: page links that keep the filters and sortable column headings."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _query(context: Any, **changes: Any) -> str:
    request = context.get("request")
    params = request.GET.copy() if request is not None else None
    if params is None:
        from django.http import QueryDict

        params = QueryDict(mutable=True)
    for name, value in changes.items():
        params.pop(name, None)
        if value not in (None, ""):
            params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def page_url(context: Any, number: int, param: str = "page") -> str:
    """This list's URL at page `number`, with every filter and the order kept."""
    return _query(context, **{param or "page": number})


@register.simple_tag(takes_context=True)
def sort_th(context: Any, key: str, label: Any) -> str:
    """A column heading that sorts the list by `key` (again: the other way round), keeping the
    filters and going back to the first page. `aria-sort` says how the list is sorted now."""
    sort = context.get("sort")
    current = sort is not None and sort.key == key
    descending = current and sort.descending
    if current:
        aria = "descending" if descending else "ascending"
        arrow = "▼" if descending else "▲"
        hint = (
            _("sorted descending; sort ascending")
            if descending
            else _("sorted ascending; sort descending")
        )
        target = key if descending else f"-{key}"
    else:
        aria, arrow, hint, target = "none", "↕", _("sort"), key
    return format_html(
        '<th scope="col" aria-sort="{}"><a class="sort" href="{}" data-sort="{}">{}'
        ' <span aria-hidden="true">{}</span><span class="sr-only"> ({})</span></a></th>',
        aria,
        _query(context, sort=target, page=None),
        target,
        label,
        arrow,
        hint,
    )
