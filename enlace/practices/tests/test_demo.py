"""The demo loader: five published practices written in Spanish with translations (one on the
family reunification of unaccompanied children), one waiting for review; loading twice adds
nothing."""

import pytest

from enlace.practices.demo import seed_demo_practices
from enlace.practices.models import Practice, Status
from enlace.practices.selectors import search_practices

pytestmark = pytest.mark.django_db


def test_demo_practices(demo):
    seed_demo_practices()
    seed_demo_practices()  # idempotent
    assert Practice.objects.filter(status=Status.PUBLISHED).count() == 5
    waiting = Practice.objects.get(status=Status.SUBMITTED)
    assert waiting.author_office.name == "Federación de Clubes Zacatecanos del Sur de California"
    assert all(p.language == "es" for p in Practice.objects.all())
    assert all(p.translations.exists() for p in Practice.objects.filter(status=Status.PUBLISHED))
    family = "Reunificación familiar de niñas, niños y adolescentes no acompañados"
    for q in ("reunificacion familiares", "family reunification", "reunificação familiar"):
        assert [p.title for p in search_practices(q=q)] == [family]
