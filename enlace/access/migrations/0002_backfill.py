"""Grants for the hand-overs made before grants existed (accepted or done referrals, confirmed
tracing matches), and each person's identity protection. Uses the historical models only."""

from django.db import migrations

BATCH = 1000


def backfill_grants(apps, schema_editor):
    Grant = apps.get_model("access", "Grant")
    Referral = apps.get_model("cases", "Referral")
    TracingMatch = apps.get_model("tracing", "TracingMatch")
    rows = []
    referrals = Referral.objects.filter(status__in=["accepted", "done"]).select_related("case")
    for r in referrals.iterator(chunk_size=BATCH):
        rows.append(
            Grant(
                office_id=r.to_office_id,
                case_id=r.case_id,
                person_id=r.case.person_id,
                purpose="referral",
                consent_id=r.consent_id,
                legal_basis="" if r.consent_id else (r.override_reason or "referral override"),
                source_type="cases.referral",
                source_id=str(r.pk),
                granted_by_id=r.decided_by_id,
                created_by_id=r.decided_by_id,
            )
        )
    matches = TracingMatch.objects.filter(status="confirmed").select_related("request")
    for m in matches.iterator(chunk_size=BATCH):
        rows.append(
            Grant(
                office_id=m.request.office_id,
                person_id=m.person_id,
                purpose="tracing",
                consent_id=m.consent_id,
                legal_basis="" if m.consent_id else "confirmed tracing match",
                source_type="tracing.tracingmatch",
                source_id=str(m.pk),
                granted_by_id=m.decided_by_id,
                created_by_id=m.decided_by_id,
            )
        )
    Grant.objects.bulk_create(rows, batch_size=BATCH)


def backfill_protection(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Vulnerability = apps.get_model("people", "Vulnerability")
    Case = apps.get_model("cases", "Case")
    trafficking = set(
        Vulnerability.objects.filter(kind="trafficking_victim").values_list("person_id", flat=True)
    ) | set(
        Case.objects.filter(case_type="possible_trafficking").values_list("person_id", flat=True)
    )
    gbv = set(
        Vulnerability.objects.filter(kind="gbv_survivor").values_list("person_id", flat=True)
    ) - trafficking
    ids = list(trafficking)
    for i in range(0, len(ids), BATCH):
        Person.objects.filter(pk__in=ids[i : i + BATCH]).update(identity_protection="trafficking")
    ids = list(gbv)
    for i in range(0, len(ids), BATCH):
        Person.objects.filter(pk__in=ids[i : i + BATCH]).update(identity_protection="gbv")


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_initial"),
        ("cases", "0002_initial"),
        ("people", "0004_identity_protection"),
        ("tracing", "0002_request_document_number"),
    ]

    operations = [
        migrations.RunPython(backfill_grants, migrations.RunPython.noop),
        migrations.RunPython(backfill_protection, migrations.RunPython.noop),
    ]
