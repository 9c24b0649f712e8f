"""Navigation, help and demo loaders of the indicator pages (official sources)."""


def register() -> None:
    """Called from IndicatorsConfig.ready()."""
