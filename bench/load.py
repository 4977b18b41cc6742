"""HTTP load generator, run in its own process(es) so it never shares the server's interpreter.

    python -m bench.load --base http://127.0.0.1:8765 --spec spec.json --concurrency 8 --duration 10

spec.json: {"requests": [{"method": "GET", "path": "/", "body": null, "content_type": null}],
            "headers": {"Cookie": "…"}, "cycle": true}

Uses `wrk` (Debian package) when it is installed and the scenario is a single GET, otherwise
a small generator of its own: one keep-alive http.client connection per simulated user, in
threads spread over one process per CPU. Prints one JSON object: requests, errors, rps and
latency percentiles in milliseconds. Only the standard library; no Django.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing as mp
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (p in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarise(latencies_s: list[float], errors: int, seconds: float, tool: str) -> dict:
    """Totals and percentiles in ms; percentiles are None when no request finished in time."""
    ms = sorted(x * 1000 for x in latencies_s)
    if not ms:
        return {"tool": tool, "requests": 0, "errors": errors, "seconds": round(seconds, 2), "rps": 0.0,
                **dict.fromkeys(("p50", "p95", "p99", "mean", "max"))}  # fmt: skip
    return {
        "tool": tool,
        "requests": len(ms),
        "errors": errors,
        "seconds": round(seconds, 2),
        "rps": round(len(ms) / seconds, 1) if seconds > 0 else 0.0,
        "p50": round(percentile(ms, 50), 2),
        "p95": round(percentile(ms, 95), 2),
        "p99": round(percentile(ms, 99), 2),
        "mean": round(sum(ms) / len(ms), 2),
        "max": round(ms[-1], 2),
    }


class _Feed:
    """Hands out the spec's requests in turn; without `cycle`, each one once (writes)."""

    def __init__(self, requests: list[dict], cycle: bool, offset: int = 0, stride: int = 1) -> None:
        self.requests, self.cycle = requests, cycle
        self.i, self.stride = offset, stride
        self.lock = threading.Lock()

    def next(self) -> dict | None:
        with self.lock:
            if self.i >= len(self.requests) and not self.cycle:
                return None
            req = self.requests[self.i % len(self.requests)]
            self.i += self.stride
            return req


def _user(base, headers, feed, warm_until, stop_at, out, errs):
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    while time.perf_counter() < stop_at:
        req = feed.next()
        if req is None:
            break
        hdrs = dict(headers)
        if req.get("content_type"):
            hdrs["Content-Type"] = req["content_type"]
        t0 = time.perf_counter()
        try:
            conn.request(req["method"], req["path"], body=req.get("body"), headers=hdrs)
            resp = conn.getresponse()
            resp.read()
            ok = resp.status < 300  # a redirect (to the login page) is not a page served
            if resp.will_close:
                conn.close()
        except (OSError, http.client.HTTPException):
            conn.close()
            ok = False
        elapsed = time.perf_counter() - t0
        if t0 >= warm_until:
            if ok:
                out.append(elapsed)
            else:
                errs.append(1)
    conn.close()


def _process(base, spec, threads, warmup, duration, start_at, offset, stride, queue):
    while time.time() < start_at:  # all processes start together
        time.sleep(0.001)
    now = time.perf_counter()
    warm_until, stop_at = now + warmup, now + warmup + duration
    feed = _Feed(spec["requests"], spec.get("cycle", True), offset, stride)
    out: list[float] = []
    errs: list[int] = []
    pool = [
        threading.Thread(target=_user, args=(base, spec.get("headers", {}), feed, warm_until, stop_at, out, errs))
        for _ in range(threads)
    ]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put((out, len(errs), min(time.perf_counter(), stop_at) - warm_until))


def run_python(base: str, spec: dict, concurrency: int, duration: float, warmup: float) -> dict:
    procs = max(1, min(concurrency, os.cpu_count() or 1))
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    start_at = time.time() + 0.5
    workers = []
    for i in range(procs):
        threads = concurrency // procs + (1 if i < concurrency % procs else 0)
        p = ctx.Process(target=_process, args=(base, spec, threads, warmup, duration, start_at, i, procs, queue))
        p.start()
        workers.append(p)
    latencies: list[float] = []
    errors, seconds = 0, 0.0
    for _ in workers:
        out, err, secs = queue.get()
        latencies += out
        errors += err
        seconds = max(seconds, secs)
    for p in workers:
        p.join()
    return summarise(latencies, errors, seconds, f"python http.client ({procs} proc × threads)")


def wrk_usable(spec: dict) -> bool:
    return bool(shutil.which("wrk")) and len(spec["requests"]) == 1 and spec["requests"][0]["method"] == "GET"


def run_wrk(base: str, spec: dict, concurrency: int, duration: float, warmup: float) -> dict:
    url = base.rstrip("/") + spec["requests"][0]["path"]
    threads = max(1, min(concurrency, os.cpu_count() or 1))
    headers = [arg for k, v in spec.get("headers", {}).items() for arg in ("-H", f"{k}: {v}")]
    base_cmd = ["wrk", f"-t{threads}", f"-c{concurrency}", "--timeout", "60s", *headers]
    if warmup > 0:
        subprocess.run([*base_cmd, f"-d{max(1, round(warmup))}s", url], capture_output=True, check=True)
    result = subprocess.run(
        [*base_cmd, f"-d{max(1, round(duration))}s", "-s", str(WRK_SCRIPT), url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(x for x in result.stdout.splitlines() if x.startswith("{"))
    data = json.loads(line)
    seconds = data["duration_us"] / 1e6
    ok = data["requests"] - data["errors"]
    return {
        "tool": f"wrk ({threads} threads)",
        "requests": ok,
        "errors": data["errors"],
        "seconds": round(seconds, 2),
        "rps": round(ok / seconds, 1),
        **{k: round(data[k], 2) for k in ("p50", "p95", "p99", "mean", "max")},
    }


def run(base: str, spec: dict, concurrency: int, duration: float, warmup: float, tool: str = "auto") -> dict:
    if tool == "wrk" or (tool == "auto" and wrk_usable(spec)):
        return run_wrk(base, spec, concurrency, duration, warmup)
    return run_python(base, spec, concurrency, duration, warmup)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--spec", required=True, help="JSON file: requests, headers, cycle")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--tool", choices=["auto", "python", "wrk"], default="auto")
    args = parser.parse_args()
    spec = json.loads(Path(args.spec).read_text(encoding="utf-8"))
    print(json.dumps(run(args.base, spec, args.concurrency, args.duration, args.warmup, args.tool)))


if __name__ == "__main__":
    main()
