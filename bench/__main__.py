"""python -m bench — generate the data, serve it with gunicorn on PostgreSQL, measure, report.

    make bench                                   # everything, a few minutes
    make bench BENCH_ARGS="--quick"              # smoke run: short measurements, scale 0.2
    python -m bench --users 1,8 --only home,api_staff --duration 5

DATABASE_URL (or --database-url) names a PostgreSQL server: a scratch database is created on
it and dropped afterwards. Without one, a throwaway cluster is started from Debian's
postgresql package (as .ci/run does). Results: bench/results/latest.md and latest.json.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description="E-office benchmark harness")
    p.add_argument("--users", default="1,8,32", help="concurrency levels, comma-separated")
    p.add_argument("--duration", type=float, default=10, help="seconds measured per scenario and level")
    p.add_argument("--warmup", type=float, default=2, help="seconds before measuring")
    p.add_argument("--scale", type=float, default=1.0, help="data size relative to the issues' figures")
    p.add_argument("--seed", type=int, default=20260101)
    p.add_argument("--only", default="", help="scenario names, comma-separated")
    p.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL"))
    p.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    p.add_argument("--tool", choices=["auto", "python", "wrk"], default="auto", help="load generator")
    p.add_argument("--out", default=str(RESULTS), help="directory for latest.md and latest.json")
    p.add_argument("--quick", action="store_true", help="smoke run: --duration 2 --warmup 0.5 --scale 0.2")
    p.add_argument("--keep-database", action="store_true", help="keep the scratch database (for EXPLAIN, profiling)")
    p.add_argument("--prepare-only", action="store_true", help="generate and count queries, measure nothing")
    args = p.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.scale = 2, 0.5, min(args.scale, 0.2)
    args.levels = [int(x) for x in args.users.split(",") if x.strip()]
    args.only_list = [x.strip() for x in args.only.split(",") if x.strip()]
    return args


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def machine() -> dict:
    info = {"python": platform.python_version(), "os": platform.platform(), "cpus": os.cpu_count()}
    info["load_average"] = [round(x, 2) for x in os.getloadavg()]  # other work on the machine skews figures
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        info["cpu"] = cpu
    except (OSError, StopIteration):
        info["cpu"] = platform.processor() or "unknown"
    try:
        kb = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal"))
        info["memory_gb"] = round(kb / 1048576, 1)
    except (OSError, StopIteration):
        pass
    try:
        pretty = next(x for x in Path("/etc/os-release").read_text().splitlines() if x.startswith("PRETTY_NAME="))
        info["os"] = pretty.split("=", 1)[1].strip('"')
    except (OSError, StopIteration):
        pass
    return info


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - our own local server
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def _stop_on_sigterm(signum, frame) -> None:
    raise SystemExit(f"stopped by signal {signum}")  # so the finally block drops the database


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    args = parse_args(argv)
    from bench import postgres

    load_before = [round(x, 2) for x in os.getloadavg()]
    cluster = None
    server_url = args.database_url
    if not server_url or not server_url.startswith(("postgres://", "postgresql://")):
        log("no PostgreSQL DATABASE_URL: starting a throwaway cluster")
        cluster = postgres.Cluster()
        server_url = cluster.start()
    db_name = f"eoffice_bench_{os.getpid()}"
    database_url = postgres.create_database(server_url, db_name)
    static_root = tempfile.mkdtemp(prefix="eoffice-bench-static.")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "False",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)  # no broker traffic in the measured requests
    os.environ.update(env)
    server = None
    try:
        from bench import runner

        prepared = runner.prepare(args, log)
        if args.prepare_only:
            log(f"data: {prepared['data']}")
            return 0
        port = postgres._free_port()
        base = f"http://127.0.0.1:{port}"
        cmd = [
            sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.workers), "--log-level", "warning", "--timeout", "120",
        ]  # fmt: skip
        log(f"starting gunicorn with {args.workers} workers on {base}")
        server = subprocess.Popen(cmd, cwd=ROOT, env=env)  # noqa: S603
        wait_for(f"{base}/dang-nhap/")
        results = runner.measure(args, prepared, base, log)
        report = {
            "generated_at": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
            "machine": {
                **machine(),
                "load_average_before": load_before,
                "postgresql": prepared["postgres_version"],
                "gunicorn_workers": args.workers,
            },
            "data": prepared["data"],
            "settings": {"levels": args.levels, "duration_s": args.duration, "warmup_s": args.warmup},
            "scenarios": results,
        }
        from bench.report import write

        md, js = write(report, Path(args.out))
        log(f"wrote {md} and {js}")
        print(md.read_text(encoding="utf-8"))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        try:
            from django.db import connections

            connections.close_all()
        except Exception as exc:  # noqa: BLE001 - cleanup must go on
            log(f"closing connections: {exc}")
        if args.keep_database:
            log(f"kept the database: DATABASE_URL={database_url}")
        else:
            postgres.drop_database(server_url, db_name)
        if cluster is not None:
            cluster.stop()
        subprocess.run(["rm", "-rf", static_root], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
