"""Fill msgstr in the es/pt/fr catalogues from a Python file defining T = {msgid: (es, pt, fr)}.

Used by maintainers after `make messages`; existing translations are kept unless --force.
Usage: python scripts/po_fill.py TRANSLATIONS.py [--force]
"""

import runpy
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "enlace" / "locale"
LANGS = ("es", "pt", "fr")


def main() -> int:
    table = runpy.run_path(sys.argv[1])["T"]
    force = "--force" in sys.argv
    for i, lang in enumerate(LANGS):
        path = LOCALE / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        nplurals = int(po.metadata.get("Plural-Forms", "nplurals=2").split("nplurals=")[1][0])
        for entry in po:
            if entry.msgid_plural:
                missing = not all(entry.msgstr_plural.get(i) for i in range(nplurals))
            else:
                missing = not entry.msgstr
            if entry.msgid in table and (force or missing or entry.fuzzy):
                value = table[entry.msgid]
                if entry.msgid_plural:
                    forms = list(value[i])
                    # Spanish has three plural forms in CLDR (one, many, other): the extra
                    # forms take the plural text.
                    forms += [forms[-1]] * (nplurals - len(forms))
                    entry.msgstr_plural = dict(enumerate(forms))
                else:
                    entry.msgstr = value[i]
                if entry.fuzzy:
                    entry.flags.remove("fuzzy")
        po.save(str(path))
        po.save_as_mofile(str(path.with_suffix(".mo")))
    en = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    polib.pofile(str(en)).save_as_mofile(str(en.with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
