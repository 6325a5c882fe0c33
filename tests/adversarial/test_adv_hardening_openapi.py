"""The OpenAPI document is complete (issue 13): every request body has a schema that resolves, every operation
lists its error statuses as application/problem+json, and the documented error shape is what the API sends."""

from __future__ import annotations

from typing import Any

PROBLEM = "application/problem+json"
METHODS = {"get", "post", "put", "patch", "delete"}


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _refs(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            out.append(node["$ref"])
        for value in node.values():
            out.extend(_refs(value))
    elif isinstance(node, list):
        for value in node:
            out.extend(_refs(value))
    return out


def test_every_reference_resolves_and_every_body_has_a_schema(client: Any) -> None:
    doc = client.get("/openapi.json").json()
    for ref in _refs(doc):
        assert _resolve(doc, ref) is not None, ref
    assert "PostCreate" in doc["components"]["schemas"] and "PostBatch" in doc["components"]["schemas"]
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in METHODS or "requestBody" not in op:
                continue
            content = op["requestBody"]["content"]
            assert content, (method, path)
            for media in content.values():
                assert media.get("schema"), (method, path)


def test_every_operation_lists_its_errors_as_problems(client: Any) -> None:
    doc = client.get("/openapi.json").json()
    checked = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            responses = op["responses"]
            for code in ("400", "404", "413", "422", "429", "503", "401"):
                assert code in responses, (method, path, code)
                assert PROBLEM in responses[code]["content"], (method, path, code)
            if method != "get":
                assert "409" in responses, (method, path)
            checked += 1
    assert checked > 50
    problem = doc["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status"}


def test_real_errors_match_the_documented_problem_shape(client: Any) -> None:
    import jsonschema

    doc = client.get("/openapi.json").json()
    schema = doc["components"]["schemas"]["Problem"]
    for r in (
        client.get("/api/v1/queues"),  # 401
        client.get("/api/v1/posts/nope"),  # 404
        client.post("/api/v1/posts", content=b"{not json", headers={"content-type": "application/json"}),
        client.get("/api/v1/council/decisions?offset=-1"),  # 422
    ):
        assert r.status_code >= 400 and r.headers["content-type"].startswith(PROBLEM), (r.status_code, r.text)
        jsonschema.validate(r.json(), schema)
