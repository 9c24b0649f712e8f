"""Registrations of the portal (info_slots), called from PortalConfig.ready()."""


def register() -> None:
    """Nothing yet."""
