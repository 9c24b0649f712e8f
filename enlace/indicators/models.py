"""Tables of the official sources (migrant stock, UNHCR, Missing Migrants, remittance flows).

Figures are kept as published. Places are kept as the source names them, with their ISO 3166-1
codes when they are a country: UN DESA and the M49 standard name areas by a numeric code
(United Nations Statistics Division, "Standard country or area codes for statistical use",
M49), which for a country is its ISO 3166-1 numeric code; a code that is not one (Melanesia
928, Channel Islands 830, "Other" 2003…) is a regional aggregate or another area and is
flagged (`Area.kind`): an aggregate never enters a sum or a ranking, another area (Channel
Islands, UN DESA's "Other" origin) counts in totals but is never ranked among countries.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

UNDESA = "undesa"
UNHCR_POPULATION = "unhcr_population"
UNHCR_DEMOGRAPHICS = "unhcr_demographics"
UNHCR_SOLUTIONS = "unhcr_solutions"
MISSING_MIGRANTS = "missing_migrants"
KNOMAD = "knomad"
WDI_PAID = "wdi_paid"


class Source(models.TextChoices):
    UNDESA = UNDESA, _("UN DESA International Migrant Stock 2020")
    UNHCR_POPULATION = UNHCR_POPULATION, _("UNHCR end-year population totals")
    UNHCR_DEMOGRAPHICS = UNHCR_DEMOGRAPHICS, _("UNHCR demographics")
    UNHCR_SOLUTIONS = UNHCR_SOLUTIONS, _("UNHCR solutions")
    MISSING_MIGRANTS = MISSING_MIGRANTS, _("IOM Missing Migrants Project")
    KNOMAD = KNOMAD, _("World Bank/KNOMAD bilateral remittances 2017")
    WDI_PAID = WDI_PAID, _("World Bank WDI personal remittances paid")


class SourceImport(models.Model):
    """One import of a source file: what was read, and its digest (a demo load skips a file whose
    digest was imported already)."""

    source = models.CharField(_("source"), max_length=24, choices=Source.choices)
    file_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    rows = models.PositiveIntegerField(_("rows read"))
    created = models.PositiveIntegerField(_("rows added"))
    updated = models.PositiveIntegerField(_("rows changed"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("source import")
        verbose_name_plural = _("source imports")

    def __str__(self) -> str:
        return f"{self.source} {self.file_name} {self.imported_at:%Y-%m-%d}"


class AreaKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    # A place of its own that is no ISO 3166 country (Channel Islands 830) or UN DESA's "Other"
    # (2003, origin unknown): counted in totals, never ranked among countries.
    AREA = "area", _("Other area")
    # A region made of countries listed too (Melanesia 928…): never summed, never ranked.
    AGGREGATE = "aggregate", _("Regional aggregate")


class Area(models.Model):
    """A country or area as UN DESA names it, by its M49 code."""

    m49 = models.PositiveIntegerField(_("M49 code"), primary_key=True)
    name = models.CharField(_("name in the source"), max_length=120)
    iso2 = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, blank=True, db_index=True)
    iso3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AreaKind.choices)

    class Meta:
        ordering = ["m49"]
        verbose_name = _("area (M49)")
        verbose_name_plural = _("areas (M49)")

    def __str__(self) -> str:
        return f"{self.name} ({self.m49})"


class Sex(models.TextChoices):
    ALL = "all", _("All")
    FEMALE = "female", _("Women")
    MALE = "male", _("Men")


class MigrantStock(models.Model):
    """UN DESA International Migrant Stock 2020: persons living in `destination` who were born in
    (or are citizens of) `origin`, at mid-year, by sex."""

    destination = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    origin = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    stock = models.BigIntegerField(_("migrant stock"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["destination", "origin", "year", "sex"], name="ind_stock_unique"
            )
        ]
        indexes = [models.Index(fields=["origin", "year"], name="ind_stock_origin_year")]
        verbose_name = _("migrant stock")
        verbose_name_plural = _("migrant stock")

    def __str__(self) -> str:
        return f"{self.origin_id} → {self.destination_id} {self.year} {self.sex}: {self.stock}"


class UnhcrPopulation(models.Model):
    """UNHCR end-year population totals by country of origin and of asylum (UNHCR codes, which
    are ISO 3166-1 alpha-3 for countries; "UKN" various/unknown, "STA" stateless…)."""

    year = models.PositiveSmallIntegerField(_("year"))
    origin = models.CharField(_("origin (UNHCR code)"), max_length=3, blank=True)
    asylum = models.CharField(_("asylum (UNHCR code)"), max_length=3, blank=True)
    origin_iso2 = models.CharField(max_length=2, blank=True, db_index=True)
    asylum_iso2 = models.CharField(max_length=2, blank=True, db_index=True)
    refugees = models.BigIntegerField(_("refugees"), default=0)  # REF
    asylum_seekers = models.BigIntegerField(_("asylum-seekers"), default=0)  # ASY
    others_in_need = models.BigIntegerField(default=0)  # OIP
    idps = models.BigIntegerField(default=0)  # IDP
    stateless = models.BigIntegerField(default=0)  # STA
    others_of_concern = models.BigIntegerField(default=0)  # OOC
    host_community = models.BigIntegerField(default=0)  # HCO

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "origin", "asylum"], name="ind_unhcr_pop_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.origin} → {self.asylum}"


AGE_BANDS = ("0-4", "5-11", "12-17", "18-59", "60+", "unknown")


class UnhcrDemographics(models.Model):
    """UNHCR demographics by origin, asylum and population type, summed over the locations,
    urban/rural and accommodation types of the file; ages in UNHCR's bands."""

    year = models.PositiveSmallIntegerField(_("year"))
    origin = models.CharField(max_length=3, blank=True)
    asylum = models.CharField(max_length=3, blank=True)
    origin_iso2 = models.CharField(max_length=2, blank=True, db_index=True)
    asylum_iso2 = models.CharField(max_length=2, blank=True, db_index=True)
    population_type = models.CharField(max_length=4)
    female_0_4 = models.BigIntegerField(default=0)
    female_5_11 = models.BigIntegerField(default=0)
    female_12_17 = models.BigIntegerField(default=0)
    female_18_59 = models.BigIntegerField(default=0)
    female_60 = models.BigIntegerField(default=0)
    female_unknown = models.BigIntegerField(default=0)
    female_total = models.BigIntegerField(default=0)
    male_0_4 = models.BigIntegerField(default=0)
    male_5_11 = models.BigIntegerField(default=0)
    male_12_17 = models.BigIntegerField(default=0)
    male_18_59 = models.BigIntegerField(default=0)
    male_60 = models.BigIntegerField(default=0)
    male_unknown = models.BigIntegerField(default=0)
    male_total = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "origin", "asylum", "population_type"], name="ind_unhcr_demo_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.origin} → {self.asylum} {self.population_type}"


class UnhcrSolutions(models.Model):
    """UNHCR durable solutions: resettlement (RST), naturalisation (NAT), returned refugees (RET),
    returned IDPs (RDP)."""

    year = models.PositiveSmallIntegerField(_("year"))
    origin = models.CharField(max_length=3, blank=True)
    asylum = models.CharField(max_length=3, blank=True)
    origin_iso2 = models.CharField(max_length=2, blank=True, db_index=True)
    asylum_iso2 = models.CharField(max_length=2, blank=True, db_index=True)
    resettled = models.BigIntegerField(default=0)
    naturalised = models.BigIntegerField(default=0)
    returned_refugees = models.BigIntegerField(default=0)
    returned_idps = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "origin", "asylum"], name="ind_unhcr_sol_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.origin} → {self.asylum}"


class MissingMigrantsIncident(models.Model):
    """One incident of the IOM Missing Migrants Project, from either export layout."""

    incident_id = models.CharField(_("incident"), max_length=40, unique=True)  # Web ID / Main ID
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    region = models.CharField(_("region"), max_length=80)
    route = models.CharField(_("migration route"), max_length=120, blank=True)
    # Negative in a few rows of the current export: IOM's corrections of an earlier report.
    dead = models.IntegerField(_("dead"), default=0)
    missing = models.IntegerField(_("missing"), default=0)
    survivors = models.IntegerField(_("survivors"), null=True, blank=True)
    females = models.PositiveIntegerField(_("women and girls"), null=True, blank=True)
    males = models.PositiveIntegerField(_("men and boys"), null=True, blank=True)
    children = models.PositiveIntegerField(_("children"), null=True, blank=True)
    cause = models.CharField(_("cause of death"), max_length=200, blank=True)
    country_of_origin = models.CharField(_("country of origin"), max_length=300, blank=True)
    location = models.CharField(_("location"), max_length=500, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    source_quality = models.PositiveSmallIntegerField(_("source quality"), null=True, blank=True)
    layout = models.CharField(_("export layout"), max_length=8)

    class Meta:
        ordering = ["date", "incident_id"]

    def __str__(self) -> str:
        return f"{self.incident_id} ({self.date})"


class RemittanceFlow(models.Model):
    """World Bank/KNOMAD bilateral remittance estimate, 2017 (US$ million): from `sending` to
    `receiving`, by the source's names ("WORLD" is the total received)."""

    receiving = models.CharField(max_length=80)
    sending = models.CharField(max_length=80)
    receiving_iso2 = models.CharField(max_length=2, blank=True, db_index=True)
    sending_iso2 = models.CharField(max_length=2, blank=True, db_index=True)
    flow_musd = models.DecimalField(max_digits=14, decimal_places=2)
    share_gdp_pct = models.DecimalField(max_digits=12, decimal_places=4, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["receiving", "sending"], name="ind_knomad_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sending} → {self.receiving}: {self.flow_musd}"


class RemittancesPaid(models.Model):
    """WDI BM.TRF.PWKR.CD.DT, personal remittances paid (current US$), by economy and year;
    aggregates (World, regions, income groups) have no ISO alpha-2."""

    code = models.CharField(max_length=3)
    name = models.CharField(max_length=120)
    iso2 = models.CharField(max_length=2, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField()
    usd = models.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="ind_wdi_paid_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.year}: {self.usd}"


from .releases import *  # noqa: E402, F403  (the releases of protection figures: ind-protection)
