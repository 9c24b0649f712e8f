"""Requests from the public, held for triage (intake half of the portal)."""
