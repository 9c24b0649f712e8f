"""Fail when the translation catalogues are stale, incomplete or not compiled.

1. Re-extract messages (makemessages) and compare the msgids with the committed catalogues.
2. Every es/pt/fr entry must have a translation that is not fuzzy.
3. The committed .mo files must hold exactly what the .po files say.
"""

import functools
import operator
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "enlace" / "locale"
LANGS = ("es", "en", "pt", "fr", "ht")
TRANSLATED = ("es", "pt", "fr", "ht")


def msgids(path: Path) -> set[tuple[str, str]]:
    return {(e.msgctxt or "", e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}


def main() -> int:
    problems: list[str] = []
    before = {lang: msgids(LOCALE / lang / "LC_MESSAGES" / "django.po") for lang in LANGS}
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            *functools.reduce(operator.iadd, (["-l", x] for x in LANGS), []),
            "--no-location",
            "--no-obsolete",
            "--verbosity",
            "0",
        ],
        cwd=ROOT / "enlace",
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
    )
    for lang in LANGS:
        po_path = LOCALE / lang / "LC_MESSAGES" / "django.po"
        after = msgids(po_path)
        for _ctx, mid in sorted(after - before[lang]):
            problems.append(f"{lang}: new message not in the committed catalogue: {mid!r}")
        for _ctx, mid in sorted(before[lang] - after):
            problems.append(f"{lang}: message no longer used: {mid!r}")
        po = polib.pofile(str(po_path))
        if lang in TRANSLATED:
            for e in po:
                nplurals = int(po.metadata["Plural-Forms"].split("nplurals=")[1][0])
                if e.msgid_plural:
                    forms = [e.msgstr_plural.get(i, "") for i in range(nplurals)]
                    empty = not all(forms)
                    if len(e.msgstr_plural) != nplurals:
                        problems.append(
                            f"{lang}: {len(e.msgstr_plural)} plural forms, not {nplurals}: "
                            f"{e.msgid!r}"
                        )
                else:
                    empty = not e.msgstr
                if empty or e.fuzzy:
                    problems.append(f"{lang}: untranslated or fuzzy: {e.msgid!r}")
        mo = {
            (e.msgctxt or "", e.msgid): e.msgstr
            for e in polib.mofile(str(po_path.with_suffix(".mo")))
        }
        for e in po:
            if (
                e.translated()
                and not e.msgid_plural
                and mo.get((e.msgctxt or "", e.msgid)) != e.msgstr
            ):
                problems.append(f"{lang}: .mo not compiled from the .po: {e.msgid!r}")
    for p in problems:
        print(p)
    print(f"translation check: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
