"""Every URL pattern of the project, read from the URL conf (the helpers live in core.testing)."""

from enlace.core.testing import Pattern, pattern_names, url_patterns

__all__ = ["Pattern", "pattern_names", "url_patterns"]
