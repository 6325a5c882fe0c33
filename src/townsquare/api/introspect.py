"""Flatten the app's routes (FastAPI ≥ 0.16x nests included routers) for policy checks and docs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI


@dataclass(frozen=True)
class RouteInfo:
    path: str
    methods: frozenset[str]
    name: str
    route: Any

    def dependency_calls(self) -> list[Callable[..., Any]]:
        dependant = getattr(self.route, "dependant", None)
        if dependant is None:
            return []
        return [d.call for d in dependant.dependencies if d.call is not None]


def flat_routes(app: FastAPI) -> Iterator[RouteInfo]:
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        for route in app.routes:
            yield RouteInfo(
                getattr(route, "path", ""),
                frozenset(getattr(route, "methods", None) or ()),
                getattr(route, "name", ""),
                route,
            )
        return
    for ctx in iter_route_contexts(app.routes):
        yield RouteInfo(ctx.path or "", frozenset(ctx.methods or ()), ctx.name or "", ctx.original_route)
