"""The OpenAPI 3.1 document is generated from the code, validates, and is browsable from local files."""
from __future__ import annotations

import re

from openapi_spec_validator import validate


def test_openapi_document_validates(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert {"/api/v1/me", "/api/v1/daily", "/api/v1/practice", "/api/v1/tokens", "/api/v1/tokens/refresh",
            "/api/v1/attempts/{attempt_id}/answers/{position}", "/api/v1/attempts/{attempt_id}/submit",
            "/api/v1/attempts/{attempt_id}/result", "/api/v1/progress", "/api/v1/competitions"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["paths"]["/api/v1/tokens"]["post"]["security"] == []


def test_state_changing_operations_document_the_idempotency_key(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    keyed = [("/api/v1/daily", "post"), ("/api/v1/practice", "post"), ("/api/v1/exams", "post"),
             ("/api/v1/wrongbook/review", "post"), ("/api/v1/competitions/{competition_id}/entry", "post"),
             ("/api/v1/daily/offline-attempts", "post"), ("/api/v1/attempts/{attempt_id}/submit", "post"),
             ("/api/v1/attempts/{attempt_id}/answers/{position}", "put")]
    for path, method in keyed:
        operation = paths[path][method]
        headers = [item["name"] for item in operation.get("parameters", []) if item["in"] == "header"]
        assert headers == ["Idempotency-Key"], path
        assert {"400", "409", "422"} <= set(operation["responses"]), path
    assert "Idempotency-Key" not in str(paths["/api/v1/daily/offline-papers"]["get"])


def test_swagger_ui_loads_only_local_assets(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(asset.startswith("/api/v1/docs/assets/") for asset in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
