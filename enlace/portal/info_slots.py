"""Registrations of the portal's information half (info_slots), called from PortalConfig.ready().

Nothing to register: the pages are public (no staff navigation), and the guide for offices
(docs/portal.*.md) is listed with the other user guides in enlace.core.help."""


def register() -> None:
    """Nothing to register (see the module's docstring)."""
