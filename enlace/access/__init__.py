"""The firewall, below people, cases and tracing: role groups (roles.py), scopes and predicates
for every record kind (rules.py), grants that open a record to another office (models.py,
grants.py), logged reads (reads.py) and the audit history pages (history.py, views.py)."""
