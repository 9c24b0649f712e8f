"""Every group of roles, defined once. Nothing else in the code compares a role name: the rules
(rules.py) and the apps' permissions ask these groups."""

from enlace.accounts.models import STAFF_ROLES, Role

# The staff of an office who work its cases: open, edit, refer, trace.
OFFICE_STAFF = frozenset({Role.OFFICER, Role.SUPERVISOR})
# Approve assessments and closures, refer without consent (with a reason).
APPROVERS = frozenset({Role.SUPERVISOR})
# See cases and people at all (each within its scope).
CASE_ROLES = frozenset(
    {Role.OFFICER, Role.SUPERVISOR, Role.NATIONAL_FOCAL_POINT, Role.TRAFFICKING_FOCAL_POINT}
)
# See every record of the offices of their country.
NATIONAL_FOCAL_POINTS = frozenset({Role.NATIONAL_FOCAL_POINT})
# See trafficking cases (and their victims' identities) of their country, nothing else.
TRAFFICKING_FOCAL_POINTS = frozenset({Role.TRAFFICKING_FOCAL_POINT})
# Focal points: see GBV survivors' names of their country.
FOCAL_POINTS = NATIONAL_FOCAL_POINTS | TRAFFICKING_FOCAL_POINTS
# File tracing requests and review matches.
TRACING_ROLES = OFFICE_STAFF
# Read who viewed and who changed a record (the audit history).
OVERSIGHT_ROLES = frozenset({Role.SUPERVISOR, Role.NATIONAL_FOCAL_POINT, Role.ADMINISTRATOR})
# Oversee the whole network (audit of every office, registry jobs, reference data).
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})
# Read regional aggregates under the disclosure rule, never a person (analysts, the regional
# secretariat).
AGGREGATE_READERS = frozenset({Role.ANALYST})
# Represent a migrant association (its own office of kind "association").
ASSOCIATION_REPS = frozenset({Role.ASSOCIATION_REP})
# Connect national case systems, statistics tools or the network's own scripts to the API (the
# help page links its documentation for them; officers get the user guides).
API_ROLES = frozenset({Role.NATIONAL_FOCAL_POINT, Role.ANALYST, Role.ADMINISTRATOR})
# Forums (enlace.forums): read the working documents of the regional position (country
# positions once submitted, drafts of the regional position, comments, endorsements).
FORUM_READERS = STAFF_ROLES
# The regional secretariat's roles that draft the regional position and manage forums, meetings
# and agenda items (in an office of kind "secretariat").
FORUM_SECRETARIAT = AGGREGATE_READERS | ADMINISTRATORS
# Roles that handle protection data and must use two-factor authentication in production.
TWO_FACTOR_ROLES = STAFF_ROLES


def in_group(role: str | None, group: frozenset[str]) -> bool:
    return role is not None and role in group
