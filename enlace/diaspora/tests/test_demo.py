from enlace.accounts.models import Membership, Role
from enlace.diaspora.models import Association, Project


def test_demo_associations_cover_four_countries_of_origin(demo):
    from enlace.diaspora.demo import seed_demo_associations

    lines = seed_demo_associations()
    seed_demo_associations()  # idempotent
    assert sorted(Association.objects.values_list("origin_country_id", flat=True)) == [
        "GT",
        "HN",
        "MX",
        "SV",
    ]
    for association in Association.objects.all():
        assert 1 <= association.projects.count() <= 3
    assert Project.objects.filter(municipality__country_id="SV").exists()
    # `asociacion` represents the Zacatecan federation and the Salvadoran association.
    offices = set(
        Membership.objects.filter(
            user__username="asociacion", role=Role.ASSOCIATION_REP
        ).values_list("office__association__origin_country_id", flat=True)
    )
    assert offices == {"MX", "SV"}
    assert any("asociacion" in line for line in lines)
