"""Free text searched apart (issue 12): the summary leaves search_text for free_text_search,
which search matches only where the searcher may see the identities. Existing cases are
refilled here as the services fill them (services._search_text, services._free_text_search)."""

from django.db import migrations, models

from enlace.core.text import fold


def refill(apps, schema_editor):
    TraffickingCase = apps.get_model("trafficking", "TraffickingCase")
    place = "place"  # Identifier.Kind.PLACE
    for case in TraffickingCase.objects.iterator(chunk_size=500):
        parts = [case.reference, case.referring_organisation, case.referred_organisation]
        parts += [s.place for s in case.route.all()]
        parts += [f"{e.city} {e.state}" for e in case.events.all()]
        parts += [i.place for i in case.incidents.all()]
        parts += [i.value for i in case.identifiers.all() if i.kind == place]
        case.search_text = fold(" ".join(p for p in parts if p))[:20000]
        case.free_text_search = fold(case.summary or "")[:20000]
        case.save(update_fields=["search_text", "free_text_search"])


class Migration(migrations.Migration):
    dependencies = [
        ("trafficking", "0004_links_caselink"),
    ]

    operations = [
        migrations.AddField(
            model_name="traffickingcase",
            name="free_text_search",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(refill, migrations.RunPython.noop),
    ]
