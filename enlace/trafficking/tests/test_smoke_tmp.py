from django.test import Client


def test_smoke(world):
    c = Client()
    c.force_login(world.users["tfp_gt"])
    r = c.get("/trafficking/")
    assert r.status_code == 200, r.content[:3000]
    r = c.get(f"/trafficking/{world.case.pk}/")
    assert r.status_code == 200, r.content[:3000]
    assert b"Xochiquetzal" in r.content
    r = c.get(f"/trafficking/{world.case.pk}/edit/")
    assert r.status_code == 200, r.content[:3000]
    r = c.get("/trafficking/new/")
    assert r.status_code == 200
    c.force_login(world.users["tfp_mx"])
    r = c.get(f"/trafficking/{world.case.pk}/")
    assert r.status_code == 200
    assert b"Xochiquetzal" not in r.content
