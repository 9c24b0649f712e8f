"""Fill msgstr in the translated catalogues.

    python scripts/po_fill.py TRANSLATIONS.py [--force]
        T = {msgid: (es, pt, fr)}, a plural's value being a pair (singular, plural) per language
    python scripts/po_fill.py TRANSLATIONS.py --lang ht [--force]
        T = {msgid: text} (or {msgid: (singular, plural)}) for that one language
    python scripts/po_fill.py --from-django
        the messages of enlace/core/django_messages.py, from Django's own es/pt/fr catalogues

A key "context\\x04msgid" names a message with a context. Used by maintainers after
`make messages`; existing translations are kept unless --force.
"""

import runpy
import sys
from pathlib import Path
from typing import Any

import django
import polib

LOCALE = Path(__file__).resolve().parent.parent / "enlace" / "locale"
LANGS = ("es", "pt", "fr")
DJANGO = Path(django.__file__).parent


def _key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def fill(lang: str, table: dict[str, Any], force: bool) -> int:
    """Write the table's texts into lang's catalogue; how many entries were filled."""
    path = LOCALE / lang / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    nplurals = int(po.metadata.get("Plural-Forms", "nplurals=2").split("nplurals=")[1][0])
    filled = 0
    for entry in po:
        if entry.msgid_plural:
            missing = not all(entry.msgstr_plural.get(i) for i in range(nplurals))
        else:
            missing = not entry.msgstr
        value = table.get(_key(entry))
        if value is None or not (force or missing or entry.fuzzy):
            continue
        if entry.msgid_plural:
            forms = [value] if isinstance(value, str) else list(value)
            # Spanish has three plural forms in CLDR (one, many, other): the extra forms take
            # the plural text.
            forms += [forms[-1]] * (nplurals - len(forms))
            entry.msgstr_plural = dict(enumerate(forms[:nplurals]))
        else:
            entry.msgstr = value
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
        filled += 1
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    return filled


# Enlace's Portuguese is Brazil's (the region's), as pycountry's names are.
DJANGO_LOCALES = {"pt": "pt_BR"}


def django_table(lang: str) -> dict[str, Any]:
    """Django's own translations of the messages Enlace lists in core/django_messages.py."""
    lang = DJANGO_LOCALES.get(lang, lang)
    table: dict[str, Any] = {}
    catalogues = [DJANGO / "conf" / "locale", DJANGO / "contrib" / "auth" / "locale"]
    for e in (
        e for c in catalogues for e in polib.pofile(str(c / lang / "LC_MESSAGES" / "django.po"))
    ):
        if e.msgid_plural and all(e.msgstr_plural.values()):
            table[_key(e)] = [e.msgstr_plural[i] for i in sorted(e.msgstr_plural)]
        elif e.msgstr:
            table[_key(e)] = e.msgstr
    return table


def main(argv: list[str]) -> int:
    force = "--force" in argv
    if "--from-django" in argv:
        for lang in LANGS:
            print(lang, fill(lang, django_table(lang), force=False))
    else:
        table = runpy.run_path(argv[0])["T"]
        if "--lang" in argv:
            lang = argv[argv.index("--lang") + 1]
            print(lang, fill(lang, table, force))
        else:
            for i, lang in enumerate(LANGS):
                column = {k: v[i] for k, v in table.items()}
                print(lang, fill(lang, column, force))
    en = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    polib.pofile(str(en)).save_as_mofile(str(en.with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
