"""Registrations of the portal (slots), called from PortalConfig.ready()."""


def register() -> None:
    """Nothing yet."""
