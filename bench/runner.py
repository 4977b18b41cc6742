"""The two halves of a benchmark run inside the harness process: prepare() builds the data
and counts SQL queries per request with Django's test client; measure() drives the live
gunicorn with bench.load in a separate process for each scenario and concurrency level."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import registry

CSRF_SECRET = "benchCsrfSecret0123456789abcdefg"  # noqa: S105 - 32 characters, sent as cookie and header


def prepare(args, log) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    log("migrate")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    registry.discover()
    ctx = registry.Context(scale=args.scale, seed=args.seed)
    timings = {}
    for gen in registry.generators():
        t0 = time.perf_counter()
        with transaction.atomic():
            gen.fn(ctx)
        timings[gen.name] = round(time.perf_counter() - t0, 1)
        log(f"data: {gen.name} in {timings[gen.name]} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    chosen = registry.scenarios(args.only_list)
    if not chosen:
        raise SystemExit(f"no scenario matches --only {args.only}; known: {', '.join(registry.SCENARIOS)}")
    auth = {s.user: credentials(s.user) for s in chosen}
    queries = {s.name: count_queries(s, ctx, auth[s.user]) for s in chosen}
    for name, n in queries.items():
        log(f"queries: {name} = {n}")
    return {
        "ctx": ctx,
        "scenarios": chosen,
        "auth": auth,
        "queries": queries,
        "postgres_version": version,
        "data": {"scale": args.scale, "seed": args.seed, "rows": ctx.counts, "generation_s": timings},
    }


def credentials(username: str) -> dict:
    """A logged-in session (as the browser would hold) and an API token for this user."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend"))
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    token, _ = Token.objects.get_or_create(user=user)
    return {"user_id": user.pk, "session": session.session_key, "token": token.key}


def headers_for(scenario: registry.Scenario, cred: dict) -> dict[str, str]:
    if scenario.auth == "token":
        headers = {"Authorization": f"Token {cred['token']}"}
    else:
        headers = {"Cookie": f"sessionid={cred['session']}; csrftoken={CSRF_SECRET}", "X-CSRFToken": CSRF_SECRET}
    return {**headers, **scenario.headers}


def requests_for(scenario: registry.Scenario, ctx: registry.Context, count: int = 1) -> list[dict]:
    if scenario.requests:
        return [vars(r) for r in scenario.requests(ctx, count)]
    return [{"method": scenario.method, "path": scenario.resolve_path(ctx), "body": None, "content_type": None}]


def count_queries(scenario: registry.Scenario, ctx: registry.Context, cred: dict) -> int:
    """SQL queries of one request, after a first request has warmed caches."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies["sessionid"] = cred["session"]
    client.cookies["csrftoken"] = CSRF_SECRET
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers_for(scenario, cred).items() if k != "Cookie"}
    if scenario.requests:  # writes: count one of them, on an item generated for this purpose
        req = requests_for(scenario, ctx, 1)[0]
    else:
        req = requests_for(scenario, ctx)[0]
        client.generic(req["method"], req["path"], **extra)
    with CaptureQueriesContext(connection) as captured:
        response = client.generic(
            req["method"], req["path"], data=req["body"] or "", content_type=req["content_type"] or "", **extra
        )
    if response.status_code >= 300:  # a redirect to the login page would be measured as a fast page
        raise SystemExit(f"scenario {scenario.name}: {req['method']} {req['path']} answered {response.status_code}")
    return len(captured.captured_queries)


def _load(base: str, spec: dict, concurrency: int, args) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(spec, fh)
    cmd = [
        sys.executable, "-m", "bench.load", "--base", base, "--spec", fh.name, "--concurrency", str(concurrency),
        "--duration", str(args.duration), "--warmup", str(args.warmup), "--tool", args.tool,
    ]  # fmt: skip
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent)  # noqa: S603
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"load generator failed: {exc.stderr}") from exc
    finally:
        Path(fh.name).unlink(missing_ok=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _write_chunks(scenario: registry.Scenario, ctx: registry.Context, args) -> list[list[dict]]:
    """Distinct requests for each concurrency level: a write (approving a step) is sent once,
    never again at the next level. The first item went to count_queries, so it is skipped."""
    wanted = [int((args.duration + args.warmup) * 200 * level) + 50 for level in args.levels]
    available = requests_for(scenario, ctx, sum(wanted) + 1)[1:]
    share = max(1, len(available) // len(wanted)) if len(available) < sum(wanted) else None
    chunks, start = [], 0
    for want in wanted:
        size = min(want, share) if share else want
        chunks.append(available[start : start + size])
        start += size
    return chunks


def measure(args, prepared: dict, base: str, log) -> list[dict]:
    ctx, results = prepared["ctx"], []
    for scenario in prepared["scenarios"]:
        cred = prepared["auth"][scenario.user]
        row = {
            "name": scenario.name,
            "title": scenario.title,
            "path": requests_for(scenario, ctx)[0]["path"] if not scenario.requests else "(writes)",
            "user": scenario.user,
            "queries": prepared["queries"][scenario.name],
            "levels": {},
        }
        writes = _write_chunks(scenario, ctx, args) if scenario.requests else None
        for i, level in enumerate(args.levels):
            spec = {
                "requests": writes[i] if writes else requests_for(scenario, ctx),
                "headers": headers_for(scenario, cred),
                "cycle": writes is None,
            }
            if not spec["requests"]:
                log(f"{scenario.name} ×{level}: no items left to write, skipped")
                continue
            page = _load(base, spec, level, args)
            entry = {"page": page}
            if scenario.raw:
                raw_spec = {
                    "requests": [
                        {"method": "GET", "path": f"/_raw/{scenario.raw}/", "body": None, "content_type": None}
                    ],
                    "headers": {"Authorization": f"Token {cred['token']}"},
                    "cycle": True,
                }
                raw = _load(base, raw_spec, level, args)
                entry["raw"] = raw
                both = page["p50"] and raw["p50"]
                entry["ratio_p50"] = round(page["p50"] / raw["p50"], 1) if both else None
                entry["ratio_rps"] = round(raw["rps"] / page["rps"], 1) if page["rps"] and raw["rps"] else None
            entry["load_average"] = round(os.getloadavg()[0], 2)  # the machine may be shared: say how busy
            row["levels"][str(level)] = entry
            log(
                f"{scenario.name} ×{level}: p50 {page['p50']} ms, p95 {page['p95']} ms, p99 {page['p99']} ms, "
                f"{page['rps']} req/s, {page['errors']} errors"
                + (f"; raw p50 {entry['raw']['p50']} ms (×{entry['ratio_p50']})" if scenario.raw else "")
            )
        results.append(row)
    return results
