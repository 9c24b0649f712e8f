"""Password validator: no password made only of names an attacker would try first."""

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PLATFORM_NAMES = ("enlace",)

# Digits and symbols people use for letters ("3nl4c3").
LEET = str.maketrans(
    {"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


def _fold(text: str) -> str:
    """Lower case without accents: "Ángeles" → "angeles"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> set[str]:
    folded = _fold(text)
    words = {w for w in re.split(r"[^a-z]+", folded) if len(w) >= 2}
    whole = re.sub(r"[^a-z]", "", folded)
    if len(whole) >= 2:
        words.add(whole)
    return words


def _made_of(chunk: str, words: set[str]) -> bool:
    """Whether `chunk` is one or more of `words` written one after the other."""
    if not chunk:
        return False
    reachable = [True] + [False] * len(chunk)
    for end in range(1, len(chunk) + 1):
        reachable[end] = any(reachable[start] and chunk[start:end] in words for start in range(end))
    return reachable[-1]


class PlatformNameValidator:
    """Refuse passwords built only from the platform's, the user's or the office's names.

    "Enlace2026", "enlace-2026!", "maria.lopez1990" or "ConsuladoLosAngeles2024": letters that are
    nothing but those names (also written with digits for letters), plus digits and symbols.
    """

    def __init__(self, extra_names: tuple[str, ...] = ()) -> None:
        self.extra_names = extra_names

    def _names(self, user: Any) -> set[str]:
        words: set[str] = set()
        for name in (*PLATFORM_NAMES, *self.extra_names):
            words |= _words(name)
        if user is None:
            return words
        for attr in ("username", "first_name", "last_name", "email"):
            value = getattr(user, attr, "") or ""
            words |= _words(value.split("@")[0] if attr == "email" else value)
        if getattr(user, "pk", None):
            for membership in user.memberships.select_related("office"):
                office = membership.office
                words |= _words(office.name) | _words(office.city)
        return words

    def validate(self, password: str, user: Any = None) -> None:
        names = self._names(user)
        separators = r"[\s\-_.,;:!?/\\|+*#&%=~'\"()\[\]{}<>]+"
        chunks = [c for c in re.split(separators, _fold(password)) if c and not c.isdigit()]
        if not chunks:
            return  # only digits: the numeric validator speaks to that
        if all(
            _made_of(re.sub(r"[^a-z]", "", c), names)
            or _made_of(re.sub(r"[^a-z]", "", c.translate(LEET)), names)
            for c in chunks
        ):
            raise ValidationError(
                _(
                    "This password is only names (of the platform, your account or your office) "
                    "with digits or symbols. Choose words that have nothing to do with them."
                ),
                code="password_from_names",
            )

    def get_help_text(self) -> str:
        return str(
            _(
                "Your password cannot be just the name of the platform, your account or your "
                "office with digits added."
            )
        )
