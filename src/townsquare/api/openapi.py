"""A complete OpenAPI document: every request body's schema in components, every error as problem+json.

Why: clients and fuzzers generate requests and check answers from this document. FastAPI leaves out bodies
declared by hand (`openapi_extra`, e.g. `POST /posts` referring to `PostCreate`) and documents only 200 and its
own 422 shape, while every route here can also answer 401/403 (roles), 404, 409, 413, 429 or 503, always as RFC
9457 `application/problem+json`. This module post-processes FastAPI's document once per app.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from townsquare.api.introspect import flat_routes
from townsquare.api.ratelimit import ROUTE_LIMITS
from townsquare.api.security import roles_of
from townsquare.core.enums import Role

PROBLEM = "application/problem+json"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; extra members name the field or state at fault.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "Malformed request (e.g. a body that is not JSON)",
    "401": "No API key, or an unknown or revoked one",
    "403": "The caller's role may not do this",
    "404": "No such resource (or another tenant's)",
    "409": "Contradicts stored state (already decided, duplicate id with other content)",
    "413": "Body larger than TOWNSQUARE_MAX_BODY_BYTES",
    "422": "Invalid input; nothing was changed",
    "429": "Rate limit reached; see Retry-After",
    "503": "Busy or not ready; nothing was stored; retry after Retry-After",
}
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
MEDIA_TYPES: dict[tuple[str, str], dict[str, Any]] = {
    ("/api/v1/statements", "get"): {"application/x-ndjson": {"schema": {"type": "string"}}},
    ("/api/v1/ads/reports/brand-safety.csv", "get"): {"text/csv": {"schema": {"type": "string"}}},
    ("/api/v1/ads/reports/brand-safety.{fmt}", "get"): {
        "image/png": {"schema": {"type": "string", "format": "binary"}},
        "image/svg+xml": {"schema": {"type": "string"}},
    },
}
"""Routes whose success is not JSON: their 200 is documented with the media types they really send."""
ALSO_CREATED = frozenset(
    {("/api/v1/posts", "post"), ("/api/v1/reports", "post"), ("/api/v1/appeals", "post")}
)
"""Idempotent creates: 201 for a new record, 200 for a repeat (or a batch summary)."""


def _route_models() -> dict[str, type[BaseModel]]:
    """Every pydantic model defined in the API's route modules, by class name."""
    import townsquare.api.routes as routes_pkg

    found: dict[str, type[BaseModel]] = {}
    for info in pkgutil.iter_modules(routes_pkg.__path__):
        module = importlib.import_module(f"townsquare.api.routes.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
                found.setdefault(value.__name__, value)
    return found


def _refs(node: Any, out: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            out.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _refs(value, out)
    elif isinstance(node, list):
        for value in node:
            _refs(value, out)


def _add_missing_schemas(doc: dict[str, Any]) -> None:
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    models = _route_models()
    while True:
        wanted: set[str] = set()
        _refs(doc["paths"], wanted)
        _refs(schemas, wanted)
        missing = sorted(name for name in wanted - set(schemas) if name in models)
        if not missing:
            return
        for name in missing:
            schema = models[name].model_json_schema(ref_template="#/components/schemas/{model}")
            for def_name, definition in schema.pop("$defs", {}).items():
                schemas.setdefault(def_name, definition)
            schemas[name] = schema


def _public_paths(app: FastAPI) -> set[tuple[str, str]]:
    public: set[tuple[str, str]] = set()
    for route in flat_routes(app):
        for call in route.dependency_calls():
            roles = roles_of(call)
            if roles is not None and Role.PUBLIC in roles:
                public.update((route.path, m.lower()) for m in route.methods)
    return public


def _openapi_path(path: str) -> str:
    """`/posts/{post_id:path}` is documented as `/posts/{post_id}`."""
    return path.replace(":path}", "}")


def complete(app: FastAPI, doc: dict[str, Any]) -> dict[str, Any]:
    _add_missing_schemas(doc)
    schemas = doc["components"]["schemas"]
    schemas["Problem"] = PROBLEM_SCHEMA
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    public = {(_openapi_path(p), m) for p, m in _public_paths(app)}
    limited = {(p, m.lower()) for m, p in ROUTE_LIMITS}
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "put", "post", "delete", "patch", "head", "options"}:
                continue
            codes = {"400", "404", "413", "422", "429", "503"}
            if (path, method) not in public:
                codes |= {"401", "403"}
            else:
                codes.add("401")  # a bad key is refused even where none is needed
            if method in WRITE_METHODS:
                codes.add("409")
            if (path, method) in limited:
                codes.add("429")
            responses = operation.setdefault("responses", {})
            if (path, method) in MEDIA_TYPES:
                ok = responses.setdefault("200", {"description": "Successful Response"})
                ok["content"] = MEDIA_TYPES[(path, method)]
            if (path, method) in ALSO_CREATED:
                responses.setdefault("200", {"description": "Already there (a repeat), or a batch summary"})
                responses.setdefault("201", {"description": "Created"})
            for code in sorted(codes):
                existing = responses.get(code, {})
                content = existing.get("content", {})
                if code == "422" or not content:
                    content = {}
                content[PROBLEM] = {"schema": problem_ref}
                responses[code] = {
                    "description": existing.get("description") or DESCRIPTIONS[code],
                    "content": content,
                }
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    return doc


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = complete(app, doc)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
