"""The commitments of the communiqué, loaded as data: each phrase in Spanish as written in the
communiqué, with English, Portuguese and French translations (Enlace's), the module of Enlace
that serves it, and the indicators that measure it (code and the URL name of the page that
shows them, resolved only once that page exists).

Source: "Comunicado especial sobre cooperación en materia migratoria, Cumbre de la Unidad de
América Latina y el Caribe, Riviera Maya, 23 de febrero de 2010" (the phrases of the table
"Commitments → modules" in shared/DESIGN.md)."""

from django.db import migrations

# (code, Spanish, English, Portuguese, French, module, indicators)
COMMITMENTS = [
    (
        "C01",
        "independiente de su situación migratoria",
        "regardless of their migratory status",
        "independentemente de sua situação migratória",
        "indépendamment de leur situation migratoire",
        "people, cases",
        [],
    ),
    (
        "C02",
        "fortalecer las redes consulares … atención, protección y asistencia consular",
        "strengthen the consular networks … consular care, protection and assistance",
        "fortalecer as redes consulares … atenção, proteção e assistência consular",
        "renforcer les réseaux consulaires … accueil, protection et assistance consulaires",
        "cases, accounts",
        [],
    ),
    (
        "C03",
        "reunificación de las familias",
        "reunification of families",
        "reunificação das famílias",
        "réunification des familles",
        "tracing",
        [],
    ),
    (
        "C04",
        "tráfico ilícito de migrantes y la trata de personas … origen, tránsito y destino",
        "smuggling of migrants and trafficking in persons … origin, transit and destination",
        "tráfico ilícito de migrantes e tráfico de pessoas … origem, trânsito e destino",
        "trafic illicite de migrants et traite des personnes … origine, transit et destination",
        "trafficking",
        [{"code": "SDG 16.2.2", "url_name": "indicators:index"}],
    ),
    (
        "C05",
        "retorno voluntario … sobre bases dignas",
        "voluntary return … on a dignified basis",
        "retorno voluntário … em bases dignas",
        "retour volontaire … dans la dignité",
        "returns",
        [],
    ),
    (
        "C06",
        "facilitación de las remesas",
        "facilitation of remittances",
        "facilitação das remessas",
        "facilitation des envois de fonds",
        "remittances",
        [{"code": "SDG 10.c.1", "url_name": "remittances:corridors"}],
    ),
    (
        "C07",
        "redes y asociaciones de la comunidad migrante",
        "networks and associations of the migrant community",
        "redes e associações da comunidade migrante",
        "réseaux et associations de la communauté migrante",
        "diaspora",
        [],
    ),
    (
        "C08",
        "intercambio de buenas prácticas … transferencia de conocimientos",
        "exchange of good practices … transfer of knowledge",
        "intercâmbio de boas práticas … transferência de conhecimentos",
        "échange de bonnes pratiques … transfert de connaissances",
        "practices",
        [],
    ),
    (
        "C09",
        "perspectivas de género",
        "gender perspectives",
        "perspectivas de gênero",
        "perspectives de genre",
        "indicators",
        [],
    ),
    (
        "C10",
        "gestión ordenada, informada y segura de los flujos migratorios",
        "orderly, informed and safe management of migration flows",
        "gestão ordenada, informada e segura dos fluxos migratórios",
        "gestion ordonnée, informée et sûre des flux migratoires",
        "indicators",
        [{"code": "SDG 10.7.2", "url_name": "indicators:index"}],
    ),
    (
        "C11",
        "posición regional coordinada en los foros multilaterales",
        "coordinated regional position in multilateral forums",
        "posição regional coordenada nos fóruns multilaterais",
        "position régionale coordonnée dans les forums multilatéraux",
        "forums",
        [],
    ),
]


def load(apps, schema_editor):
    Commitment = apps.get_model("forums", "Commitment")
    for order, (code, es, en, pt, fr, module, indicators) in enumerate(COMMITMENTS, start=1):
        Commitment.objects.update_or_create(
            code=code,
            defaults={
                "order": order,
                "text_es": es,
                "text_en": en,
                "text_pt": pt,
                "text_fr": fr,
                "module": module,
                "indicators": indicators,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("forums", "Commitment").objects.filter(
        code__in=[c[0] for c in COMMITMENTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
