"""Fast loading of the big benchmark tables into the scratch database: PostgreSQL COPY (psycopg 3
`cursor.copy()`) with the table's secondary indexes dropped during the load and recreated
afterwards exactly as the migrations made them (their definitions are read from pg_indexes before
dropping), and foreign-key triggers off for the loading session (`session_replication_role =
replica`: the generators make consistent rows by construction; this is only ever done in the
benchmark's own throwaway database). On SQLite (the harness's own tests) it falls back to
bulk_create, so the generators have one code path.

    with bulk.loading(IncomingDocument, Assignment):          # indexes off, FK triggers off
        ids = bulk.reserve_ids(IncomingDocument, len(rows))   # ids known before COPY
        bulk.copy_rows(IncomingDocument, ["id", "number", ...], rows)
    # indexes are back here, the same as before
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator, Sequence

from django.db import connection, models
from django.utils import timezone


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _constant_values(model: type[models.Model], given: Sequence[str]) -> dict[str, object]:
    """The value Django would store for every concrete column not given: its default, NULL,
    an empty string for blank text, now() for auto_now(_add) — the same for every row."""
    values: dict[str, object] = {}
    now = timezone.now()
    for f in model._meta.concrete_fields:
        if f.column in given or f.attname in given:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            values[f.column] = now
        elif f.has_default():
            values[f.column] = f.get_default()
        elif f.null:
            values[f.column] = None
        elif f.empty_strings_allowed:
            values[f.column] = ""
        else:
            raise ValueError(f"{model.__name__}.{f.name}: no value given and no default")
    return values


def reserve_ids(model: type[models.Model], count: int) -> range:
    """`count` fresh primary keys for rows about to be copied with explicit ids (the sequence is
    moved past them, so later ORM inserts continue after)."""
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
            seq = cursor.fetchone()[0]
            cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table}")  # noqa: S608 - our own table name
            start = max(cursor.fetchone()[0], 0) + 1
            cursor.execute("SELECT setval(%s, %s)", [seq, start + count - 1 if count else max(start - 1, 1)])
        else:
            cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table}")  # noqa: S608
            start = cursor.fetchone()[0] + 1
    return range(start, start + count)


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """COPY rows (tuples in the order of `columns`, which must include the id) into the model's
    table; every other column gets the constant Django would give it. Returns the row count."""
    constants = _constant_values(model, columns)
    all_columns = [*columns, *constants]
    tail = tuple(constants.values())
    n = 0
    if is_postgresql():
        table = model._meta.db_table
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            cols = ", ".join(f'"{c}"' for c in all_columns)
            with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:  # noqa: S608 - model metadata
                for row in rows:
                    copy.write_row((*row, *tail))
                    n += 1
        return n
    by_column = {f.column: f.attname for f in model._meta.concrete_fields}
    objs = []
    for row in rows:
        objs.append(model(**{by_column[c]: v for c, v in zip(all_columns, (*row, *tail), strict=True)}))
        n += 1
    model.objects.bulk_create(objs, batch_size=2000)
    return n


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's indexes that back no constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = %s
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
              )
            ORDER BY i.indexname
            """,
            [table],
        )
        return list(cursor.fetchall())


@contextlib.contextmanager
def loading(*tables_of: type[models.Model], timings: dict[str, float] | None = None) -> Iterator[None]:
    """Drop the secondary indexes of these models' tables and switch FK triggers off for the
    session; on the way out, recreate each index from its saved definition and switch back."""
    if not is_postgresql():
        yield
        return
    saved: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        for model in tables_of:
            for name, definition in _secondary_indexes(model._meta.db_table):
                saved.append((name, definition))
                cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])  # only a superuser may switch triggers off; else they stay
        if superuser:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if superuser:
                cursor.execute("SET session_replication_role = origin")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in saved:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
        if timings is not None:
            timings["indexes_s"] = round(time.perf_counter() - started, 1)
