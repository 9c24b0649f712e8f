"""The disclosure rule of every published or aggregate figure, in one place: a cell that counts
fewer than DISCLOSURE_THRESHOLD distinct persons is not shown (it reads "<10"), so that no one
can be singled out from a table. Count persons, not cases: one person's five cases are one."""

from collections import deque
from dataclasses import dataclass

DISCLOSURE_THRESHOLD = 10


@dataclass(frozen=True)
class Cell:
    """One figure of an aggregate table: its value, or None when suppressed."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return f"<{DISCLOSURE_THRESHOLD}" if self.value is None else str(self.value)


def disclosed(persons: int) -> Cell:
    """The cell for a count of distinct persons: shown from the threshold up, else suppressed
    (zero included: a zero next to suppressed cells would narrow them down)."""
    return Cell(persons if persons >= DISCLOSURE_THRESHOLD else None)


# Tables protected as a whole ------------------------------------------------------------------
#
# A table is a cube: each dimension has its values and a total ("" in every key), and every line
# (all cells that differ only along one dimension) obeys total = sum of the values. Publishing a
# cube cell by cell with `disclosed` is not enough: a total minus its shown parts gives back a
# suppressed part. `protect` decides the cells to suppress over the whole cube at once:
#
# 1. primary: every cell from 1 to threshold - 1 persons. A true zero is published as 0: it is
#    no one, and hiding it would cost most of a sparse table (a country alone in the region with
#    any figure would hide, its zero neighbours needing it as a partner). What a zero tells, that
#    the cells beside it hold everything, is taken into account: a zero is never a partner in
#    step 2 (it hides nothing), and the audit's attacker knows that every hidden cell is at
#    least 1. (`disclosed`, for a lone figure with no table around it, still hides zeros.)
# 2. secondary, per line, iterated until no line changes: when a line's total is shown, its
#    suppressed parts must be at least two and add up to at least the threshold (else their sum,
#    the total minus the shown parts, is a small figure); the smallest shown non-zero parts are
#    added; and a hidden total never has all its parts shown (it would be their sum);
# 3. an audit (`attack`) bounds every suppressed cell from the published, rounded figures by
#    interval propagation over every line; a small cell whose upper bound falls under the
#    threshold gets one more partner suppressed in one of its lines, and 2-3 run again.
#
# Published values are rounded to base ROUNDING_BASE (each within ±2 of the count), after
# suppression, which is decided on the exact counts. Statistics Canada and the UK ONS use the
# same rules (threshold, rounding to 5, secondary suppression); the line rule is the classic
# "protection of a sensitive cell by at least one other cell in every relation" (Hundepool et
# al., Statistical Disclosure Control, Wiley 2012, ch. 4).

ROUNDING_BASE = 5
TOTAL = ""

Key = tuple[str, ...]


def rounded(n: int, base: int = ROUNDING_BASE) -> int:
    """To the nearest multiple of `base` (halves up)."""
    return base * ((n + base // 2) // base)


def cube_keys(domains: list[list[str]]) -> list[Key]:
    keys: list[Key] = [()]
    for values in domains:
        keys = [(*k, v) for k in keys for v in (TOTAL, *values)]
    return keys


def cube_lines(domains: list[list[str]]) -> list[list[Key]]:
    """Every line of the cube: [its total, its parts...]."""
    lines = []
    keys = cube_keys(domains)
    for axis, values in enumerate(domains):
        for key in keys:
            if key[axis] != TOTAL:
                continue
            lines.append([key, *((*key[:axis], v, *key[axis + 1 :]) for v in values)])
    return lines


def build_cube(leaves: dict[Key, int], domains: list[list[str]]) -> dict[Key, int]:
    """Every cell of the cube, margins summed from the leaves (keys with no total)."""
    cube = dict.fromkeys(cube_keys(domains), 0)
    for leaf, n in leaves.items():
        if n == 0:
            continue
        margins: list[Key] = [()]
        for value in leaf:
            margins = [(*m, v) for m in margins for v in (value, TOTAL)]
        for key in margins:
            cube[key] += n
    return cube


Line = list[Key]


def _index(lines: list[Line]) -> dict[Key, list[int]]:
    of_cell: dict[Key, list[int]] = {}
    for i, line in enumerate(lines):
        for k in line:
            of_cell.setdefault(k, []).append(i)
    return of_cell


def attack(
    published: dict[Key, int | None],
    domains: list[list[str]] | None = None,
    *,
    lines: list[Line] | None = None,
    threshold: int = DISCLOSURE_THRESHOLD,
    base: int = ROUNDING_BASE,
) -> dict[Key, tuple[int, int]]:
    """What an attacker can bound every cell to from the published table alone (None:
    suppressed; else rounded to `base`), by interval propagation over every line (those of the
    cube of `domains`, or the `lines` given: [total, parts...]) until nothing tightens. A shown
    non-zero cell is known to be at least the threshold, a shown zero to be zero, and a
    suppressed cell to be at least 1."""
    if lines is None:
        lines = cube_lines(domains or [])
    half = base // 2
    big = sum(v + half for v in published.values() if v is not None) or 0
    big = max(big, 10**9)
    bounds: dict[Key, tuple[int, int]] = {
        k: ((1, big) if v is None else (0, 0) if v == 0 else (max(threshold, v - half), v + half))
        for k, v in published.items()
    }
    of_cell = _index(lines)
    # Only lines with a hidden cell can tighten anything: a line of shown cells tells nothing
    # more than its cells (their bounds are already what the attacker knows).
    work = deque(i for i, line in enumerate(lines) if any(published[k] is None for k in line))
    queued = set(work)
    while work:
        i = work.popleft()  # first in, first out: a round over the lines before any again
        queued.discard(i)
        line = lines[i]
        total, parts = line[0], line[1:]
        part_bounds = [bounds[p] for p in parts]
        lo_sum = sum(b[0] for b in part_bounds)
        hi_sum = sum(b[1] for b in part_bounds)
        t_old = bounds[total]
        t_lo, t_hi = max(t_old[0], lo_sum), min(t_old[1], hi_sum)
        changed: list[Key] = []
        if (t_lo, t_hi) != t_old:
            bounds[total] = (t_lo, t_hi)
            changed.append(total)
        for p, (lo, hi) in zip(parts, part_bounds, strict=True):
            new = (max(lo, t_lo - (hi_sum - hi)), min(hi, t_hi - (lo_sum - lo)))
            if new != (lo, hi):
                bounds[p] = new
                changed.append(p)
        for k in changed:
            for j in of_cell[k]:
                if j != i and j not in queued:
                    queued.add(j)
                    work.append(j)
    return bounds


def protect(
    cube: dict[Key, int],
    domains: list[list[str]] | None = None,
    *,
    lines: list[Line] | None = None,
    fixed: dict[Key, int | None] | None = None,
    threshold: int = DISCLOSURE_THRESHOLD,
    base: int = ROUNDING_BASE,
) -> dict[Key, int | None]:
    """The published table: every cell rounded to `base`, or None when suppressed (primary and
    secondary suppression over every line, audited by `attack`, iterated until stable). The
    lines are those of the cube of `domains`, or the `lines` given ([total, parts...]).

    `fixed`: cells published before (value, or None: suppressed) that cannot change; only the
    other cells are chosen as partners, and the audit attacks the old and the new cells
    together, so that the union of what was published before and now protects every cell.

    Partners: in a line that needs one, the smallest free non-zero shown cell (one is enough:
    a shown non-zero cell counts at least the threshold). Lines are fixed from a work list (only
    the lines of a cell just hidden are looked at again), not by passes over the whole table
    until nothing changes. Each audit
    round that finds an exposed cell hides more: first one partner per exposed cell; if there is
    none left, one for each of its hidden neighbours that the attacker pins down (narrower than
    the threshold); then every free non-zero cell of its lines, totals included; if even that
    hides nothing new, every free non-zero cell. The hidden set only grows, so this ends."""
    if lines is None:
        lines = cube_lines(domains or [])
    fixed = fixed or {}
    suppressed = {k for k, v in cube.items() if k not in fixed and 0 < v < threshold}
    suppressed |= {k for k, v in fixed.items() if v is None}
    of_cell = _index(lines)

    def free(p: Key) -> bool:
        return p not in suppressed and p not in fixed and cube[p] > 0

    def best(candidates: list[Key]) -> Key:
        return min(candidates, key=lambda p: (cube[p], p))

    work = list(range(len(lines)))
    queued = set(work)

    def hide(k: Key) -> None:
        if k in suppressed:
            return
        suppressed.add(k)
        for j in of_cell.get(k, ()):
            if j not in queued:
                queued.add(j)
                work.append(j)

    def line_fix(line: Line) -> None:
        total, parts = line[0], line[1:]
        hidden = [p for p in parts if p in suppressed]
        if total in suppressed:
            # A hidden total whose parts all show is their sum: hide one part with it.
            if not hidden:
                nonzero = [p for p in parts if free(p)]
                if nonzero:
                    hide(best(nonzero))
            return
        if not hidden or (len(hidden) >= 2 and sum(cube[p] for p in hidden) >= threshold):
            return
        # A shown non-zero cell that is not fixed counts at least the threshold: one is enough.
        candidates = [p for p in parts if free(p)]
        if candidates:
            hide(best(candidates))
        elif total not in fixed:
            hide(total)  # nothing left to hide with: the total goes too

    while True:
        while work:
            i = work.pop()
            queued.discard(i)
            line_fix(lines[i])
        published = {
            k: fixed[k] if k in fixed else (None if k in suppressed else rounded(v, base))
            for k, v in cube.items()
        }
        if not suppressed:
            return published
        bounds = attack(published, lines=lines, threshold=threshold, base=base)
        exposed = [k for k, v in cube.items() if 0 < v < threshold and bounds[k][1] < threshold]
        if not exposed:
            return published
        before = len(suppressed)
        for k in exposed:  # one more partner: the smallest free cell of its lines
            shown = [p for j in of_cell.get(k, ()) for p in lines[j] if free(p)]
            if shown:
                hide(best(shown))
        if len(suppressed) == before:  # their hidden neighbours are pinned: widen those
            for k in exposed:
                for j in of_cell.get(k, ()):
                    for p in lines[j]:
                        if p == k or p not in suppressed:
                            continue
                        if bounds[p][1] - bounds[p][0] >= threshold:
                            continue
                        near = [q for far in of_cell[p] for q in lines[far] if free(q)]
                        if near:
                            hide(best(near))
        if len(suppressed) == before:  # nothing left beside them: their lines' totals' lines
            for k in exposed:
                for j in of_cell.get(k, ()):
                    for far in of_cell[lines[j][0]]:
                        for p in lines[far]:
                            if free(p):
                                hide(p)
        if len(suppressed) == before:
            for k in list(cube):
                if free(k):
                    hide(k)
        if len(suppressed) == before:
            raise ValueError(f"cells exposed by the fixed cells alone: {exposed[:5]}")
