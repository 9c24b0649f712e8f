"""Demo data for remittances (filled in below)."""


def seed_demo_remittances() -> list[str]:
    return []
