"""The interface in English or Spanish: the footer's switcher (Django's set_language, no JavaScript needed) and the
browser's Accept-Language choose it; catalog content stays in its own language."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("compiled_translations")]


def test_a_page_is_english_by_default_with_a_switcher_offering_both_languages(client, graph):
    page = client.get("/resources/").content.decode()
    assert '<html lang="en">' in page
    assert ">Resources</a>" in page
    assert 'action="/i18n/setlang/"' in page
    assert '<option value="en" lang="en" selected>English</option>' in page
    assert '<option value="es" lang="es">Español</option>' in page
    assert '<label for="language-select">Language</label>' in page


def test_accept_language_es_gives_the_page_in_spanish_with_the_catalog_in_its_own_words(client, graph):
    response = client.get("/resources/nets/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert ">Recursos</a>" in page
    assert "Saltar al contenido" in page
    assert '<option value="es" lang="es" selected>Español</option>' in page
    assert "Nets explained" in page, "a resource's title is never translated"
    assert "Accept-Language" in response["Vary"]


def test_the_switcher_keeps_spanish_for_later_pages_and_goes_back_to_the_page_it_was_on(client, graph):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/paths/?page=1"})
    assert response.status_code == 302
    assert response["Location"] == "/paths/?page=1"
    assert response.cookies["django_language"].value == "es"
    page = client.get("/topics/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es">' in page, "the chosen language wins over the browser's"
    assert ">Temas</a>" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/topics/").content.decode()


def test_the_switcher_refuses_an_unknown_language_and_an_outside_address(client, graph):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


def test_a_signed_in_learner_gets_spanish_pages_too(learner_client, graph):
    learner_client.post("/i18n/setlang/", {"language": "es", "next": "/dashboard/"})
    page = learner_client.get("/resources/").content.decode()
    assert ">Cerrar sesión</button>" in page
    assert ">Panel</a>" in page
