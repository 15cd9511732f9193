"""The API answers in the language of Accept-Language: error messages in Spanish for `Accept-Language: es`, the
codes and field names unchanged (clients branch on those), catalog content in its own language."""

import pytest

from tests.api.conftest import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("compiled_translations")]


def test_an_unknown_address_answers_in_spanish(api_client):
    error = assert_error(api_client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="es"), 404, "not_found")
    assert error["message"] == "No encontrado."


def test_a_missing_token_answers_in_spanish(api_client):
    error = assert_error(api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="es"), 401, "not_authenticated")
    assert error["message"] == "Las credenciales de autenticación no se proveyeron."


def test_validation_errors_are_spanish_per_field_with_the_same_codes(learner_client):
    response = learner_client.patch("/api/v1/me/", {"weekly_hours": 0}, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.8")
    error = assert_error(response, 400, "invalid")
    assert error["message"] == "La solicitud no es válida."
    assert list(error["fields"]) == ["weekly_hours"]
    assert "Must be" not in error["fields"]["weekly_hours"][0]


def test_a_bad_page_size_is_explained_in_spanish(api_client):
    response = api_client.get("/api/v1/resources/?page_size=0", HTTP_ACCEPT_LANGUAGE="es")
    error = assert_error(response, 400, "invalid")
    assert error["fields"] == {"page_size": ["Debe ser un número entero del 1 al 100."]}


def test_english_stays_the_default_and_for_languages_we_do_not_speak(api_client):
    for header in ({}, {"HTTP_ACCEPT_LANGUAGE": "de"}, {"HTTP_ACCEPT_LANGUAGE": "en"}):
        error = assert_error(api_client.get("/api/v1/no-such-thing/", **header), 404, "not_found")
        assert error["message"] == "Not found."


def test_bad_credentials_answer_in_spanish(api_client):
    body = {"username": "nobody", "password": "not-the-password"}
    response = api_client.post("/api/v1/auth/token/", body, HTTP_ACCEPT_LANGUAGE="es")
    error = assert_error(response, 400, "invalid_credentials")
    assert error["message"] == "No se puede iniciar sesión con estas credenciales."
