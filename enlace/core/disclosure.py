"""The disclosure rule of every published or aggregate figure, in one place: a cell that counts
fewer than DISCLOSURE_THRESHOLD distinct persons is not shown (it reads "<10"), so that no one
can be singled out from a table. Count persons, not cases: one person's five cases are one."""

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
