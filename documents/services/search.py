"""Search without regard to Vietnamese diacritics or case.

"quyet dinh" finds "Quyết định", "Đăk Lăk" finds "Đắk Lắk". Each document keeps a
normalised `search_text` (lower case, no diacritics, đ → d). On PostgreSQL a trigram GIN
index on that column answers `LIKE '%…%'` (migration 0002); on SQLite the same query
scans the column. One code path, same results on both.
"""

from __future__ import annotations

import unicodedata

from django.db.models import QuerySet


def normalise(text: str) -> str:
    """Lower-case, strip combining marks (NFD) and map đ/Đ to d: the folding PostgreSQL's unaccent does."""
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.lower().split())


def incoming_search_text(doc) -> str:
    parts = [str(doc.number), doc.symbol, doc.sender, doc.summary, doc.doc_type.name if doc.doc_type_id else ""]
    return normalise(" ".join(p for p in parts if p))


def search_incoming(qs: QuerySet, q: str) -> QuerySet:
    """Every word of the query must appear (in any order); a number also matches số đến exactly."""
    words = normalise(q).split()
    for word in words[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs
