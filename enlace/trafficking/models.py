"""Trafficking in persons and smuggling of migrants: case records on the HTCDS field standard
(enlace.trafficking.htcds), routes across countries, incidents on the way, and the identifiers
(phones, vehicles, bank accounts, places) that link cases to each other."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.errors import ValidationFailed
from enlace.core.models import BaseModel
from enlace.core.querysets import BranchedQuerySet

from . import htcds


class CaseKind(models.TextChoices):
    """Palermo protocols: trafficking in persons, or smuggling of migrants (a distinct crime,
    with its own record: smuggled persons, fees, incidents on the way)."""

    TRAFFICKING = "trafficking", _("Trafficking in persons")
    SMUGGLING = "smuggling", _("Smuggling of migrants")


# Reference prefixes: TP-GT-2026-000001, SM-GT-2026-000001.
REFERENCE_PREFIX = {CaseKind.TRAFFICKING: "TP", CaseKind.SMUGGLING: "SM"}

CaseStatus = htcds.CASE_STATUS


class TraffickingCase(BaseModel):
    """A trafficking or smuggling case, owned by the office of the focal point who opened it."""

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    owner_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="trafficking_cases",
    )
    # cas_Status
    status = models.CharField(
        _("status"), max_length=16, choices=htcds.choices(htcds.CASE_STATUS), default="Active"
    )
    summary = models.TextField(_("summary"), max_length=5000)
    # cas_ReasonForCaseClosure
    closure_reason = models.TextField(_("reason for case closure"), blank=True, max_length=5000)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # cas_ referral details (HTCDS): organisations and case workers as free text, since they
    # are outside Enlace (a referral between Enlace offices is a grant of the access layer).
    referring_organisation = models.CharField(
        _("referring organisation"), max_length=200, blank=True
    )
    incoming_referral_date = models.DateField(_("incoming referral date"), null=True, blank=True)
    referring_case_worker = models.CharField(
        _("referring primary case worker"), max_length=200, blank=True
    )
    incoming_referral_reason = models.CharField(
        _("reason for incoming referral"),
        max_length=32,
        blank=True,
        choices=htcds.choices(htcds.REASON_FOR_REFERRAL),
    )
    incoming_referral_details = models.TextField(
        _("incoming referral details"), blank=True, max_length=5000
    )
    referred_organisation = models.CharField(_("referred organisation"), max_length=200, blank=True)
    referred_case_worker = models.CharField(
        _("referred primary case worker"), max_length=200, blank=True
    )
    outgoing_referral_reason = models.CharField(
        _("reason for outgoing referral"),
        max_length=32,
        blank=True,
        choices=htcds.choices(htcds.REASON_FOR_REFERRAL),
    )
    outgoing_referral_date = models.DateField(_("outgoing referral date"), null=True, blank=True)
    outgoing_referral_details = models.TextField(
        _("outgoing referral details"), blank=True, max_length=5000
    )
    # Folded reference and places (route, events, incidents), kept by the services so that
    # search needs no join; names are searched apart, only where the searcher may see them.
    search_text = models.TextField(editable=False, blank=True, default="")
    # Folded free text (the summary), kept with search_text: matched only where the searcher
    # may see the identities (a name may have been typed there; rules.sees_free_text).
    free_text_search = models.TextField(editable=False, blank=True, default="")
    version = models.PositiveIntegerField(_("version"), default=1)
    # traf-io: the key a case imported from an HTCDS workbook had in it (another system's
    # reference or record id), so that importing the same file again finds it (htcds_io).
    import_key = models.CharField(max_length=100, editable=False, blank=True, default="")

    objects = BranchedQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "id"]
        verbose_name = _("trafficking or smuggling case")
        verbose_name_plural = _("trafficking and smuggling cases")
        indexes = [
            # The list, newest first, read in order (enlace.core.querysets): by owner country
            # (through the office) and over the whole network for the route's countries.
            models.Index(fields=["owner_office", "-created", "id"], name="traf_office_newest"),
            models.Index(fields=["-created", "id"], name="traf_newest"),
            models.Index(fields=["kind", "status"], name="traf_kind_status"),
            models.Index(fields=["owner_office", "reference"], name="traf_office_reference"),
            models.Index(fields=["import_key"], name="traf_import_key"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_smuggling(self) -> bool:
        return self.kind == CaseKind.SMUGGLING


def _check_multi(name: str, values: object, key: str) -> None:
    try:
        htcds.check_choices(name, values, key=key)
    except ValidationFailed as exc:
        raise ValidationError({key: exc.errors[key]}) from exc


class Victim(BaseModel):
    """A person in the case: a victim of trafficking, or for smuggling the smuggled person
    (HTCDS victim context, vic_ and con_)."""

    case = models.ForeignKey(TraffickingCase, on_delete=models.CASCADE, related_name="victims")
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="trafficking_victims",
    )
    protection_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("protection case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trafficking_victims",
    )
    trafficking_status = models.CharField(
        _("trafficking status"),
        max_length=40,
        blank=True,
        choices=htcds.choices(htcds.TRAFFICKING_STATUS),
    )
    status_decided_by = models.CharField(
        _("trafficking status decided by"),
        max_length=40,
        blank=True,
        choices=htcds.choices(htcds.STATUS_DECISION_MAKING_ORG),
    )
    relationship_to_trafficker = models.CharField(
        _("relationship to trafficker"),
        max_length=16,
        blank=True,
        choices=htcds.choices(htcds.RELATIONSHIP_TO_TRAFFICKER),
    )
    age_when_trafficked = models.PositiveSmallIntegerField(
        _("age when trafficked"), null=True, blank=True
    )
    # Multiselect picklists: lists of HTCDS value names (validated in clean() and the services).
    recruitment_websites_and_apps = models.JSONField(
        _("recruitment websites and apps"), default=list, blank=True
    )
    method_of_recruitment = models.JSONField(_("method of recruitment"), default=list, blank=True)
    location_of_recruitment = models.CharField(
        _("location of recruitment"), max_length=200, blank=True
    )
    methods_of_control = models.JSONField(_("methods of control"), default=list, blank=True)
    type_of_exploitation = models.JSONField(_("type of exploitation"), default=list, blank=True)
    forced_labour_industry = models.CharField(
        _("forced labour industry"),
        max_length=64,
        blank=True,
        choices=htcds.choices(htcds.FORCED_LABOUR_INDUSTRY),
    )
    type_of_sex_exploitation = models.JSONField(
        _("type of sexual exploitation"), default=list, blank=True
    )
    location_of_exploitation = models.CharField(
        _("location of exploitation"), max_length=200, blank=True
    )
    exploitation_websites_and_apps = models.JSONField(
        _("exploitation websites and apps"), default=list, blank=True
    )
    # con_Consent: the person agreed to the interview and to the use of their data.
    consent = models.BooleanField(_("consent"), null=True, blank=True)
    # Smuggling: what the smuggled person paid (ISO 4217 currency).
    fee_paid = models.DecimalField(
        _("fee paid"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    fee_currency = models.CharField(_("currency of the fee"), max_length=3, blank=True)

    MULTI_FIELDS = {
        "recruitment_websites_and_apps": "vic_RecruitmentWebsitesAndApps",
        "method_of_recruitment": "vic_MethodOfRecruitment",
        "methods_of_control": "vic_MethodsOfControl",
        "type_of_exploitation": "vic_TypeOfExploitation",
        "type_of_sex_exploitation": "vic_TypeOfSexExploitation",
        "exploitation_websites_and_apps": "vic_ExploitationWebsitesAndApps",
    }

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("victim or smuggled person")
        verbose_name_plural = _("victims and smuggled persons")
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="traf_victim_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} / {self.person_id}"

    def clean(self) -> None:
        for attribute, name in self.MULTI_FIELDS.items():
            _check_multi(name, getattr(self, attribute), attribute)


class Perpetrator(BaseModel):
    """A trafficker or a smuggler (HTCDS perpetrator context, per_)."""

    case = models.ForeignKey(TraffickingCase, on_delete=models.CASCADE, related_name="perpetrators")
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    surnames = models.CharField(_("surnames"), max_length=200, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    sex = models.CharField(
        _("sex"),
        max_length=1,
        # people.Sex's values (F, M, X, U), named here so this app's model needs no import.
        choices=[
            ("F", _("Female")),
            ("M", _("Male")),
            ("X", _("Other / intersex")),
            ("U", _("Unknown")),
        ],
        default="U",
    )
    nationality = models.ForeignKey(
        "core.Country",
        verbose_name=_("nationality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    role_in_process = models.JSONField(_("role in process"), default=list, blank=True)
    role_details = models.TextField(_("role details"), blank=True, max_length=5000)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # Folded names and aliases, for search within the cases whose identities the searcher sees.
    search_text = models.CharField(max_length=1200, editable=False, blank=True, default="")

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("perpetrator")
        verbose_name_plural = _("perpetrators")

    def __str__(self) -> str:
        return " ".join(p for p in (self.given_names, self.surnames) if p) or str(self.pk)

    def clean(self) -> None:
        _check_multi("per_RoleInProcess", self.role_in_process, "role_in_process")
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": _("Give a list of names.")})


class HistoricEvent(BaseModel):
    """A recruitment, transit or exploitation event in the case's history (HTCDS hte_)."""

    case = models.ForeignKey(TraffickingCase, on_delete=models.CASCADE, related_name="events")
    victim = models.ForeignKey(
        Victim,
        verbose_name=_("victim"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    date = models.DateField(_("date"), null=True, blank=True)
    type = models.CharField(
        _("type"), max_length=16, choices=htcds.choices(htcds.HISTORIC_EVENT_TYPE)
    )
    country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(_("state or province"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)

    class Meta:
        ordering = ["date", "created", "id"]
        verbose_name = _("historic trafficking event")
        verbose_name_plural = _("historic trafficking events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="traf_event_latitude",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="traf_event_longitude",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.date or ''}".strip()


class Transport(models.TextChoices):
    ON_FOOT = "on_foot", _("On foot")
    CAR = "car", _("Car")
    BUS = "bus", _("Bus")
    TRUCK = "truck", _("Truck")
    TRAIN = "train", _("Train")
    BOAT = "boat", _("Boat")
    PLANE = "plane", _("Plane")
    OTHER = "other", _("Other")


class RouteStop(models.Model):
    """One place of the route, in order from origin through transit to destination."""

    case = models.ForeignKey(TraffickingCase, on_delete=models.CASCADE, related_name="route")
    position = models.PositiveSmallIntegerField(_("position"))
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    transport = models.CharField(
        _("means of transport"), max_length=16, choices=Transport.choices, blank=True
    )

    class Meta:
        ordering = ["case", "position"]
        verbose_name = _("route stop")
        verbose_name_plural = _("route stops")
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="traf_route_position"),
        ]
        indexes = [
            # Which cases pass through a country (the focal points' scope, the list's filter).
            models.Index(fields=["country", "case"], name="traf_route_country"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.country_id} {self.place}".strip()


class Incident(BaseModel):
    """Something that happened to smuggled persons on the way."""

    class Kind(models.TextChoices):
        ABANDONMENT = "abandonment", _("Abandonment")
        VIOLENCE = "violence", _("Violence")
        DEATH = "death", _("Death")
        KIDNAPPING = "kidnapping", _("Kidnapping")
        EXTORTION = "extortion", _("Extortion")
        OTHER = "other", _("Other")

    case = models.ForeignKey(TraffickingCase, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    persons_affected = models.PositiveIntegerField(_("persons affected"), null=True, blank=True)
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    description = models.TextField(_("description"), blank=True, max_length=5000)

    class Meta:
        ordering = ["date", "created", "id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date or ''}".strip()


class Identifier(BaseModel):
    """A phone number, vehicle, bank account or place seen in the case: what links cases.
    `normalised` is the form compared across cases (E.164 phones, uppercase alphanumerics for
    plates and accounts, folded places)."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone number")
        VEHICLE = "vehicle", _("Vehicle")
        BANK_ACCOUNT = "bank_account", _("Bank account")
        PLACE = "place", _("Place")

    # Kinds whose value identifies someone: shown only with the identities.
    IDENTIFYING = frozenset({Kind.PHONE, Kind.VEHICLE, Kind.BANK_ACCOUNT})

    case = models.ForeignKey(TraffickingCase, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=200)
    normalised = models.CharField(_("normalised value"), max_length=200, editable=False)
    perpetrator = models.ForeignKey(
        Perpetrator,
        verbose_name=_("perpetrator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="identifiers",
    )

    class Meta:
        ordering = ["kind", "created", "id"]
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        indexes = [
            models.Index(fields=["kind", "normalised"], name="traf_identifier_value"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.normalised}"


# Alerts and identity access requests (enlace.trafficking.alerts, .access_requests) ----------


class Alert(BaseModel):
    """A case's alert to one office of a country on its route, whose trafficking focal points
    acknowledge it; escalated once when nobody did in time. A new alert of the same case (the
    route changed, new facts) asks for a new acknowledgement."""

    class Reason(models.TextChoices):
        OPENED = "opened", _("Case opened")
        ROUTE_CHANGED = "route_changed", _("Route changed")
        UPDATED = "updated", _("New facts")
        # Opened or changed by an HTCDS import: one inbox item per office for the whole file.
        IMPORTED = "imported", _("Imported (HTCDS workbook)")

    case = models.ForeignKey(TraffickingCase, on_delete=models.CASCADE, related_name="alerts")
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="trafficking_alerts",
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    alerted_at = models.DateTimeField(_("alerted at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        ordering = ["-alerted_at", "id"]
        verbose_name = _("trafficking alert")
        verbose_name_plural = _("trafficking alerts")
        constraints = [
            models.UniqueConstraint(fields=["case", "office"], name="traf_alert_once"),
        ]
        indexes = [
            models.Index(fields=["office", "-alerted_at"], name="traf_alert_office"),
            # The escalation's scan: unacknowledged, not escalated, oldest first.
            models.Index(
                fields=["alerted_at"],
                name="traf_alert_waiting",
                condition=models.Q(acknowledged_at__isnull=True, escalated_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.office_id}"


class IdentityRequest(BaseModel):
    """A trafficking focal point of a country on the case's route asks to see its identities;
    the owning country's focal points grant (one access grant per victim) or refuse."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for a decision")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    class Basis(models.TextChoices):
        LEGAL_BASIS = "legal_basis", _("A legal basis")
        CONSENT = "consent", _("The victims' consent")

    case = models.ForeignKey(
        TraffickingCase, on_delete=models.CASCADE, related_name="identity_requests"
    )
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("requesting office"),
        on_delete=models.PROTECT,
        related_name="trafficking_identity_requests",
    )
    purpose = models.TextField(_("purpose"), max_length=2000)
    basis = models.CharField(_("grounds"), max_length=16, choices=Basis.choices)
    legal_basis = models.TextField(_("legal basis"), max_length=2000, blank=True)
    days = models.PositiveSmallIntegerField(_("requested duration (days)"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), max_length=2000, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-created", "id"]
        verbose_name = _("identity access request")
        verbose_name_plural = _("identity access requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days__gte=1, days__lte=365), name="traf_request_days"
            ),
            # One open or granted request per office and case (its grants are found by both).
            models.UniqueConstraint(
                fields=["case", "office"],
                condition=models.Q(status__in=["requested", "granted"]),
                name="traf_request_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "status"], name="traf_request_case"),
            models.Index(fields=["office", "-created"], name="traf_request_office"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.office_id} ({self.status})"


# Links between cases (enlace.trafficking.links) ------------------------------------------------


class LinkKind(models.TextChoices):
    """What two linked cases share. The kind is all a link says to a reader who may not see
    the identities of both cases: never the shared value."""

    PERPETRATOR = "perpetrator", _("Same perpetrator")
    PHONE = "phone", _("Same phone number")
    VEHICLE = "vehicle", _("Same vehicle")
    BANK_ACCOUNT = "bank_account", _("Same bank account")
    PLACE = "place", _("Same place")
    ROUTE = "route", _("Same route segment")


class CaseKey(models.Model):
    """One key of a case for finding its links: a hash of a normalised identifier, a route
    segment or a blocking key of a perpetrator's name (hashed, so the index spells out nothing).
    A saved case's keys are looked up here instead of comparing every pair of cases."""

    case = models.ForeignKey(TraffickingCase, on_delete=models.CASCADE, related_name="link_keys")
    kind = models.CharField(max_length=16, choices=LinkKind.choices)
    key = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("link key")
        verbose_name_plural = _("link keys")
        indexes = [models.Index(fields=["key", "case"], name="traf_linkkey_key")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class CaseLink(models.Model):
    """Two cases sharing something of one kind (case_a < case_b); `strength` is 1 for a shared
    identifier or route segment, the linkage engine's match probability for a perpetrator."""

    case_a = models.ForeignKey(TraffickingCase, on_delete=models.CASCADE, related_name="+")
    case_b = models.ForeignKey(TraffickingCase, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=LinkKind.choices)
    strength = models.FloatField(_("strength"))

    class Meta:
        ordering = ["case_a", "case_b", "kind"]
        verbose_name = _("link between cases")
        verbose_name_plural = _("links between cases")
        constraints = [
            models.UniqueConstraint(fields=["case_a", "case_b", "kind"], name="traf_link_once"),
            models.CheckConstraint(
                condition=models.Q(case_a__lt=models.F("case_b")), name="traf_link_ordered"
            ),
        ]
        indexes = [models.Index(fields=["case_b", "case_a"], name="traf_link_b")]

    def __str__(self) -> str:
        return f"{self.case_a_id} – {self.case_b_id} ({self.kind})"
