"""bench/results/latest.md (for people and the README) and latest.json (for machines)."""

from __future__ import annotations

import json
from pathlib import Path


def _ms(value) -> str:
    return "—" if value is None else f"{value:g}"


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated {report['generated_at']} by `{report['command']}`.",
        "",
        f"Machine: {m.get('cpu', '?')}, {m.get('cpus')} CPUs, {m.get('memory_gb', '?')} GB RAM, {m.get('os')}; "
        f"Python {m['python']}, PostgreSQL {m['postgresql']}, gunicorn {m['gunicorn_workers']} sync workers. "
        "The load generator, gunicorn and PostgreSQL share this machine"
        + (
            f" (load average {m['load_average_before'][0]} before the run, {m['load_average'][0]} after)."
            if "load_average_before" in m
            else "."
        ),
        "",
        "Data: "
        + ", ".join(f"{k} {v:,}".replace(",", " ") for k, v in report["data"]["rows"].items())
        + f" (scale {report['data']['scale']}, seed {report['data']['seed']}; generated in "
        + f"{sum(report['data']['generation_s'].values()):.0f} s: "
        + ", ".join(f"{k} {v:g} s" for k, v in report["data"]["generation_s"].items())
        + ").",
        "",
        f"Each cell: {report['settings']['duration_s']:g} s measured after "
        f"{report['settings']['warmup_s']:g} s warm-up.",
        "",
        "| Scenario | Users | p50 ms | p95 ms | p99 ms | req/s | errors | SQL/request | raw p50 ms | page/raw | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in report["scenarios"]:
        for level, entry in s["levels"].items():
            p = entry["page"]
            raw = entry.get("raw")
            ratio = f"×{entry['ratio_p50']}" if raw and entry.get("ratio_p50") else "—"
            lines.append(
                f"| {s['title']} (`{s['path']}`) | {level} | {_ms(p['p50'])} | {_ms(p['p95'])} | {_ms(p['p99'])} | "
                f"{p['rps']} | {p['errors']} | {s['queries']} | {_ms(raw['p50']) if raw else '—'} | {ratio} | "
                f"{_ms(entry.get('load_average'))} |"
            )
    tools = sorted({e["page"]["tool"] for s in report["scenarios"] for e in s["levels"].values()})
    lines += [
        "",
        f"Load generator: {', '.join(tools)}. page/raw = p50 of the page ÷ p50 of a minimal raw-SQL view "
        "serving the same query (no middleware, ORM, serializer or template) in the same run: "
        "the cost of the framework. — in a latency column: no request finished within the measured time. "
        "load: the machine's 1-minute load average when the cell ended (2 CPUs: above 2, other work competed).",
    ]
    return "\n".join(lines) + "\n"


def write(report: dict, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    md, js = out / "latest.md", out / "latest.json"
    md.write_text(markdown(report), encoding="utf-8")
    js.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return md, js
