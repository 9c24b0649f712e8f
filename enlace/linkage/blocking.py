"""Blocking keys: short strings shared by records that might be the same person.

The app stores ``(person_id, key)`` rows in an indexed table and fetches the candidates of a new
record with ``WHERE key IN (...)``. Batch runs explode the same keys in DuckDB/Spark. Every key
combines two or three fields, so a key shared by everybody called María or García is never
produced, and every hard case keeps at least one key in common:

=====  =====================================================  ==================================
key    fields                                                 survives
=====  =====================================================  ==================================
``a``  first given name and one surname (unordered), birth     missing 2nd surname, Brazilian
       year (window 2)                                        order, nicknames, year-only, ±1,
                                                              given name and surname swapped
``b``  both surnames (unordered), birth year (window 2)       given-name typos, unknown nicknames
``c``  one of two given names, both surnames (unordered)      missing or wrong birth date
``g``  the first two given names, one surname                 no date and one surname
``m``  both surnames (unordered), mother's first name         given-name typos, no date
``n``  one surname, mother's full name (three words or more)  given-name typos, one surname
``d``  first given name, birth year and month                 surname typos
``e``  first given name, one surname, mother's first two words no date and one surname
``p``  three consonants of the first given name and of one     no date and one surname, typos
       surname (unordered), three letters of the birth place  in both names, swapped fields
``t``  consonants of first given name, first surname, year    typos in the given name
``s``  one surname, birth year and month, given-name initial   given-name typos, one surname
``i``  two first letters of any one name, full birth date     typos in both names, another
                                                              given name, swapped fields
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
    """The blocking keys of one normalised record (about twenty-five)."""
    keys: set[str] = set()
    givens = rec.given_ph[:2]
    g = givens[0] if givens else ""
    surnames = [skeleton(s) for s in rec.surnames_ph[:3]]
    place = phonetic(rec.birth_place.replace(" ", ""))
    pair = "|".join(sorted(rec.surnames_ph[:2])) if len(rec.surnames_ph) >= 2 else ""
    years = (rec.birth_year, rec.birth_year + 1) if rec.birth_year is not None else ()
    mother_g = rec.mother_ph[0] if rec.mother_ph else ""
    mother_2 = "|".join(rec.mother_ph[:2])  # a mother's name is often cut after two words
    # The mother's full name (given names and surnames) when it has at least three words.
    mother_full = "".join(rec.mother_ph) if len(rec.mother_ph) >= 3 else ""

    for year in years:
        if g:
            keys.update(f"a|{'|'.join(sorted((g, s)))}|{year}" for s in surnames)
            if surnames and len(skeleton(g)) >= 2:
                keys.add(f"t|{skeleton(g)}|{surnames[0]}|{year}")
        if pair:
            keys.add(f"b|{pair}|{year}")
    if pair:
        keys.update(f"c|{given}|{pair}" for given in givens)
        if mother_g:
            keys.add(f"m|{pair}|{mother_g}")
    if len(givens) == 2:
        keys.update(f"g|{givens[0]}|{givens[1]}|{s}" for s in surnames[:2])
    if mother_full:
        keys.update(f"n|{s}|{mother_full}" for s in surnames[:2])
    if g and rec.birth_year is not None and rec.birth_month is not None:
        keys.add(f"d|{g}|{rec.birth_year}|{rec.birth_month}")
    if rec.birth_year is not None and rec.birth_month is not None:
        ym = f"{rec.birth_year}|{rec.birth_month}"
        if g:
            keys.update(f"s|{sk}|{ym}|{g[0]}" for sk in surnames[:2])
        if rec.birth_day is not None:
            heads = {name[:2] for name in (*rec.given_ph[:1], *rec.surnames_ph[:2])}
            keys.update(f"i|{head}|{ym}|{rec.birth_day}" for head in heads)
    if g and mother_2:
        keys.update(f"e|{g}|{s}|{mother_2}" for s in surnames[:2])
    if g and place:
        # Consonant prefixes survive typos in the names and the order of the two fields.
        head = skeleton(g)[:3]
        keys.update(f"p|{'|'.join(sorted((head, s[:3])))}|{place[:3]}" for s in surnames[:2])
    return keys
