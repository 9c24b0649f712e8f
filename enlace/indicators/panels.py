"""Home panels (analysts, focal points) that read their aggregates from protection.py."""


def register() -> None:
    """Called from IndicatorsConfig.ready()."""
