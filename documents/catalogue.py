"""The NĐ 30/2020 document-type catalogue (Điều 7, Phụ lục III Mục I; vn-standards.md §1.2).

Statutory abbreviations keep their mixed case (QyĐ, CTr, TTr). Công văn and thư công have
no abbreviation. ensure_document_types() restores the catalogue idempotently (profiles call it).
"""

from __future__ import annotations

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


CODES = frozenset(code for code, _, _ in TYPES)


def ensure_document_types() -> None:
    from documents.models import DocumentType

    existing = set(DocumentType.objects.values_list("code", flat=True))
    DocumentType.objects.bulk_create(
        [
            DocumentType(code=code, name=name, abbreviation=abbr, is_statutory=True, order=order)
            for order, (code, name, abbr) in enumerate(TYPES)
            if code not in existing
        ]
    )
