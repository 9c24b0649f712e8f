"""The focal points' guide (docs/forums.*.md) is on the help page in the four languages, with
its screenshots."""

import pytest
from django.test import Client

HEADINGS = {
    "es": "<h1>Foros y posición regional</h1>",
    "en": "<h1>Forums and the regional position</h1>",
    "pt": "<h1>Fóruns e posição regional</h1>",
    "fr": "<h1>Forums et position régionale</h1>",
}


@pytest.mark.parametrize("lang", list(HEADINGS))
def test_the_forums_guide_is_shown_in_the_readers_language(fw, settings, lang):
    client = Client()
    client.force_login(fw.user("focal.gt"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get("/help/forums/")
    assert response.status_code == 200
    body = response.content.decode()
    assert HEADINGS[lang] in body
    assert '<img src="/help/img/forum-item.png"' in body
    assert '<img src="/help/img/forum-commitments.png"' in body
    image = client.get("/help/img/forum-item.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
