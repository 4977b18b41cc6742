"""Benchmark harness: `make bench` (python -m bench). See bench/README.md.

Generates a large deterministic data set with bulk inserts, starts the app under gunicorn
on PostgreSQL, and measures it with an HTTP load generator in a second process:
p50/p95/p99 latency and requests per second at 1, 8 and 32 concurrent users, SQL queries
per request, and the framework cost as the ratio of a page to a minimal raw-SQL view
serving the same query. Not part of `make test`.
"""
