"""Blocking keys: short strings shared by records that might be the same person.

The app stores ``(person_id, key)`` rows in an indexed table and fetches the candidates of a new
record with ``WHERE key IN (...)``. Batch runs explode the same keys in DuckDB/Spark. Every key
combines two or three fields, so a key shared by everybody called María or García is never
produced, and every hard case keeps at least one key in common:

=====  ======================================================  ================================
key    fields                                                  survives
=====  ======================================================  ================================
``a``  consonants of the first given name and of one surname   missing 2nd surname, Brazilian
       (unordered), birth year (window 2)                      order, nicknames, year-only,
                                                               ±1, vowel typos, swapped fields
``b``  both surnames (unordered), birth year (window 2)        given-name typos, nicknames
``c``  one of two given names, both surnames (unordered)       missing or wrong birth date
``g``  the first two given names, one surname                  no date and one surname
``m``  both surnames (unordered), mother's first two words     given-name typos, no date
``n``  one surname, mother's full name (three words or more)   given-name typos, one surname
``o``  first given name, mother's full name (three words or    no date and a misspelt surname
       more)                                                   (Lucía Henández, Sergio
                                                               Hernanez, mother known in full)
``d``  first given name, birth year and month                  surname typos
``e``  consonants of one of two given names, one surname,      no date and one surname, vowel
       mother's first two words                                typos in the given name
``p``  three consonants of one of two given names and of one   no date, typos in both names,
       surname (unordered), three letters of the birth place   swapped fields
       (after common leading words: San, Santa, La, Puerto...)
``s``  one surname, birth year and month, given-name initial   given-name typos, one surname
``i``  full birth date (on 1 January, a common stand-in for    typos in both names, another
       an unknown day: with two letters of one of the names)   given name, swapped fields
``a``  (also) each later given name, or the last given name    known by the second given name,
       read as a surname, with one surname and birth year      a surname typed in the given
                                                               names field
``t``  consonants of "first given name|surname" (either of     one typo in the given name or
       two surnames) and every form with one letter left out,  the surname (Matín, Gulio,
       exact birth year                                        Rmaos, Serrao, Essobar), also
                                                               with the last surname alone
``u``  first given name and every form with one letter left    no date and a typo in the given
       out (three letters or more), both surnames (unless      name (Gltria Campos Castro)
       both are among the most frequent)
``z``  a given name and one surname, when neither is among     no date and nothing else
       the region's most frequent (data/frequent_names.txt)    (Karla Benítez)
``h``  first given name, birth year (window 2), mother's       a changed or different first
       first two words                                         surname (marriage, step-father)
``k``  first given name, exact birth year, three letters of    a changed surname, no mother
       the birth place
``x``  an identity document number                             anything else changed
``w``  a given name and one surname, exact, on the registry    a thin request: no date, no
       side (:func:`registry_keys`); on the request side       mother, no place, often a
       (:func:`request_keys`) only for a thin request, with    misspelt given name ("María
       every form of the first given name one edit away        Flores", "Francicsa Silva")
=====  ======================================================  ================================

Names are phonetic keys (see :func:`~enlace.linkage.normalize.phonetic`) after nickname
resolution; in ``a``, ``p`` and ``s`` they are reduced to their consonants
(:func:`skeleton`). "Window 2" means a record born in year Y emits Y and Y+1, so two records
whose years differ by at most one always share one. About forty to fifty keys per record (``t``
and ``u`` are deletion neighbourhoods: Bocek, Hunt & Stiller, "Fast similarity search in large
dictionaries", 2007).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from enlace.linkage.dates import ESTIMATED_AGE_TOLERANCE
from enlace.linkage.normalize import NormalizedRecord, frequent_names, phonetic

__all__ = [
    "WIDE_BLOCK_LIMIT",
    "WIDE_PREFIX",
    "blocking_keys",
    "is_thin",
    "registry_keys",
    "request_keys",
    "skeleton",
    "wide_keys_kept",
]

FREQUENT_GIVEN, FREQUENT_SURNAMES = frequent_names()


@lru_cache(maxsize=1 << 16)
def skeleton(key: str) -> str:
    """Consonants of a phonetic key: survives vowel typos (Lopez / Lapez, Jose / Jse)."""
    return "".join(ch for ch in key if ch not in "aeiou") or key


def blocking_keys(rec: NormalizedRecord) -> set[str]:
    """The blocking keys of one normalised record (about forty to fifty)."""
    keys: list[str] = []
    add = keys.append
    givens = rec.given_ph[:2]
    g = givens[0] if givens else ""
    gs = skeleton(g) if g else ""
    surnames = [skeleton(s) for s in rec.surnames_ph[:3]]
    sn2 = surnames[:2]
    ph = rec.surnames_ph
    pair = f"{min(ph[0], ph[1])}|{max(ph[0], ph[1])}" if len(ph) >= 2 else ""
    year, month, day = rec.birth_year, rec.birth_month, rec.birth_day
    mo = rec.mother_ph
    mother_2 = "|".join(mo[:2])  # a mother's name is often cut after two words

    if year is not None:
        # An estimated year reaches further (dates.ESTIMATED_AGE_TOLERANCE) on the query side.
        years = (
            range(year - ESTIMATED_AGE_TOLERANCE, year + ESTIMATED_AGE_TOLERANCE + 1)
            if rec.birth_precision == "estimated"
            else (year, year + 1)
        )
        for y in years:
            if gs:
                for s in surnames:
                    add(f"a|{gs}|{s}|{y}" if gs <= s else f"a|{s}|{gs}|{y}")
            if pair:
                add(f"b|{pair}|{y}")
        if month is not None:
            ym = f"{year}|{month}"
            if g:
                add(f"d|{g}|{ym}")
                for s in sn2:
                    add(f"s|{s}|{ym}|{g[0]}")
            if day is not None:
                if month == 1 and day == 1:
                    # 1 January often stands for an unknown day: too common to block on alone.
                    for head in {name[:2] for name in (*givens[:1], *ph[:2])}:
                        add(f"i|{head}|{ym}|{day}")
                else:
                    add(f"i|{ym}|{day}")
        # Known by another given name ("Sabine Boulanger" for "Nathalie Sabine Boulanger"):
        # the later given names meet one surname and the year too.
        for other in rec.given_ph[1:3]:
            os_ = skeleton(other)
            for y in (year, year + 1):
                for s in sn2:
                    add(f"a|{os_}|{s}|{y}" if os_ <= s else f"a|{s}|{os_}|{y}")
        # A surname written inside the given names ("Claudia Mercedes Carrasco" + "Fuentes").
        if gs and len(rec.given_ph) >= 2:
            last = skeleton(rec.given_ph[-1])
            for y in (year, year + 1):
                add(f"a|{gs}|{last}|{y}" if gs <= last else f"a|{last}|{gs}|{y}")
        # One typo in the first given name or in one surname (Matín, Gulio, Rmaos, Serrao):
        # the deletion neighbourhood of "given|surname" consonants, with the exact year.
        # Either surname: Brazilian families often give the last (father's) one alone.
        if gs:
            for s in sn2:
                for variant in _deletions(gs, s):
                    add(f"t|{variant}|{year}")
        # A changed or different surname: given name and year with the mother or the place.
        if g and mo:
            for y in years:
                add(f"h|{g}|{y}|{mother_2}")
        if g and rec.birth_place:
            add(f"k|{g}|{year}|{_place_head(rec.birth_place)}")
    if pair:
        for given in givens:
            add(f"c|{given}|{pair}")
        # No date and a typo in the first given name: both surnames are selective enough,
        # unless both are among the most frequent (Hernández García, Silva Santos).
        if g and not (ph[0] in FREQUENT_SURNAMES and ph[1] in FREQUENT_SURNAMES):
            for variant in _deletions(g, ""):
                if len(variant) > 3:  # "xyz|": at least three letters left
                    add(f"u|{variant}{pair}")
        if mo:
            add(f"m|{pair}|{mother_2}")
    if len(givens) == 2:
        for s in sn2:
            add(f"g|{givens[0]}|{givens[1]}|{s}")
    if len(mo) >= 3:  # the mother's full name (given names and surnames)
        mother_full = "".join(mo)
        for s in sn2:
            add(f"n|{s}|{mother_full}")
        if g:  # the surname misspelt (or changed) and no date: the mother known in full
            add(f"o|{g}|{mother_full}")
    # With no date and nothing else: a given name and one surname, when neither is one of the
    # region's most frequent (María, José, Silva, Hernández...): a rare pair is selective alone.
    for given in givens:
        if given in FREQUENT_GIVEN:
            continue
        for s in ph[:2]:
            if s not in FREQUENT_SURNAMES:
                add(f"z|{given}|{s}")
    # With no date: either given name (consonants: vowel typos) with the mother or the place.
    skeletons = [skeleton(given) for given in givens]
    if mo:
        for gk in skeletons:
            for s in sn2:
                add(f"e|{gk}|{s}|{mother_2}")
    if skeletons and rec.birth_place:
        # Consonant prefixes survive typos in the names and the order of the two fields.
        place = _place_head(rec.birth_place)
        for gk in skeletons:
            head = gk[:3]
            for s in sn2:
                add(f"p|{head}|{s[:3]}|{place}" if head <= s[:3] else f"p|{s[:3]}|{head}|{place}")
    for number in rec.documents:
        add(f"x|{number}")
    return set(keys)


@lru_cache(maxsize=1 << 16)
def _deletions(given: str, surname: str) -> tuple[str, ...]:
    """``given|surname`` and every form with one letter left out (a deletion neighbourhood).

    Two strings one edit apart (a letter dropped, added, changed or two swapped) always share
    one of these forms. Single letters are never left alone (too common).
    """
    out = {f"{given}|{surname}"}
    if len(given) >= 2:
        out.update(f"{given[:i]}{given[i + 1 :]}|{surname}" for i in range(len(given)))
    if len(surname) >= 2:
        out.update(f"{given}|{surname[:i]}{surname[i + 1 :]}" for i in range(len(surname)))
    return tuple(sorted(out))


# --- asymmetric keys for thin requests ----------------------------------------------------------
#
# A family that knows little (a given name and one surname, no date, no mother, no place) is
# searched wider than a record that says more: every registry person stores a "w" key per given
# name and surname, and only a thin request looks them up, also with its first given name one
# edit away (a letter dropped, added, changed, or two swapped: Francicsa, Norrma, Mara, Segrio),
# since such a name was often written down by ear. The registry pays a few keys per person
# (about three); the candidates are paid only by thin requests. A "w" key shared by more than
# WIDE_BLOCK_LIMIT registry persons is not looked up: with nothing else known, a family cannot be
# shown one "María Flores" among hundreds (the scorer would rank them all alike), so such a key
# would only cost time. Batch (model.predict) and online (tracing, people) apply the same limit.

WIDE_PREFIX = "w|"
WIDE_BLOCK_LIMIT = 100

# Letters of the phonetic keys (normalize.phonetic: no c, h, q, v, w, x, z outside "ch").
_PHONETIC_LETTERS = "abdefgijklmnoprstuy"


def is_thin(rec: NormalizedRecord) -> bool:
    """A request that knows little: no birth year, no mother, no birth place, no document."""
    return (
        rec.birth_year is None
        and not rec.mother_ph
        and not rec.birth_place
        and not rec.documents
        and bool(rec.given_ph)
        and bool(rec.surnames_ph)
    )


def registry_keys(rec: NormalizedRecord) -> set[str]:
    """The keys of a registry person: :func:`blocking_keys` and the wide keys (``w``) that
    thin requests look up."""
    keys = blocking_keys(rec)
    keys.update(f"{WIDE_PREFIX}{g}|{s}" for g in rec.given_ph[:2] for s in rec.surnames_ph[:2])
    return keys


def request_keys(rec: NormalizedRecord) -> set[str]:
    """The keys of a request (a record sought): :func:`blocking_keys`, and for a thin request
    (:func:`is_thin`) the wide keys of its given names and surnames, the first given name also
    in every form one edit away."""
    keys = blocking_keys(rec)
    if rec.birth_precision == "year" and rec.given_ph and rec.surnames_ph:
        # A family that gives only a year often gives it one off ("she was born in '90 or
        # '91"): the one-typo keys ("t") then meet the registry's exact year on either side.
        gs = skeleton(rec.given_ph[0])
        for y in (rec.birth_year - 1, rec.birth_year + 1):  # type: ignore[operator]
            for s in rec.surnames_ph[:2]:
                keys.update(f"t|{v}|{y}" for v in _deletions(gs, skeleton(s)))
    if is_thin(rec):
        surnames = rec.surnames_ph[:2]
        keys.update(f"{WIDE_PREFIX}{g}|{s}" for g in rec.given_ph[:2] for s in surnames)
        keys.update(f"{WIDE_PREFIX}{v}|{s}" for v in _edits(rec.given_ph[0]) for s in surnames)
        # The surname heard and written down with one slip too (Sluza, Rodrigez, Olivera).
        keys.update(
            f"{WIDE_PREFIX}{g}|{v}" for g in rec.given_ph[:2] for s in surnames for v in _edits(s)
        )
    return keys


def wide_keys_kept(block_sizes: Mapping[str, int], limit: int | None = None) -> set[str]:
    """The wide keys worth looking up: those held by 1 to ``limit`` (default
    WIDE_BLOCK_LIMIT) registry persons."""
    limit = WIDE_BLOCK_LIMIT if limit is None else limit
    return {k for k, n in block_sizes.items() if 0 < n <= limit}


@lru_cache(maxsize=1 << 14)
def _edits(word: str) -> tuple[str, ...]:
    """Every form of ``word`` one edit away (optimal string alignment), three letters or more."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in _PHONETIC_LETTERS)
    out.update(a + c + b for a, b in splits for c in _PHONETIC_LETTERS)
    out.discard(word)
    return tuple(sorted(x for x in out if len(x) >= 3))


# Leading words shared by many place names ("San Pedro Sula", "Santo Domingo", "La Paz").
_PLACE_PREFIXES = frozenset(
    {
        "san", "santa", "santo", "sao", "st", "saint", "la", "el", "los", "las", "de", "del",
        "puerto", "porto", "port", "ciudad", "cd", "villa", "vila", "nueva", "nuevo", "nova",
        "novo", "north", "south", "east", "west", "mount", "mt",
    }
)  # fmt: skip


@lru_cache(maxsize=1 << 14)
def _place_head(place: str) -> str:
    """Three letters of the birth place's phonetic key, after common leading words."""
    words = place.split()
    while len(words) > 1 and words[0] in _PLACE_PREFIXES:
        words = words[1:]
    return phonetic("".join(words))[:3]
