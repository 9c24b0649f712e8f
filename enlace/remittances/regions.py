"""Reference lists the remittance module needs and pycountry does not hold. Plain Python.

- LAC: the countries and territories of "Latin America and the Caribbean" in the UN
  Statistics Division's standard country or area codes for statistical use (M49, region 419).
- CURRENCY: each country's currency (ISO 4217, the currency in use today, from the ISO 4217
  list of country currencies, SIX Financial Information, "List one: current currency & funds"),
  for the countries in the World Bank RPW corridor series and Latin America and the Caribbean.
  Where a country uses two (Cuba, Panama, Haiti, El Salvador), the one remittances are paid in
  most is given; a quote may always state its currency.
"""

LAC: frozenset[str] = frozenset(
    [
        "AG",
        "AI",
        "AR",
        "AW",
        "BB",
        "BL",
        "BO",
        "BQ",
        "BR",
        "BS",
        "BV",
        "BZ",
        "CL",
        "CO",
        "CR",
        "CU",
        "CW",
        "DM",
        "DO",
        "EC",
        "FK",
        "GD",
        "GF",
        "GP",
        "GS",
        "GT",
        "GY",
        "HN",
        "HT",
        "JM",
        "KN",
        "KY",
        "LC",
        "MF",
        "MQ",
        "MS",
        "MX",
        "NI",
        "PA",
        "PE",
        "PR",
        "PY",
        "SR",
        "SV",
        "SX",
        "TC",
        "TT",
        "UY",
        "VC",
        "VE",
        "VG",
        "VI",
    ]
)

_EUR = [
    "AT",
    "BE",
    "BG",
    "CY",
    "DE",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PT",
    "SI",
    "SK",
]

CURRENCY: dict[str, str] = {
    **dict.fromkeys(_EUR, "EUR"),
    # Latin America and the Caribbean
    "AG": "XCD", "AR": "ARS", "AW": "AWG", "BB": "BBD", "BO": "BOB", "BR": "BRL", "BS": "BSD",
    "BZ": "BZD", "CL": "CLP", "CO": "COP", "CR": "CRC", "CU": "CUP", "CW": "XCG", "DM": "XCD",
    "DO": "DOP", "EC": "USD", "GD": "XCD", "GT": "GTQ", "GY": "GYD", "HN": "HNL", "HT": "HTG",
    "JM": "JMD", "KN": "XCD", "LC": "XCD", "MX": "MXN", "NI": "NIO", "PA": "PAB", "PE": "PEN",
    "PR": "USD", "PY": "PYG", "SR": "SRD", "SV": "USD", "TT": "TTD", "UY": "UYU", "VC": "XCD",
    "VE": "VES",
    # North America, Europe outside the euro area, Asia-Pacific, Middle East, Africa
    "US": "USD", "CA": "CAD", "GB": "GBP", "CH": "CHF", "NO": "NOK", "SE": "SEK", "DK": "DKK",
    "CZ": "CZK", "HU": "HUF", "PL": "PLN", "RO": "RON", "RS": "RSD", "BA": "BAM",
    "MK": "MKD", "AL": "ALL", "MD": "MDL", "UA": "UAH", "BY": "BYN", "RU": "RUB", "GE": "GEL",
    "AM": "AMD", "AZ": "AZN", "KZ": "KZT", "KG": "KGS", "TJ": "TJS", "UZ": "UZS", "TR": "TRY",
    "IL": "ILS", "PS": "ILS", "JO": "JOD", "LB": "LBP", "SY": "SYP", "SA": "SAR", "AE": "AED",
    "QA": "QAR", "KW": "KWD", "BH": "BHD", "OM": "OMR", "YE": "YER", "AF": "AFN", "PK": "PKR",
    "IN": "INR", "BD": "BDT", "NP": "NPR", "LK": "LKR", "MM": "MMK", "TH": "THB", "KH": "KHR",
    "LA": "LAK", "VN": "VND", "MY": "MYR", "SG": "SGD", "ID": "IDR", "PH": "PHP", "CN": "CNY",
    "JP": "JPY", "KR": "KRW", "AU": "AUD", "NZ": "NZD", "FJ": "FJD", "PG": "PGK", "SB": "SBD",
    "TO": "TOP", "WS": "WST", "VU": "VUV", "KI": "AUD", "TV": "AUD", "EG": "EGP", "MA": "MAD",
    "DZ": "DZD", "TN": "TND", "SD": "SDG", "SS": "SSP", "ER": "ERN", "ET": "ETB", "SO": "SOS",
    "KE": "KES", "UG": "UGX", "TZ": "TZS", "RW": "RWF", "MW": "MWK", "MZ": "MZN", "ZM": "ZMW",
    "ZW": "ZWG", "ZA": "ZAR", "BW": "BWP", "NA": "NAD", "LS": "LSL", "SZ": "SZL", "MG": "MGA",
    "KM": "KMF", "AO": "AOA", "CD": "CDF", "CM": "XAF", "NG": "NGN", "GH": "GHS", "CI": "XOF",
    "BJ": "XOF", "TG": "XOF", "SN": "XOF", "ML": "XOF", "CV": "CVE", "GM": "GMD", "SL": "SLE",
    "LR": "LRD",
}  # fmt: skip


def currency_of(country_code: str) -> str | None:
    """The country's currency (ISO 4217), or None when the list does not know it."""
    return CURRENCY.get(country_code.upper())


def in_lac(country_code: str) -> bool:
    return country_code.upper() in LAC
