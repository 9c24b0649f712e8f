"""Demo practices: five published (written in Spanish, with translations) and one submitted,
waiting for the secretariat's review. They are examples of the kind of practice the network
shares, written for the demo: not descriptions of real programmes, and their figures are not
real. Contacts use the reserved example.org domain.

Loaded through the services, as the offices and the secretariat (analista) would have done it;
a practice whose title exists already is left as it is."""

from typing import Any

from django.db import transaction

from enlace.accounts.actor import actor_for
from enlace.accounts.models import User

from . import services
from .models import Practice

REVIEWER = "analista"

PRACTICES: list[dict[str, Any]] = [
    {
        "author": "focal.gt",
        "publish": True,
        "language": "es",
        "title": "Reunificación familiar de niñas, niños y adolescentes no acompañados",
        "summary": (
            "Un procedimiento coordinado entre consulados y la autoridad de protección de la "
            "niñez para localizar a la familia de niñas, niños y adolescentes no acompañados, "
            "evaluar su interés superior y acompañar la reunificación."
        ),
        "description": (
            "Cuando un consulado identifica a una niña, niño o adolescente no acompañado, abre "
            "un caso de protección y una solicitud de búsqueda de familiares el mismo día. La "
            "autoridad de protección de la niñez del país de origen realiza una visita "
            "domiciliaria y una evaluación del interés superior antes de cualquier decisión.\n\n"
            "La reunificación se prepara con la familia: documentos de viaje, acompañamiento "
            "durante el traslado y seguimiento a los tres y seis meses. Si la reunificación no "
            "es conveniente, el caso se deriva a un cuidado alternativo."
        ),
        "partners": (
            "Consulados de la red; autoridad nacional de protección de la niñez; albergues."
        ),
        "results": (
            "Los tiempos de localización de familiares se acortaron y cada reunificación cuenta "
            "con una evaluación del interés superior documentada (datos de demostración)."
        ),
        "evidence": "Informe interno de seguimiento de casos (ejemplo de demostración).",
        "started_on": "2019-03-01",
        "contact_name": "Unidad de Protección de la Niñez Migrante",
        "contact_email": "ninez.migrante@example.org",
        "countries": ["GT", "MX", "US"],
        "themes": ["family", "rights", "consular"],
        "target_groups": ["unaccompanied", "children", "families"],
        "gcm_objectives": [7, 14, 21],
        "translations": {
            "en": {
                "title": "Family reunification of unaccompanied children and adolescents",
                "summary": (
                    "A procedure shared by consulates and the child-protection authority to "
                    "trace the families of unaccompanied children, assess their best interests "
                    "and support the reunification."
                ),
                "description": "",
            },
            "pt": {
                "title": "Reunificação familiar de crianças e adolescentes desacompanhados",
                "summary": (
                    "Um procedimento coordenado entre consulados e a autoridade de proteção da "
                    "infância para localizar a família, avaliar o interesse superior e "
                    "acompanhar a reunificação."
                ),
                "description": "",
            },
            "fr": {
                "title": "Réunification familiale des enfants et adolescents non accompagnés",
                "summary": (
                    "Une procédure coordonnée entre les consulats et l'autorité de protection de "
                    "l'enfance pour retrouver la famille, évaluer l'intérêt supérieur de "
                    "l'enfant et accompagner la réunification."
                ),
                "description": "",
            },
        },
    },
    {
        "author": "supervisor.mx",
        "publish": True,
        "language": "es",
        "title": "Protocolo de visitas consulares a personas migrantes detenidas",
        "summary": (
            "Visitas periódicas a centros de detención migratoria con una lista de verificación "
            "común: notificación consular, acceso a defensa, salud y contacto con la familia."
        ),
        "description": (
            "El consulado programa visitas quincenales a los centros de detención de su "
            "circunscripción. Cada visita sigue una lista de verificación: si la persona fue "
            "informada de su derecho a la notificación consular, si tiene representación legal, "
            "si recibe atención médica y si pudo comunicarse con su familia.\n\nLos hallazgos "
            "se registran como acciones del caso y, cuando hace falta, se derivan a la "
            "autoridad competente."
        ),
        "partners": "Organizaciones de asistencia legal; autoridades de los centros de detención.",
        "results": "Más personas detenidas con representación legal (datos de demostración).",
        "contact_name": "Departamento de Protección",
        "contact_email": "proteccion.detencion@example.org",
        "countries": ["MX", "US"],
        "themes": ["consular", "rights"],
        "target_groups": ["detained", "workers"],
        "gcm_objectives": [13, 14],
        "translations": {
            "en": {
                "title": "Protocol for consular visits to detained migrants",
                "summary": (
                    "Regular visits to immigration detention centres with a shared checklist: "
                    "consular notification, access to counsel, health and family contact."
                ),
                "description": "",
            },
            "pt": {
                "title": "Protocolo de visitas consulares a migrantes detidos",
                "summary": (
                    "Visitas periódicas a centros de detenção migratória com uma lista de "
                    "verificação comum."
                ),
                "description": "",
            },
        },
    },
    {
        "author": "oficial.mx",
        "publish": True,
        "language": "es",
        "title": "Ventanilla de orientación financiera y remesas en el consulado",
        "summary": (
            "Un espacio en la sala de espera del consulado donde las personas comparan el costo "
            "total de enviar remesas y reciben orientación para abrir una cuenta."
        ),
        "description": (
            "Personal capacitado explica cómo se compone el costo de una remesa (comisión y "
            "margen del tipo de cambio) y muestra la comparación pública de proveedores. La "
            "ventanilla también orienta sobre la apertura de cuentas y el ahorro."
        ),
        "partners": "Instituciones financieras; organizaciones de educación financiera.",
        "contact_name": "Ventanilla de orientación financiera",
        "contact_email": "remesas@example.org",
        "countries": ["MX", "US"],
        "themes": ["remittances"],
        "target_groups": ["workers", "families"],
        "gcm_objectives": [20],
        "translations": {
            "en": {
                "title": "Financial guidance and remittances desk at the consulate",
                "summary": (
                    "A desk in the consulate's waiting room where people compare the total "
                    "cost of sending remittances and get advice on opening an account."
                ),
                "description": "",
            },
        },
    },
    {
        "author": "trata.hn",
        "publish": True,
        "language": "es",
        "title": "Mesa interinstitucional para la identificación de víctimas de trata en frontera",
        "summary": (
            "Consulados, autoridades migratorias y fiscalías comparten indicadores y un "
            "procedimiento de derivación para identificar a posibles víctimas de trata en los "
            "puntos fronterizos."
        ),
        "description": (
            "La mesa se reúne mensualmente y mantiene una lista común de indicadores de trata. "
            "Cuando un funcionario identifica a una posible víctima, activa la derivación a los "
            "servicios especializados y avisa al punto focal de trata de su país, sin difundir "
            "su identidad."
        ),
        "partners": (
            "Autoridades migratorias; fiscalías especializadas; organizaciones de la sociedad "
            "civil."
        ),
        "contact_name": "Punto focal de trata",
        "contact_email": "trata.frontera@example.org",
        "countries": ["HN", "GT", "MX"],
        "themes": ["trafficking", "gender"],
        "target_groups": ["trafficking_victims", "women", "officials"],
        "gcm_objectives": [10, 11],
        "translations": {
            "en": {
                "title": "Inter-agency table to identify victims of trafficking at the border",
                "summary": (
                    "Consulates, migration authorities and prosecutors share indicators and a "
                    "referral procedure to identify possible victims of trafficking at border "
                    "crossings."
                ),
                "description": "",
            },
            "fr": {
                "title": (
                    "Table interinstitutionnelle d'identification des victimes de traite à la "
                    "frontière"
                ),
                "summary": (
                    "Consulats, autorités migratoires et parquets partagent des indicateurs et "
                    "une procédure d'orientation aux points de passage."
                ),
                "description": "",
            },
        },
    },
    {
        "author": "focal.mx",
        "publish": True,
        "language": "es",
        "title": "Acompañamiento psicosocial a mujeres retornadas",
        "summary": (
            "Grupos de apoyo y atención individual para mujeres que regresan a su país, desde "
            "la llegada hasta la reintegración en su comunidad."
        ),
        "description": (
            "A la llegada, las mujeres retornadas pueden sumarse a un grupo de apoyo en su "
            "región y recibir atención psicológica individual. El acompañamiento se coordina con "
            "el plan de reintegración y con servicios locales de empleo y salud."
        ),
        "contact_name": "Programa de atención a personas retornadas",
        "contact_email": "retorno.mujeres@example.org",
        "countries": ["MX"],
        "themes": ["return", "gender"],
        "target_groups": ["women", "returnees"],
        "gcm_objectives": [21],
        "translations": {
            "en": {
                "title": "Psychosocial support for returning women",
                "summary": (
                    "Support groups and individual care for women returning to their country, "
                    "from arrival to reintegration in their community."
                ),
                "description": "",
            },
            "pt": {
                "title": "Acompanhamento psicossocial a mulheres retornadas",
                "summary": (
                    "Grupos de apoio e atendimento individual para mulheres que retornam ao seu "
                    "país."
                ),
                "description": "",
            },
        },
    },
    {
        "author": "asociacion",
        "publish": False,
        "language": "es",
        "title": "Clubes de migrantes que cofinancian proyectos productivos en sus comunidades",
        "summary": (
            "Los clubes de una federación de migrantes reúnen aportaciones para proyectos "
            "productivos en sus comunidades de origen, con fondos de contrapartida locales."
        ),
        "description": (
            "Cada club propone un proyecto con su comunidad de origen, la federación revisa la "
            "propuesta y busca fondos de contrapartida. Los socios reciben informes del avance "
            "del proyecto dos veces al año."
        ),
        "contact_name": "Comité de proyectos de la federación",
        "contact_email": "proyectos.clubes@example.org",
        "countries": ["MX", "US"],
        "themes": ["diaspora"],
        "target_groups": ["diaspora"],
        "gcm_objectives": [19],
        "translations": {},
    },
]


@transaction.atomic
def seed_demo_practices() -> list[str]:
    reviewer = actor_for(User.objects.get(username=REVIEWER))
    for spec in PRACTICES:
        if Practice.objects.filter(title=spec["title"]).exists():
            continue
        author = actor_for(User.objects.get(username=spec["author"]))
        data = {k: v for k, v in spec.items() if k not in ("author", "publish")}
        practice = services.practice_create(actor=author, data=data)
        practice = services.practice_submit(
            actor=author, practice=practice, version=practice.version
        )
        if spec["publish"]:
            services.practice_review(
                actor=reviewer, practice=practice, version=practice.version, publish=True
            )
    return []  # no login of its own to print (the practices use the accounts' demo users)
