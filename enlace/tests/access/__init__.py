"""The access policy table and the tests it drives."""
