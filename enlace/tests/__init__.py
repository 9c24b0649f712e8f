"""Cross-cutting tests that span the apps (the access policy, the access log)."""
