"""The figures of a country or region profile as the pages show them: one block per chart, each
with its columns, rows (the table beside the chart and its CSV), its source and the chart's
spec. Every block that has a breakdown by sex in its source shows it (women, men, women's
share); a block whose source has none says so."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from . import charts, sources

INT, PCT, MONEY, TEXT = "int", "pct", "money", "text"


@dataclass
class Block:
    id: str
    title: str
    caption: str
    source: str
    columns: list[tuple[str, str, str]]  # key, label, kind
    rows: list[dict[str, Any]]
    spec: Callable[[], dict[str, Any]] | None = None
    note: str = ""
    svg: str = field(default="")

    @property
    def title_id(self) -> str:
        return f"chart-{self.id}-title"

    def draw(self, subject: str) -> None:
        if self.spec is not None and self.rows:
            self.svg = charts.svg(f"{subject}:{self.id}", self.spec(), self.title_id)

    def cells(self) -> list[list[tuple[Any, str]]]:
        return [[(row.get(key), kind) for key, _label, kind in self.columns] for row in self.rows]


def _sex_columns(prefix: str = "") -> list[tuple[str, str, str]]:
    return [
        (f"{prefix}all", _("Total"), INT),
        (f"{prefix}female", _("Women"), INT),
        (f"{prefix}male", _("Men"), INT),
        ("women_share", _("Women (%)"), PCT),
    ]


def _stock(block_id: str, rows: list[dict[str, Any]], title: str, caption: str) -> Block:
    return Block(
        block_id,
        title,
        caption,
        sources.SOURCE_UNDESA,
        [("year", _("Year"), TEXT), *_sex_columns()],
        rows,
        lambda: charts.lines(
            rows,
            "year",
            [("female", _("Women")), ("male", _("Men"))],
            _("Year"),
            _("Persons"),
        ),
        note=_(
            "The file has no total rows: sum of the places listed (countries, other areas and "
            "'Other'), regional aggregates left out."
        ),
    )


def _corridors(block_id: str, rows: list[dict[str, Any]], title: str, caption: str) -> Block:
    return Block(
        block_id,
        title,
        caption,
        sources.SOURCE_UNDESA,
        [("name", _("Country"), TEXT), *_sex_columns()],
        rows,
        lambda: charts.bars(
            rows, "name", [("female", _("Women")), ("male", _("Men"))], _("Persons")
        ),
    )


def _unhcr(block_id: str, rows: list[dict[str, Any]], title: str, caption: str) -> Block:
    return Block(
        block_id,
        title,
        caption,
        sources.SOURCE_UNHCR,
        [
            ("year", _("Year"), TEXT),
            ("refugees", _("Refugees"), INT),
            ("asylum_seekers", _("Asylum-seekers"), INT),
            ("others_in_need", _("Others in need of international protection"), INT),
            ("female", _("Women (demographics)"), INT),
            ("male", _("Men (demographics)"), INT),
            ("women_share", _("Women (%)"), PCT),
            ("children_share", _("Children under 18 (%)"), PCT),
        ],
        rows,
        lambda: charts.lines(
            rows,
            "year",
            [
                ("refugees", _("Refugees")),
                ("asylum_seekers", _("Asylum-seekers")),
                ("others_in_need", _("Others in need of international protection")),
            ],
            _("Year"),
            _("Persons"),
        ),
        note=_(
            "Women, men and children: from UNHCR's demographics, which cover part of these "
            "persons; the shares are of those whose sex or age is known."
        ),
    )


def _solutions(rows: list[dict[str, Any]], caption: str) -> Block:
    return Block(
        "solutions",
        _("Durable solutions"),
        caption,
        sources.SOURCE_UNHCR,
        [
            ("year", _("Year"), TEXT),
            ("returned", _("Refugees returned"), INT),
            ("resettled", _("Resettled"), INT),
            ("naturalised", _("Naturalised"), INT),
        ],
        rows,
        lambda: charts.lines(
            rows,
            "year",
            [
                ("returned", _("Refugees returned")),
                ("resettled", _("Resettled")),
                ("naturalised", _("Naturalised")),
            ],
            _("Year"),
            _("Persons"),
        ),
        note=_("UNHCR publishes durable solutions without a breakdown by sex."),
    )


def _missing(rows: list[dict[str, Any]], block_id: str = "missing", caption: str = "") -> Block:
    return Block(
        block_id,
        _("Dead and missing on the migration routes of the Americas"),
        caption
        or _(
            "Migrants who died or went missing on the routes of the Americas (US–Mexico border, "
            "North, Central and South America, the Caribbean), by year."
        ),
        sources.SOURCE_MM,
        [
            ("year", _("Year"), TEXT),
            ("dead", _("Dead"), INT),
            ("missing", _("Missing"), INT),
            ("dead_and_missing", _("Dead and missing"), INT),
            ("females", _("Women and girls"), INT),
            ("males", _("Men and boys"), INT),
            ("children", _("Children"), INT),
        ],
        rows,
        lambda: charts.lines(
            rows,
            "year",
            [
                ("dead_and_missing", _("Dead and missing")),
                ("females", _("Women and girls")),
                ("males", _("Men and boys")),
            ],
            _("Year"),
            _("Persons"),
        ),
        note=_(
            "IOM gives the sex and age of part of the dead and missing only; the counts of women, "
            "men and children are of those identified."
        ),
    )


def _remittances(data: dict[str, Any], caption: str) -> Block:
    rows = [{**s, "flow": s["flow"]} for s in data["senders"]]
    return Block(
        "remittances",
        _("Remittances received, by sending country (2017)"),
        caption,
        sources.SOURCE_KNOMAD,
        [("name", _("Sending country"), TEXT), ("flow", _("US$ million"), MONEY)],
        rows,
        lambda: charts.bars(
            [{**r, "flow": float(r["flow"])} for r in rows],
            "name",
            [("flow", _("US$ million"))],
            _("US$ million"),
        ),
        note=_("World Bank/KNOMAD estimates; the source has no breakdown by sex."),
    )


def country_blocks(profile: dict[str, Any]) -> list[Block]:
    name = profile["name"]
    year = profile["year"]
    blocks = [
        _stock(
            "emigrants",
            profile["emigrants"],
            _("Emigrants"),
            _("People born in %(country)s living in another country, by sex, 1990–2020.")
            % {"country": name},
        ),
        _stock(
            "immigrants",
            profile["immigrants"],
            _("Immigrants"),
            _("People born in another country living in %(country)s, by sex, 1990–2020.")
            % {"country": name},
        ),
        _corridors(
            "destinations",
            profile["destinations"],
            _("Where emigrants live"),
            _("The countries with most people born in %(country)s, %(year)s, by sex.")
            % {"country": name, "year": year},
        ),
        _corridors(
            "origins",
            profile["origins"],
            _("Where immigrants come from"),
            _("The countries of birth of most immigrants in %(country)s, %(year)s, by sex.")
            % {"country": name, "year": year},
        ),
        _unhcr(
            "refugees-from",
            profile["unhcr_origin"],
            _("Refugees and asylum-seekers from the country"),
            _(
                "Refugees, asylum-seekers and others in need of protection "
                "from %(country)s, by year."
            )
            % {"country": name},
        ),
        _unhcr(
            "refugees-in",
            profile["unhcr_asylum"],
            _("Refugees and asylum-seekers in the country"),
            _("Refugees, asylum-seekers and others in need of protection in %(country)s, by year.")
            % {"country": name},
        ),
        _solutions(
            profile["solutions"],
            _("Refugees from %(country)s who returned, were resettled or naturalised, by year.")
            % {"country": name},
        ),
        _missing(profile["missing_migrants"]),
        _remittances(
            profile["remittances"],
            _("Estimated remittances received by %(country)s in 2017, top sending countries.")
            % {"country": name},
        ),
    ]
    return blocks


def region_blocks(profile: dict[str, Any]) -> list[Block]:
    name = str(profile["name"])
    year = profile["year"]
    ranking = profile["ranking"]
    return [
        _stock(
            "emigrants",
            profile["emigrants"],
            _("Emigrants"),
            _("People born in %(region)s living in another country, by sex, 1990–2020.")
            % {"region": name},
        ),
        _stock(
            "immigrants",
            profile["immigrants"],
            _("Immigrants"),
            _("People born in another country living in %(region)s, by sex, 1990–2020.")
            % {"region": name},
        ),
        _corridors(
            "destinations",
            profile["destinations"],
            _("Where emigrants live outside the region"),
            _("The countries outside %(region)s with most people born in it, %(year)s, by sex.")
            % {"region": name, "year": year},
        ),
        Block(
            "countries",
            _("Countries of the region"),
            _("Emigrants and immigrants of each country, %(year)s, by sex (countries only).")
            % {"year": year},
            sources.SOURCE_UNDESA,
            [
                ("name", _("Country"), TEXT),
                ("emigrants_all", _("Emigrants"), INT),
                ("emigrants_female", _("Emigrant women"), INT),
                ("emigrants_male", _("Emigrant men"), INT),
                ("women_share", _("Women among emigrants (%)"), PCT),
                ("immigrants_all", _("Immigrants"), INT),
                ("immigrants_female", _("Immigrant women"), INT),
                ("immigrants_male", _("Immigrant men"), INT),
            ],
            ranking,
            lambda: charts.bars(
                ranking[: sources.TOP],
                "name",
                [("emigrants_female", _("Women")), ("emigrants_male", _("Men"))],
                _("Emigrants"),
            ),
            note=_("The chart shows the ten countries with most emigrants."),
        ),
        _unhcr(
            "refugees-from",
            profile["unhcr_origin"],
            _("Refugees and asylum-seekers from the region"),
            _("Refugees, asylum-seekers and others in need of protection from %(region)s, by year.")
            % {"region": name},
        ),
        _unhcr(
            "refugees-in",
            profile["unhcr_asylum"],
            _("Refugees and asylum-seekers in the region"),
            _("Refugees, asylum-seekers and others in need of protection in %(region)s, by year.")
            % {"region": name},
        ),
        _solutions(
            profile["solutions"],
            _("Refugees from %(region)s who returned, were resettled or naturalised, by year.")
            % {"region": name},
        ),
        _missing(profile["missing_migrants"]),
        _remittances(
            profile["remittances"],
            _("Estimated remittances received by %(region)s in 2017, top sending countries.")
            % {"region": name},
        ),
    ]
