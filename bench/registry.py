"""Plug-in points of the benchmark: data generators, scenarios and raw-SQL views.

Each capability adds its own in a module `<app>/bench.py` (found for every project app in
INSTALLED_APPS) or `bench/<name>_plugin.py`, calling the register_* functions at import:

    from bench.registry import Scenario, register_generator, register_raw, register_scenario

    @register_generator(order=20)
    def incoming_documents(ctx):             # bulk-insert ctx.scale-dependent rows
        ...
        ctx.ids["document"] = doc.pk          # remember ids for scenario paths

    register_scenario(Scenario("inbox", "Hộp văn bản chờ xử lý", user="ht.kinhte.cv1",
                               path="/van-ban/cho-xu-ly/", raw="inbox"))

    @register_raw("inbox")
    def raw_inbox(cursor, ctx, user_id) -> bytes:   # the same query, no ORM, no templates
        ...

A scenario's path may be a callable of the context (for ids made by a generator), and
`requests` may give a list of distinct requests (e.g. one POST per step to approve).
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Context:
    """What generators share with scenarios: the office, the scale, a seeded RNG, ids."""

    scale: float = 1.0
    seed: int = 20260101
    organisation: Any = None
    ids: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def n(self, full: int, minimum: int = 1) -> int:
        """How many rows to make at this scale (full = the size the capability issue asks for)."""
        return max(minimum, int(full * self.scale))


@dataclass
class Request:
    method: str
    path: str
    body: str | None = None
    content_type: str | None = None


@dataclass
class Scenario:
    name: str
    title: str
    user: str
    path: str | Callable[[Context], str] = "/"
    auth: str = "session"  # or "token" for /api/v1/
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    raw: str | None = None  # name of a raw view serving the same query
    requests: Callable[[Context, int], list[Request]] | None = None  # distinct requests (writes)
    order: int = 100

    def resolve_path(self, ctx: Context) -> str:
        return self.path(ctx) if callable(self.path) else self.path


@dataclass
class Generator:
    name: str
    fn: Callable[[Context], None]
    order: int


GENERATORS: dict[str, Generator] = {}
SCENARIOS: dict[str, Scenario] = {}
RAW_VIEWS: dict[str, Callable[..., bytes]] = {}


def register_generator(order: int = 100, name: str | None = None):
    def wrap(fn: Callable[[Context], None]):
        GENERATORS[name or fn.__name__] = Generator(name or fn.__name__, fn, order)
        return fn

    return wrap


def register_scenario(scenario: Scenario) -> Scenario:
    SCENARIOS[scenario.name] = scenario
    return scenario


def register_raw(name: str):
    def wrap(fn: Callable[..., bytes]):
        RAW_VIEWS[name] = fn
        return fn

    return wrap


def discover() -> None:
    """Import bench/*_plugin.py and every project app's bench.py (needs Django set up)."""
    from django.apps import apps

    importlib.import_module("bench.foundation")
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.endswith("_plugin"):
            importlib.import_module(f"bench.{info.name}")
    root = Path(__file__).resolve().parent.parent
    for config in apps.get_app_configs():
        if Path(config.path).parent == root and importlib.util.find_spec(f"{config.name}.bench"):
            importlib.import_module(f"{config.name}.bench")


def generators() -> list[Generator]:
    return sorted(GENERATORS.values(), key=lambda g: (g.order, g.name))


def scenarios(only: list[str] | None = None) -> list[Scenario]:
    chosen = sorted(SCENARIOS.values(), key=lambda s: (s.order, s.name))
    return [s for s in chosen if not only or s.name in only]
