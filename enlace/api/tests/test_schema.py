"""The OpenAPI schema describes every response body and every error an operation can give."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def _resolve(schema, body):
    while "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    return body


def test_every_2xx_json_response_has_a_typed_body(schema):
    untyped = []
    for path, method, operation in _operations(schema):
        for code, response in operation["responses"].items():
            if not code.startswith("2"):
                continue
            body = response.get("content", {}).get("application/json", {}).get("schema")
            if body is None:
                continue
            resolved = _resolve(schema, body)
            if "$ref" not in body and not resolved.get("properties"):
                untyped.append(f"{method.upper()} {path} {code}")
            elif not resolved.get("properties"):
                untyped.append(f"{method.upper()} {path} {code} (empty component)")
    assert untyped == []


def test_the_main_objects_show_their_fields(schema):
    components = schema["components"]["schemas"]
    assert {"reference", "status", "risk_level", "version"} <= set(components["Case"]["properties"])
    assert {"detention", "actions", "notes"} <= set(components["CaseDetail"]["properties"])
    person = components["Person"]
    assert "migratory_status" in person["properties"]
    assert "migratory_status" not in person["required"]  # shown to the owning office only
    assert {"explanation", "side"} <= set(components["TracingMatch"]["properties"])


def test_every_operation_documents_its_errors(schema):
    missing = []
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        public = operation.get("security") == [{}] or {} in operation.get("security", [])
        expected = set()
        if not public:
            expected |= {"401", "404"}
        if method in {"post", "put", "patch"}:
            expected |= {"400", "415"}
            if not public:
                expected.add("409")
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            expected.add("400")
        if not expected <= codes:
            missing.append(f"{method.upper()} {path}: {sorted(expected - codes)}")
    assert missing == []


def test_filters_are_documented_with_their_types(schema):
    params = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]
    }
    assert params["office"]["format"] == "uuid"
    assert "open" in params["status"]["enum"]
    assert params["overdue"]["type"] == "boolean"
    assert params["q"]["maxLength"] == 200
    assert params["page_size"]["maximum"] == 100
    # Starting an export is a POST (a GET would let another site start one): filters in the query.
    assert set(schema["paths"]["/api/v1/cases/export/"]) == {"post"}
    start = schema["paths"]["/api/v1/cases/export/"]["post"]
    assert "requestBody" not in start and set(start["responses"]) >= {"202"}
    export = {p["name"]: p["schema"] for p in start["parameters"] if p["in"] == "query"}
    assert export["format"]["enum"] == ["csv", "xlsx"]


def test_only_the_token_is_documented_as_a_way_in(schema):
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth"}
