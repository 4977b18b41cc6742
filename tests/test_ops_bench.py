"""The benchmark harness's own parts, without PostgreSQL or gunicorn: percentiles, the load
generator against a small local HTTP server (a second process), the raw-SQL twin of the staff
API, plug-in discovery and the Markdown report. The full run is `make bench`."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import load, registry
from bench.report import markdown


def test_nearest_rank_percentiles():
    values = [float(x) for x in range(1, 101)]
    assert load.percentile(values, 50) == 50
    assert load.percentile(values, 95) == 95
    assert load.percentile(values, 99) == 99
    assert load.percentile([7.0], 99) == 7.0
    s = load.summarise([0.010, 0.020, 0.030], errors=1, seconds=1.5, tool="t")
    assert (s["requests"], s["errors"], s["rps"], s["p50"], s["max"]) == (3, 1, 2.0, 20.0, 30.0)
    assert load.summarise([], errors=4, seconds=2, tool="t")["p95"] is None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str, str]] = []

    def _answer(self, status: int, body: bytes = b"ok") -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        _Handler.seen.append(("GET", self.path, self.headers.get("Authorization", "")))
        self._answer(404 if self.path == "/missing" else 200)

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        _Handler.seen.append(("POST", self.path, body))
        self._answer(200)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Handler.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_python_load_generator_measures_from_separate_processes(server):
    spec = {"requests": [{"method": "GET", "path": "/trang"}], "headers": {"Authorization": "Token abc"}}
    result = load.run_python(server, spec, concurrency=3, duration=0.6, warmup=0.1)
    assert result["requests"] > 10 and result["errors"] == 0
    assert 0 < result["p50"] <= result["p95"] <= result["p99"] <= result["max"]
    assert result["rps"] > 0 and "python" in result["tool"]
    assert ("GET", "/trang", "Token abc") in _Handler.seen


def test_writes_are_sent_once_each_and_errors_are_counted(server):
    posts = [
        {"method": "POST", "path": f"/duyet/{i}", "body": f"b={i}", "content_type": "text/plain"} for i in range(5)
    ]
    result = load.run_python(server, {"requests": posts, "cycle": False}, concurrency=2, duration=2, warmup=0)
    assert result["requests"] == 5
    assert sorted(p for m, p, _ in _Handler.seen if m == "POST") == [f"/duyet/{i}" for i in range(5)]
    missing = load.run_python(server, {"requests": [{"method": "GET", "path": "/missing"}]}, 1, 0.3, 0)
    assert missing["requests"] == 0 and missing["errors"] > 0 and missing["p50"] is None


def test_raw_twin_of_the_staff_api_returns_the_same_people(hatinh, api, person):
    from django.db import connection

    from bench import foundation

    official = api("ht.vanthu1").get("/api/v1/staff/").json()
    with connection.cursor() as cursor:
        raw = json.loads(foundation.raw_staff(cursor, person("ht.vanthu1").user_id))
    assert raw["count"] == official["count"]
    assert [r["username"] for r in raw["results"]] == [r["username"] for r in official["results"]]
    assert [len(r["posts"]) for r in raw["results"]] == [len(r["posts"]) for r in official["results"]]


def test_discovery_finds_the_foundation_scenarios_and_generators(db):
    registry.discover()
    assert {"home", "organisation", "absences", "calendar_due", "api_staff"} <= set(registry.SCENARIOS)
    assert [g.name for g in registry.generators()][:2] == ["organisation", "staff_absences_delegations"]
    assert registry.SCENARIOS["api_staff"].raw in registry.RAW_VIEWS


def test_report_is_a_markdown_table_with_the_machine_and_the_ratio():
    page = {"tool": "wrk (2 threads)", "p50": 12.5, "p95": 30.0, "p99": 41.0, "rps": 150.2, "errors": 0}
    raw = {**page, "p50": 2.5}
    report = {
        "generated_at": "2026-11-24 10:00:00 +0700",
        "command": "python -m bench",
        "machine": {
            "cpu": "AMD EPYC",
            "cpus": 2,
            "memory_gb": 8,
            "os": "Debian 12",
            "python": "3.11.7",
            "postgresql": "15.20",
            "gunicorn_workers": 5,
        },  # fmt: skip
        "data": {"scale": 1.0, "seed": 1, "rows": {"staff": 270}, "generation_s": {"organisation": 1.0}},
        "settings": {"levels": [1], "duration_s": 10, "warmup_s": 2},
        "scenarios": [
            {
                "name": "api_staff",
                "title": "API",
                "path": "/api/v1/staff/",
                "queries": 11,
                "levels": {"1": {"page": page, "raw": raw, "ratio_p50": 5.0}},
            },
        ],  # fmt: skip
    }
    md = markdown(report)
    assert "AMD EPYC, 2 CPUs" in md and "PostgreSQL 15.20" in md and "staff 270" in md
    assert "| API (`/api/v1/staff/`) | 1 | 12.5 | 30 | 41 | 150.2 | 0 | 11 | 2.5 | ×5.0 |" in md


def test_writes_are_split_so_no_level_repeats_an_item():
    from types import SimpleNamespace

    from bench.runner import _write_chunks

    scenario = registry.Scenario(
        "approve", "Duyệt", user="ht.chanhvp",
        requests=lambda ctx, n: [registry.Request("POST", f"/duyet/{i}/") for i in range(min(n, 301))],
    )  # fmt: skip
    chunks = _write_chunks(scenario, registry.Context(), SimpleNamespace(duration=10, warmup=2, levels=[1, 8, 32]))
    paths = [r["path"] for chunk in chunks for r in chunk]
    assert len(chunks) == 3 and all(chunks)
    assert len(paths) == len(set(paths)) and "/duyet/0/" not in paths  # the first went to the query count
