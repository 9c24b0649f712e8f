"""The nationality picker in Chromium: filter by typing, tick with the keyboard, no JS needed."""

import pytest

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


def _visible(page, field):
    return page.locator(f"#id_{field} label:visible").all_inner_texts()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_filter_and_tick_a_nationality_with_the_keyboard(page, live_server, demo, width):
    from axe_playwright_python.sync_playwright import Axe

    from enlace.people.models import Person

    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, "oficial.mx")
    page.goto(live_server.url + "/people/new/")
    page.fill("#id_given_names", "Ánh")
    page.fill("#id_nationalities_filter", "guate")
    assert [t.strip() for t in _visible(page, "nationalities")] == ["Guatemala"]
    page.focus("#id_nationalities_filter")
    page.keyboard.press("Enter")  # narrows the list; must not send the form
    assert page.url.endswith("/people/new/")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.fill("#id_languages_filter", "k'iche")
    assert [t.strip() for t in _visible(page, "languages")] == ["K'iche'"]
    page.check("#id_languages input[value=quc]")
    page.fill("#id_languages_filter", "zzzz")  # what is ticked stays in sight
    assert [t.strip() for t in _visible(page, "languages")] == ["K'iche'"]
    page.uncheck("#id_languages input[value=quc]")
    page.fill("#id_languages_filter", "zzzzz")
    assert page.locator("#id_languages [data-picker-empty]").is_visible()
    page.fill("#id_languages_filter", "")
    page.check("#id_languages input[value=quc]")
    violations = Axe().run(page).response["violations"]
    assert not violations, [v["id"] for v in violations]
    page.click("form.form-grid button.primary")
    page.wait_for_selector("h1")
    person = Person.objects.get(given_names="Ánh")
    assert [c.code for c in person.nationalities.all()] == ["GT"]
    assert person.languages == "quc"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_picker_works_without_javascript(page, live_server, demo):
    from enlace.people.models import Person

    context = page.context.browser.new_context(java_script_enabled=False)
    nojs = context.new_page()
    login(nojs, live_server, "oficial.mx")
    nojs.goto(live_server.url + "/people/new/")
    assert not nojs.locator("#id_nationalities_filter").is_visible()  # useless without JS
    nojs.fill("#id_given_names", "Ōtsuka")
    nojs.check("#id_nationalities input[value=HT]")
    nojs.check("#id_languages input[value=hat]")
    nojs.click("form.form-grid button.primary")
    nojs.wait_for_selector("h1")
    person = Person.objects.get(given_names="Ōtsuka")
    assert [c.code for c in person.nationalities.all()] == ["HT"]
    assert person.languages == "hat"
    context.close()
