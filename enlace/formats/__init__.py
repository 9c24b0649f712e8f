"""Date and number formats of the interface languages Django does not ship (FORMAT_MODULE_PATH)."""
