"""The person's fields, listed once: what a form or API client may set, what only the owning
office sees, and what only those who may see the identity see. The form, the API serializer,
the services and `present.person_fields` all read these lists."""

# What a caller (the person form, the API) may send; the services manage everything else.
# birth_date is parsed on its own (partial dates) and nationalities are a list of codes.
WRITABLE = (
    "given_names",
    "first_surname",
    "second_surname",
    "other_names",
    "sex",
    "gender_identity",
    "birth_date",
    "estimated_age",
    "birth_place",
    "languages",
    "phone",
    "email",
    "address",
    "migratory_status",
    "migratory_status_notes",
    "mother_name",
    "refuses_tracing",
)

# Behind the firewall: shown only to the owning office, never in history, exports or the API
# of other offices.
FIREWALLED = ("migratory_status", "migratory_status_notes")

# Shown only to those who may see the person's identity (see sees_identity); birth_date is
# shown formatted to its precision, full_name is computed.
IDENTITY = (
    "given_names",
    "first_surname",
    "second_surname",
    "other_names",
    "gender_identity",
    "birth_date_precision",
    "estimated_age",
    "birth_place",
    "mother_name",
    "languages",
    "phone",
    "email",
    "address",
    "refuses_tracing",
)
