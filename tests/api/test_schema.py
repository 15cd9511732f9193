import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_validates_without_a_single_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/me/events/" in (tmp_path / "schema.yaml").read_text()


def test_every_operation_documents_its_errors_with_the_one_error_body():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) >= 20
    for path, method, operation in operations:
        responses = operation["responses"]
        errors = {code: response for code, response in responses.items() if code.startswith("4")}
        for code, response in errors.items():
            ref = response["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Error", (path, method, code)
        if {"knoxApiToken": []} in operation.get("security", []):
            assert "401" in responses, (path, method)
        assert operation.get("operationId"), (path, method)
        assert operation.get("summary"), (path, method)


def test_the_schema_and_the_local_swagger_ui_are_served(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "DeepPath API"
    docs = api_client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"//cdn" not in docs.content
    assert b"unpkg" not in docs.content
