"""Backup and restore, exercised for real on PostgreSQL with the commands of docs/operations.md.

The test registers an incoming document with a PDF, runs the documented backup block, drops
every table and deletes the uploaded files, runs the documented restore block, then checks
that the rows are back and every stored file matches the SHA-256 recorded at upload.
Skipped unless DATABASE_URL points at PostgreSQL (CI does) and pg_dump/pg_restore exist.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection, connections

from office.models import Organisation, Post, Staff, Unit

BASE_DIR = Path(__file__).resolve().parent.parent
DOC = BASE_DIR / "docs" / "operations.md"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs DATABASE_URL=postgres://… (CI runs it on PostgreSQL 15)",
    ),
    pytest.mark.skipif(not shutil.which("pg_dump") or not shutil.which("pg_restore"), reason="needs pg_dump"),
]


def documented_block(label: str) -> str:
    """The shell block that follows <!-- tested: label --> in docs/operations.md."""
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- tested: {label} -->\s*```sh\n(.*?)```", text, re.S)
    assert match, f"docs/operations.md has no tested {label} block"
    return match.group(1)


def run_block(label: str, env: dict) -> None:
    result = subprocess.run(
        ["bash", "-c", documented_block(label)], env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, f"{label} failed:\n{result.stdout}\n{result.stderr}"


def database_url() -> str:
    s = connection.settings_dict
    user, password = quote(s["USER"] or "", safe=""), quote(s["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot() -> dict:
    from documents.models import Attachment, IncomingDocument

    return {
        "organisations": list(Organisation.objects.values_list("profile", "name")),
        "units": Unit.objects.count(),
        "staff": sorted(Staff.objects.values_list("user__username", "full_name")),
        "posts": Post.objects.count(),
        "documents": list(IncomingDocument.objects.order_by("pk").values_list("pk", "number", "symbol", "summary")),
        "files": list(Attachment.objects.order_by("pk").values_list("pk", "sha256", "size", "file")),
    }


# serialized_rollback: rows made by data migrations (document types) survive the flush between tests.
def test_backup_then_drop_then_restore_brings_back_rows_and_files(
    transactional_db, django_db_serialized_rollback, settings, tmp_path, person
):
    from documents.models import Attachment
    from office.services.profiles import load_profile
    from tests.conftest import PASSWORD
    from tests.incoming_helpers import docx, pdf, register

    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    load_profile("hatinh-ubnd", demo_users=True, password=PASSWORD)
    clerk = person("ht.vanthu1")
    register(clerk, files=[pdf()], summary="Báo cáo tình hình kinh tế - xã hội quý I")
    register(clerk, files=[docx()], summary="Kế hoạch tổ chức Hội nghị tổng kết năm")
    before = snapshot()
    assert len(before["files"]) == 2
    for attachment in Attachment.objects.all():
        assert sha256(Path(attachment.file.path)) == attachment.sha256

    env = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(media), "BACKUP_DIR": str(tmp_path / "bk")}
    run_block("backup", env)
    assert (tmp_path / "bk" / "eoffice.dump").stat().st_size > 0

    # Disaster: every table gone, every uploaded file gone.
    connections.close_all()
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    connections.close_all()
    shutil.rmtree(media)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        assert cursor.fetchone()[0] == 0

    run_block("restore", env)
    connections.close_all()

    assert snapshot() == before
    for attachment in Attachment.objects.all():
        path = Path(attachment.file.path)
        assert path.exists(), path
        assert sha256(path) == attachment.sha256, f"{attachment.original_name} changed in the restore"


def test_the_restore_refuses_a_tampered_backup(
    transactional_db, django_db_serialized_rollback, settings, tmp_path, person
):
    from office.services.profiles import load_profile
    from tests.conftest import PASSWORD
    from tests.incoming_helpers import pdf, register

    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    load_profile("hatinh-ubnd", demo_users=True, password=PASSWORD)
    register(person("ht.vanthu1"), files=[pdf()])
    env = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(media), "BACKUP_DIR": str(tmp_path / "bk")}
    run_block("backup", env)
    with (tmp_path / "bk" / "media.tar.gz").open("ab") as fh:
        fh.write(b"tampered")
    result = subprocess.run(["bash", "-c", documented_block("restore")], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr
