"""Blocking keys: short strings shared by records that might be the same person.

The app stores ``(person_id, key)`` rows in an indexed table and fetches the candidates of a new
record with ``WHERE key IN (...)``. Batch runs explode the same keys in DuckDB/Spark. Every key
combines two or three fields, so a key shared by everybody called María or García is never
produced, and every hard case keeps at least one key in common:

=====  =====================================================  ==================================
key    fields                                                 survives
=====  =====================================================  ==================================
``a``  first given name, one surname, birth year (window 2)   missing 2nd surname, Brazilian
                                                              order, nicknames, year-only, ±1
``b``  both surnames (unordered), birth year (window 2)       given-name typos, unknown nicknames
``c``  first given name, both surnames (unordered)            missing or wrong birth date
``d``  first given name, birth year and month                 surname typos
``e``  first given name, one surname, mother's first name     no date and one surname
``p``  first given name, one surname, birth place             no date and one surname
``t``  consonants of first given name, first surname, year    typos in the given name
``s``  one surname, birth year and month                      given-name typos, one surname
``f``  initial of the given name, full birth date             typos in both names
``h``  two letters of the first surname, full birth date      typos in both names
=====  =====================================================  ==================================

Names are phonetic keys (see :func:`~enlace.linkage.normalize.phonetic`) after nickname
resolution; surnames are reduced to their consonants (:func:`skeleton`). "Window 2" means a
record born in year Y emits Y and Y+1, so two records whose years differ by at most one always
share one.
"""

from __future__ import annotations

from enlace.linkage.normalize import NormalizedRecord, phonetic

__all__ = ["blocking_keys", "skeleton"]


def skeleton(key: str) -> str:
    """Consonants of a phonetic key: survives vowel typos (Lopez / Lapez, Jose / Jse)."""
    return "".join(ch for ch in key if ch not in "aeiou") or key


def blocking_keys(rec: NormalizedRecord) -> set[str]:
    """The blocking keys of one normalised record (about twenty)."""
    keys: set[str] = set()
    g = rec.given_ph[0] if rec.given_ph else ""
    surnames = [skeleton(s) for s in rec.surnames_ph[:3]]
    place = phonetic(rec.birth_place.replace(" ", ""))
    pair = "|".join(sorted(rec.surnames_ph[:2])) if len(rec.surnames_ph) >= 2 else ""
    years = (rec.birth_year, rec.birth_year + 1) if rec.birth_year is not None else ()
    mother_g = rec.mother_ph[0] if rec.mother_ph else ""

    for year in years:
        if g:
            keys.update(f"a|{g}|{s}|{year}" for s in surnames)
            if surnames and len(skeleton(g)) >= 2:
                keys.add(f"t|{skeleton(g)}|{surnames[0]}|{year}")
        if pair:
            keys.add(f"b|{pair}|{year}")
    if g and pair:
        keys.add(f"c|{g}|{pair}")
    if g and rec.birth_year is not None and rec.birth_month is not None:
        keys.add(f"d|{g}|{rec.birth_year}|{rec.birth_month}")
    if rec.birth_year is not None and rec.birth_month is not None:
        ym = f"{rec.birth_year}|{rec.birth_month}"
        keys.update(f"s|{sk}|{ym}" for sk in surnames[:2])
        if rec.birth_day is not None:
            if g:
                keys.add(f"f|{g[0]}|{ym}|{rec.birth_day}")
            if surnames:
                keys.add(f"h|{surnames[0][:2]}|{ym}|{rec.birth_day}")
    if g and mother_g:
        keys.update(f"e|{g}|{s}|{mother_g}" for s in surnames[:2])
    if g and place:
        keys.update(f"p|{g}|{s}|{place}" for s in surnames[:2])
    return keys
