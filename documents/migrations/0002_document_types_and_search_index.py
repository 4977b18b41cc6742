"""The NĐ 30 document-type catalogue (Phụ lục III, abbreviations in their statutory case) and,
on PostgreSQL, the trigram index that answers accent-insensitive search (peers.md §C.4, §E.6)."""

from django.db import migrations

# (code, name, abbreviation) — NĐ 30/2020 Điều 7 and Phụ lục III Mục I (vn-standards.md §1.2).
TYPES = [
    ("nghi_quyet", "Nghị quyết", "NQ"),
    ("quyet_dinh", "Quyết định", "QĐ"),
    ("chi_thi", "Chỉ thị", "CT"),
    ("quy_che", "Quy chế", "QC"),
    ("quy_dinh", "Quy định", "QyĐ"),
    ("thong_cao", "Thông cáo", "TC"),
    ("thong_bao", "Thông báo", "TB"),
    ("huong_dan", "Hướng dẫn", "HD"),
    ("chuong_trinh", "Chương trình", "CTr"),
    ("ke_hoach", "Kế hoạch", "KH"),
    ("phuong_an", "Phương án", "PA"),
    ("de_an", "Đề án", "ĐA"),
    ("du_an", "Dự án", "DA"),
    ("bao_cao", "Báo cáo", "BC"),
    ("bien_ban", "Biên bản", "BB"),
    ("to_trinh", "Tờ trình", "TTr"),
    ("hop_dong", "Hợp đồng", "HĐ"),
    ("cong_dien", "Công điện", "CĐ"),
    ("ban_ghi_nho", "Bản ghi nhớ", "BGN"),
    ("ban_thoa_thuan", "Bản thỏa thuận", "BTT"),
    ("giay_uy_quyen", "Giấy ủy quyền", "GUQ"),
    ("giay_moi", "Giấy mời", "GM"),
    ("giay_gioi_thieu", "Giấy giới thiệu", "GGT"),
    ("giay_nghi_phep", "Giấy nghỉ phép", "GNP"),
    ("phieu_gui", "Phiếu gửi", "PG"),
    ("phieu_chuyen", "Phiếu chuyển", "PC"),
    ("phieu_bao", "Phiếu báo", "PB"),
    ("cong_van", "Công văn", ""),
    ("thu_cong", "Thư công", ""),
]


def add_types(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for order, (code, name, abbr) in enumerate(TYPES):
        DocumentType.objects.update_or_create(
            code=code, defaults={"name": name, "abbreviation": abbr, "is_statutory": True, "order": order}
        )


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite searches the same normalised column without an index
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS incoming_search_trgm ON documents_incomingdocument "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS incoming_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_incoming_documents")]

    operations = [
        migrations.RunPython(add_types, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
