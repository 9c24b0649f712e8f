"""The Human Trafficking Case Data Standard (HTCDS 2.0) as data: each field group Enlace keeps
(person prs_, victim context vic_, perpetrator context per_, case cas_, historic trafficking
events hte_, consent con_), the model field that holds each field, its type, and for picklists
the value names (the standard's system identifiers, written exactly as there) with English
labels for translation.

Source: Human Trafficking Case Data Standard, IOM, CC BY 4.0 — shared/standards/htcds
(UNMigration/HTCDS at commit 3c2f6537cd76c3305975aa5eef7a1bf26fe20a30):
`field-standards-2.0.ods` ("HTCDS Field Standards 2.0.ods", sheet Field_Standards: columns
"Field Name including Prefix", "Field Type", "Value Names (if picklist)", "Value Labels (if
picklist)"), parsed once on 2026-12-07; the labels are the standard's, in sentence case, with
"Unaquainted" spelled right in the label (the value name keeps the standard's spelling).
Attribution must stay with any export that uses these names.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from enlace.core.errors import ValidationFailed

VERSION = "2.0"
ATTRIBUTION = "Human Trafficking Case Data Standard (HTCDS) 2.0, IOM, CC BY 4.0"


@dataclass(frozen=True)
class Value:
    """One value of a picklist: the standard's system identifier and its label."""

    name: str
    label: Any  # a lazy translation


def values(*pairs: tuple[str, Any]) -> tuple[Value, ...]:
    return tuple(Value(name, label) for name, label in pairs)


def choices(options: Iterable[Value]) -> list[tuple[str, Any]]:
    """A picklist as Django choices (value name, label)."""
    return [(v.name, v.label) for v in options]


# Value lists -------------------------------------------------------------------------------

# prs_Gender
GENDER = values(
    ("Feminine", _("Feminine")),
    ("Masculine", _("Masculine")),
    ("TransgenderFeminine", _("Transgender feminine")),
    ("TransgenderMasculine", _("Transgender masculine")),
    ("NonConforming", _("Non-conforming")),
    ("NonSpecifiedUnknown", _("Not specified or unknown")),
)

# prs_MaritalStatus
MARITAL_STATUS = values(
    ("Single", _("Single")),
    ("Married", _("Married")),
    ("Widowed", _("Widowed")),
    ("Divorced", _("Divorced")),
    ("Separated", _("Separated")),
    ("RegisteredPartnership", _("Registered partnership")),
)

# prs_HighestLevelOfEducation
HIGHEST_LEVEL_OF_EDUCATION = values(
    ("EarlyChildhoodEducation", _("Early childhood education")),
    ("PrimaryEducation", _("Primary education")),
    ("LowerSecondaryEducation", _("Lower secondary education")),
    ("UpperSecondaryEducation", _("Upper secondary education")),
    ("PostSecondaryNonTertiaryEducation", _("Post-secondary non-tertiary education")),
    ("ShortCycleTertiaryEducation", _("Short-cycle tertiary education")),
    ("BachelorsOrEquivalentLevel", _("Bachelor’s or equivalent level")),
    ("MastersOrEquivalentLevel", _("Master’s or equivalent level")),
    ("DoctoralOrEquivalentLevel", _("Doctoral or equivalent level")),
)

# vic_TraffickingStatus
TRAFFICKING_STATUS = values(
    ("PossibleVictimOfTrafficking", _("Possible victim of trafficking")),
    ("ActualVictimOfTrafficking", _("Actual victim of trafficking")),
    ("NotAVictimOfTrafficking", _("Not a victim of trafficking")),
)

# vic_TraffickingStatusDecisionMakingOrg
STATUS_DECISION_MAKING_ORG = values(
    ("Police", _("Police")),
    ("NGO", _("NGO")),
    ("CourtOrProsecution", _("Court or prosecution")),
    ("NonPoliceGovernmentalOrganization", _("Non-police governmental organization")),
    ("Other", _("Other")),
)

# vic_RelationshipToTrafficker
RELATIONSHIP_TO_TRAFFICKER = values(
    ("Familial", _("Familial")),
    ("Acquainted", _("Acquainted")),
    ("Unaquainted", _("Unacquainted")),
)

# vic_RecruitmentWebsitesAndApps
WEBSITES_AND_APPS = values(
    ("Facebook", _("Facebook")),
    ("Instagram", _("Instagram")),
    ("WhatsApp", _("WhatsApp")),
    ("Telegram", _("Telegram")),
    ("FacebookMessenger", _("Facebook Messenger")),
    ("Viber", _("Viber")),
    ("SnapChat", _("SnapChat")),
    ("Line", _("Line")),
    ("4Sale", _("4Sale")),
    ("WeChat", _("WeChat")),
    ("QQ", _("QQ")),
    ("QZone", _("QZone")),
    ("TikTok", _("TikTok")),
    ("Twitter", _("Twitter")),
    ("Other", _("Other")),
)

# vic_MethodOfRecruitment
METHOD_OF_RECRUITMENT = values(
    ("AtAPlaceOfBusiness", _("At a place of business")),
    ("AtAnEducationalInstitution", _("At an educational institution")),
    ("AtWork", _("At work")),
    ("ThroughOnlineSocialNetworks", _("Through online social networks")),
    ("ThroughAnOnlineAdvertisement", _("Through an online advertisement")),
    ("ThroughATelevisionAdvert", _("Through a television advert")),
    ("ThroughANewspaperAdvert", _("Through a newspaper advert")),
    ("ThroughFamilyOrFamilyEvents", _("Through family or family events")),
    ("ThroughFriendsOrSocialEvents", _("Through friends or social events")),
    ("Other", _("Other")),
)

# vic_MethodsOfControl
METHODS_OF_CONTROL = values(
    ("PhysicalThreats", _("Physical threats")),
    ("ThreatsLawEnforcement", _("Threats of law enforcement")),
    ("ThreatensChildrenFamily", _("Threatens children/family")),
    ("DebtBondage", _("Debt bondage")),
    ("FalsePromises", _("False promises")),
    ("PhysicalAbuse", _("Physical abuse")),
    ("SexualAbuse", _("Sexual abuse")),
    ("TakesEarnings", _("Takes earnings")),
    ("RestrictsFinancialAccess", _("Restricts financial access")),
    ("RestrictsMedicalCare", _("Restricts medical care")),
    ("WithholdsNecessities", _("Withholds necessities")),
    ("PsychologicalAbuse", _("Psychological abuse")),
    ("PsychoactiveSubstance", _("Psychoactive substance")),
    ("ExcessiveWorkingHours", _("Excessive working hours")),
    ("WithholdsDocuments", _("Withholds documents")),
    ("Other", _("Other")),
)

# vic_TypeOfExploitation
TYPE_OF_EXPLOITATION = values(
    ("ForcedLabour", _("Forced labour")),
    ("SexualExploitation", _("Sexual exploitation")),
    ("ChildLabour", _("Child labour")),
    ("ForcedMarriage", _("Forced marriage")),
    ("Servitude", _("Servitude")),
    ("ForcedMilitaryByNonStateActors", _("Forced military (by non-state actors)")),
    ("OrganRemoval", _("Organ removal")),
    ("ForcedBegging", _("Forced begging")),
    ("ForcedAdoption", _("Forced adoption")),
    ("Surrogacy", _("Surrogacy")),
    ("Other", _("Other")),
)

# vic_ForcedLabourIndustry
FORCED_LABOUR_INDUSTRY = values(
    ("A_AgricultureForestryAndFishing", _("Agriculture, forestry and fishing")),
    ("B_MiningAndQuarrying", _("Mining and quarrying")),
    ("C_Manufacturing", _("Manufacturing")),
    (
        "D_ElectricityGasSteamAndAirConditioningSupply",
        _("Electricity, gas, steam and air conditioning supply"),
    ),
    (
        "E_WaterSupplySewerageWasteManagement",
        _("Water supply; sewerage, waste management and remediation"),
    ),
    ("F_Construction", _("Construction")),
    (
        "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
        _("Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    ),
    ("H_TransportationAndStorage", _("Transportation and storage")),
    ("I_AccommodationAndFoodServiceActivities", _("Accommodation and food service activities")),
    ("J_InformationAndCommunication", _("Information and communication")),
    ("K_FinancialAndInsuranceActivities", _("Financial and insurance activities")),
    ("L_RealEstateActivities", _("Real estate activities")),
    (
        "M_ProfessionalScientificAndTechnicalActivities",
        _("Professional, scientific and technical activities"),
    ),
    (
        "N_AdministrativeAndSupportServiceActivities",
        _("Administrative and support service activities"),
    ),
    (
        "O_PublicAdministrationAndDefence",
        _("Public administration and defence; compulsory social security"),
    ),
    ("P_Education", _("Education")),
    ("Q_HumanHealthAndSocialWorkActivities", _("Human health and social work activities")),
    ("R_ArtsEntertainmentAndRecreation", _("Arts, entertainment and recreation")),
    ("S_OtherServiceActivities", _("Other service activities")),
    (
        "T_ActivitiesOfHouseholdsAsEmployers",
        _(
            "Activities of households as employers; undifferentiated goods- and services- "
            "producing activities of households for own use"
        ),
    ),
    (
        "U_ActivitiesOfExtraterritorialOrganizations",
        _("Activities of extraterritorial organizations and bodies"),
    ),
)

# vic_TypeOfSexExploitation
TYPE_OF_SEX_EXPLOITATION = values(
    ("Prostitution", _("Prostitution")),
    ("Pornography", _("Pornography")),
    ("RemoteInteractiveServices", _("Remote interactive services")),
    ("PrivateSexualServices", _("Private sexual services")),
)

# per_RoleInProcess
ROLE_IN_PROCESS = values(
    ("TravellingPartner", _("Travelling partner")),
    ("Transporter", _("Transporter")),
    ("RecruiterOrIntermediary", _("Recruiter or intermediary")),
    ("BrokerTravelAgent", _("Broker or travel agent")),
    ("TransferredIndividual", _("Transferred individual")),
    ("HarbouredIndividual", _("Harboured individual")),
    ("SoldIndividual", _("Sold individual")),
    ("BoughtIndividual", _("Bought individual")),
    ("ReceivedIndividual", _("Received individual")),
    ("ControlledIndividual", _("Controlled individual")),
    ("Smuggler", _("Smuggler")),
    ("Abuser", _("Abuser")),
    ("Kidnapper", _("Kidnapper")),
    ("Exploiter", _("Exploiter")),
    ("Other", _("Other")),
)

# cas_Status
CASE_STATUS = values(
    ("Active", _("Active")),
    ("FollowUp", _("Follow-up")),
    ("Closed", _("Closed")),
    ("ClosedReferred", _("Closed (referred)")),
)

# cas_ReasonForIncomingReferral
REASON_FOR_REFERRAL = values(
    ("AdditionalServicesRequired", _("Additional services required")),
    ("MigrationOrChangeOfLocation", _("Migration or change of location")),
    ("Other", _("Other")),
)

# hte_Type
HISTORIC_EVENT_TYPE = values(
    ("Recruitment", _("Recruitment")),
    ("Transit", _("Transit")),
    ("Exploitation", _("Exploitation")),
)

# Our sex (people.Sex: F, M, X, U) written as the standard's prs_Gender and back. The standard
# records gender; people keep sex plus a free-text gender identity (Person.gender_identity),
# where an import writes the gender label when it is not one of these four.
SEX_TO_GENDER = {
    "F": "Feminine",
    "M": "Masculine",
    "X": "NonConforming",
    "U": "NonSpecifiedUnknown",
}
GENDER_TO_SEX = {
    "Feminine": "F",
    "Masculine": "M",
    "TransgenderFeminine": "U",
    "TransgenderMasculine": "U",
    "NonConforming": "X",
    "NonSpecifiedUnknown": "U",
}


# Fields ------------------------------------------------------------------------------------


class FieldType:
    """The standard's field types (column "Field Type")."""

    TEXT = "Text"
    LONG_TEXT = "Long Text"
    PICKLIST = "Picklist"
    MULTI_PICKLIST = "Multiselect Picklist"
    COUNTRY = "Picklist or Text"  # ISO 3166 country codes
    DATE = "Date"
    NUMBER = "Number"
    CHECKBOX = "Checkbox"
    GEOLOCATION = "Geolocation"
    LOOKUP = "Lookup"


# Where a field lives: the model and attribute that holds it ("person." for the victim's
# people.Person record). A field with no attribute is part of the standard but not kept (the
# importer reports it as ignored).
PERSON = "people.Person"
VICTIM = "trafficking.Victim"
PERPETRATOR = "trafficking.Perpetrator"
CASE = "trafficking.TraffickingCase"
EVENT = "trafficking.HistoricEvent"


@dataclass(frozen=True)
class Field:
    """One HTCDS field: its name with prefix, label, type, where we keep it, its values."""

    name: str
    label: Any
    type: str
    model: str
    attribute: str | None
    options: tuple[Value, ...] = ()
    core: bool = False
    # The column's name in the Excel template (htcds-spreadsheet-2.0.xlsx) when it differs.
    spreadsheet_name: str = ""

    @property
    def group(self) -> str:
        """The prefix: prs, vic, per, cas, hte or con."""
        return self.name.split("_", 1)[0]

    @property
    def multiple(self) -> bool:
        return self.type == FieldType.MULTI_PICKLIST

    @property
    def value_names(self) -> frozenset[str]:
        return frozenset(v.name for v in self.options)

    def label_of(self, name: str) -> Any:
        """A value's label in the reader's language (the name itself if unknown)."""
        for v in self.options:
            if v.name == name:
                return v.label
        return name


T = FieldType
FIELDS: tuple[Field, ...] = (
    # Person (prs_): the victim's people.Person record; perpetrators keep their own names.
    Field("prs_Salutation", _("Salutation"), T.TEXT, PERSON, None, core=True),
    Field("prs_FirstName", _("First name"), T.TEXT, PERSON, "given_names", core=True),
    Field("prs_MiddleName", _("Middle name"), T.TEXT, PERSON, None),
    Field("prs_SecondName", _("Second name"), T.TEXT, PERSON, "first_surname", core=True),
    Field("prs_Birthdate", _("Birthdate"), T.DATE, PERSON, "birth_date", core=True),
    Field("prs_Gender", _("Gender"), T.PICKLIST, PERSON, "sex", GENDER, core=True),
    Field("prs_Deceased", _("Deceased"), T.CHECKBOX, PERSON, None),
    Field("prs_MaritalStatus", _("Marital status"), T.PICKLIST, PERSON, None, MARITAL_STATUS),
    Field("prs_NumberOfChildren", _("Number of children"), T.NUMBER, PERSON, None),
    Field("prs_PrimaryLanguage", _("Primary language"), T.PICKLIST, PERSON, "languages"),
    Field("prs_SecondaryLanguage", _("Secondary language"), T.PICKLIST, PERSON, None),
    Field(
        "prs_HighestLevelOfEducation",
        _("Highest level of education"),
        T.PICKLIST,
        PERSON,
        None,
        HIGHEST_LEVEL_OF_EDUCATION,
    ),
    Field(
        "prs_Citizenship", _("Citizenship"), T.MULTI_PICKLIST, PERSON, "nationalities", core=True
    ),
    Field("prs_IdentityNumber", _("Identity number"), T.TEXT, PERSON, None),
    Field("prs_Title", _("Title"), T.TEXT, PERSON, None, core=True),
    Field("prs_Email", _("Email"), T.TEXT, PERSON, "email", core=True),
    Field("prs_HomePhone", _("Home phone"), T.TEXT, PERSON, None, core=True),
    Field("prs_MobilePhone", _("Mobile phone"), T.TEXT, PERSON, "phone", core=True),
    Field("prs_MailingCity", _("Mailing city"), T.TEXT, PERSON, None, core=True),
    Field("prs_MailingCountry", _("Mailing country"), T.COUNTRY, PERSON, None, core=True),
    Field("prs_MailingState", _("Mailing state/province"), T.TEXT, PERSON, None, core=True),
    Field("prs_MailingStreet", _("Mailing street"), T.TEXT, PERSON, "address", core=True),
    Field("prs_MailingPostalCode", _("Mailing postal code"), T.TEXT, PERSON, None, core=True),
    Field("prs_MailingLongitude", _("Longitude"), T.NUMBER, PERSON, None),
    Field("prs_MailingLatitude", _("Latitude"), T.NUMBER, PERSON, None),
    # Victim context (vic_). Deprecated in 2.0 and not kept: AgreementToManagePersonalData
    # (replaced by con_Consent), Vulnerabilities and DetailsOfVulnerabilities.
    Field(
        "vic_TraffickingStatus",
        _("Trafficking status"),
        T.PICKLIST,
        VICTIM,
        "trafficking_status",
        TRAFFICKING_STATUS,
        core=True,
    ),
    Field(
        "vic_TraffickingStatusDecisionMakingOrg",
        _("Trafficking status decided by"),
        T.PICKLIST,
        VICTIM,
        "status_decided_by",
        STATUS_DECISION_MAKING_ORG,
        core=True,
        # The template misspells the column (as of htcds-spreadsheet-2.0.xlsx).
        spreadsheet_name="vic_TraffickinStatusDecisionMakingOrg",
    ),
    Field(
        "vic_RelationshipToTrafficker",
        _("Relationship to trafficker"),
        T.PICKLIST,
        VICTIM,
        "relationship_to_trafficker",
        RELATIONSHIP_TO_TRAFFICKER,
    ),
    Field(
        "vic_AgeWhenTrafficked", _("Age when trafficked"), T.NUMBER, VICTIM, "age_when_trafficked"
    ),
    Field(
        "vic_RecruitmentWebsitesAndApps",
        _("Recruitment websites and apps"),
        T.MULTI_PICKLIST,
        VICTIM,
        "recruitment_websites_and_apps",
        WEBSITES_AND_APPS,
    ),
    Field(
        "vic_MethodOfRecruitment",
        _("Method of recruitment"),
        T.MULTI_PICKLIST,
        VICTIM,
        "method_of_recruitment",
        METHOD_OF_RECRUITMENT,
        core=True,
    ),
    Field(
        "vic_LocationOfRecruitment",
        _("Location of recruitment"),
        T.LOOKUP,
        VICTIM,
        "location_of_recruitment",
        core=True,
    ),
    Field(
        "vic_MethodsOfControl",
        _("Methods of control"),
        T.MULTI_PICKLIST,
        VICTIM,
        "methods_of_control",
        METHODS_OF_CONTROL,
        core=True,
    ),
    Field(
        "vic_TypeOfExploitation",
        _("Type of exploitation"),
        T.MULTI_PICKLIST,
        VICTIM,
        "type_of_exploitation",
        TYPE_OF_EXPLOITATION,
        core=True,
    ),
    Field(
        "vic_ForcedLabourIndustry",
        _("Forced labour industry"),
        T.PICKLIST,
        VICTIM,
        "forced_labour_industry",
        FORCED_LABOUR_INDUSTRY,
        core=True,
    ),
    Field(
        "vic_TypeOfSexExploitation",
        _("Type of sexual exploitation"),
        T.MULTI_PICKLIST,
        VICTIM,
        "type_of_sex_exploitation",
        TYPE_OF_SEX_EXPLOITATION,
        core=True,
    ),
    Field(
        "vic_LocationOfExploitation",
        _("Location of exploitation"),
        T.LOOKUP,
        VICTIM,
        "location_of_exploitation",
        core=True,
    ),
    Field(
        "vic_ExploitationWebsitesAndApps",
        _("Exploitation websites and apps"),
        T.MULTI_PICKLIST,
        VICTIM,
        "exploitation_websites_and_apps",
        WEBSITES_AND_APPS,
    ),
    # Perpetrator context (per_), with the person fields a perpetrator keeps.
    Field(
        "per_RoleInProcess",
        _("Role in process"),
        T.MULTI_PICKLIST,
        PERPETRATOR,
        "role_in_process",
        ROLE_IN_PROCESS,
    ),
    Field("per_RoleDetails", _("Role details"), T.LONG_TEXT, PERPETRATOR, "role_details"),
    Field("per_Organisation", _("Organisation"), T.TEXT, PERPETRATOR, "organisation"),
    # Case (cas_).
    Field("cas_Status", _("Status"), T.PICKLIST, CASE, "status", CASE_STATUS, core=True),
    Field(
        "cas_ReasonForCaseClosure",
        _("Reason for case closure"),
        T.LONG_TEXT,
        CASE,
        "closure_reason",
        core=True,
    ),
    Field("cas_CaseOwner", _("Case owner"), T.LOOKUP, CASE, "created_by", core=True),
    Field(
        "cas_ReferringOrganisation",
        _("Referring organisation"),
        T.LOOKUP,
        CASE,
        "referring_organisation",
        core=True,
    ),
    Field(
        "cas_IncomingReferralDate",
        _("Incoming referral date"),
        T.DATE,
        CASE,
        "incoming_referral_date",
        core=True,
    ),
    Field(
        "cas_ReferringPrimaryCaseWorker",
        _("Referring primary case worker"),
        T.LOOKUP,
        CASE,
        "referring_case_worker",
        core=True,
    ),
    Field(
        "cas_ReasonForIncomingReferral",
        _("Reason for incoming referral"),
        T.PICKLIST,
        CASE,
        "incoming_referral_reason",
        REASON_FOR_REFERRAL,
        core=True,
    ),
    Field(
        "cas_IncomingReferralDetails",
        _("Incoming referral details"),
        T.LONG_TEXT,
        CASE,
        "incoming_referral_details",
        core=True,
    ),
    Field(
        "cas_ReferredOrganisation",
        _("Referred organisation"),
        T.LOOKUP,
        CASE,
        "referred_organisation",
        core=True,
    ),
    Field(
        "cas_ReferredPrimaryCaseWorker",
        _("Referred primary case worker"),
        T.LOOKUP,
        CASE,
        "referred_case_worker",
        core=True,
    ),
    Field(
        "cas_ReasonForOutgoingReferral",
        _("Reason for outgoing referral"),
        T.PICKLIST,
        CASE,
        "outgoing_referral_reason",
        REASON_FOR_REFERRAL,
        core=True,
    ),
    Field(
        "cas_OutgoingReferralDate",
        _("Outgoing referral date"),
        T.DATE,
        CASE,
        "outgoing_referral_date",
        core=True,
    ),
    Field(
        "cas_OutgoingReferralDetails",
        _("Outgoing referral details"),
        T.LONG_TEXT,
        CASE,
        "outgoing_referral_details",
        core=True,
    ),
    # Historic trafficking events (hte_).
    Field("hte_Longitude", _("Longitude"), T.GEOLOCATION, EVENT, "longitude"),
    Field("hte_Latitude", _("Latitude"), T.GEOLOCATION, EVENT, "latitude"),
    Field("hte_City", _("City"), T.TEXT, EVENT, "city"),
    Field("hte_Country", _("Country"), T.TEXT, EVENT, "country"),
    Field("hte_State", _("State"), T.TEXT, EVENT, "state"),
    Field("hte_Street", _("Street"), T.TEXT, EVENT, "street"),
    Field("hte_PostalCode", _("Postal code"), T.TEXT, EVENT, "postal_code"),
    Field("hte_Date", _("Date"), T.DATE, EVENT, "date"),
    Field("hte_Type", _("Type"), T.PICKLIST, EVENT, "type", HISTORIC_EVENT_TYPE),
    Field("hte_Description", _("Description"), T.LONG_TEXT, EVENT, "description"),
    # Consent (con_): the victim agreed to the interview and to the use of their data.
    Field("con_Consent", _("Consent"), T.CHECKBOX, VICTIM, "consent", core=True),
)
del T

GROUPS = ("prs", "vic", "per", "cas", "hte", "con")
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
BY_SPREADSHEET_NAME: dict[str, Field] = {(f.spreadsheet_name or f.name): f for f in FIELDS}


def field(name: str) -> Field:
    """The field named `name` (KeyError if the standard has no such field)."""
    return BY_NAME[name]


def group(prefix: str) -> list[Field]:
    """The fields of one group, in the standard's order ("vic" → vic_TraffickingStatus, …)."""
    return [f for f in FIELDS if f.group == prefix]


def kept_in(model: str) -> dict[str, Field]:
    """{attribute: field} for the fields a model keeps."""
    return {f.attribute: f for f in FIELDS if f.model == model and f.attribute}


def check_choice(name: str, value: Any, *, key: str) -> str:
    """One value name of the picklist `name` ("" for none); else ValidationFailed on `key`."""
    if value in (None, ""):
        return ""
    spec = BY_NAME[name]
    if not isinstance(value, str) or value not in spec.value_names:
        raise ValidationFailed({key: [_("Choose one of the listed values.")]})
    return value


def check_choices(name: str, value: Any, *, key: str) -> list[str]:
    """Value names of the multiselect picklist `name`, each once, in the standard's order;
    ValidationFailed on `key` for anything else than a list of known names."""
    if value in (None, ""):
        return []
    spec = BY_NAME[name]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed({key: [_("Give a list of values.")]})
    unknown = [v for v in value if v not in spec.value_names]
    if unknown:
        raise ValidationFailed(
            {key: [_("Unknown value: %(values)s.") % {"values": ", ".join(unknown)}]}
        )
    return [v.name for v in spec.options if v.name in set(value)]
