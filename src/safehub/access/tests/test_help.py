"""/help/ answers every signed-in role with its own short guide first and links to the
others; every page a guide sends its reader to is one that role can open."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.access.roles import Role

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a class="govuk-link" href="([^"]+)"')


def _main(html: str) -> str:
    return html.split('id="main-content"', 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("role", Role.values)
def test_help_shows_the_readers_own_guide_first_then_the_others(
    role: str, users: Any, client_for: Any
) -> None:
    response = client_for(role).get(reverse("ui:help"))
    assert response.status_code == 200
    main = _main(response.content.decode())
    assert re.search(rf'<h1 class="govuk-heading-xl">{re.escape(Role(role).label)}</h1>', main)
    assert "How to use SafeHub in your role" in main
    others = main.split("Guides for other roles", 1)[1]
    for other in Role:
        if other.value != role:
            assert f'href="{reverse("ui:help-role", args=[other.value])}"' in others


@pytest.mark.parametrize("role", Role.values)
def test_every_page_a_guide_names_is_one_that_role_can_open(
    role: str, users: Any, client_for: Any
) -> None:
    client = client_for(role)
    main = _main(client.get(reverse("ui:help")).content.decode())
    guide = main.split("Guides for other roles", 1)[0]
    links = {href for href in LINK.findall(guide) if not href.startswith("/help/")}
    assert links, "a guide points its reader at the pages they use"
    for href in links:
        assert client.get(href).status_code == 200, (role, href)


def test_another_roles_guide_links_back_to_ones_own(users: Any, client_for: Any) -> None:
    page = client_for("social_worker").get(reverse("ui:help-role", args=["mash_worker"]))
    main = _main(page.content.decode())
    assert '<h1 class="govuk-heading-xl">MASH worker</h1>' in main
    assert f'href="{reverse("ui:help")}">Read the guide for your own role' in main
    assert "Social worker</a> (your role)" in main
    assert client_for("social_worker").get("/help/nobody/").status_code == 404


def test_help_is_in_every_signed_in_footer_and_asks_others_to_sign_in(
    users: Any, client_for: Any
) -> None:
    footer = client_for("performance_analyst").get(reverse("ui:account")).content.decode()
    assert f'href="{reverse("ui:help")}">Help</a>' in footer.split("govuk-footer", 1)[1]
    signed_out = Client().get(reverse("ui:help"))
    assert signed_out.status_code == 302
    assert reverse("ui:sign-in") in signed_out["Location"]
