"""Printable travel papers and introduction letters (A4 PDF, serif font with Vietnamese glyphs)."""

from __future__ import annotations

from django.template.loader import render_to_string

from office.models import Position, SymbolStyle
from personnel.models import PaperKind, TravelPaper
from personnel.services import common


def _signature(paper: TravelPaper) -> dict:
    """The signing block: «TL. CHỦ TỊCH» for the UBND's letter (000 Điều 40.3, L421); «KT.» for a deputy."""
    org = paper.organisation
    positions = common.positions_of(paper.signer)
    signer_title = paper.signer.main_post.display_title if paper.signer.main_post else ""
    labels = {"KT": "KT.", "TL": "TL."} | (org.rule("capacity_labels", {}) or {})  # Party: «K/T», «T/L»
    lines: list[str] = []
    if paper.on_behalf == "ubnd":
        lines = [str(org.rule("travel_paper.ubnd_letter_on_behalf", "TL. CHỦ TỊCH")), signer_title.upper()]
    elif Position.CHANH_VP in positions:
        lines = [signer_title.upper()]
    elif Position.PHO_CHANH_VP in positions:
        lines = [f"{labels['KT']} CHÁNH VĂN PHÒNG", signer_title.upper()]
    else:
        lines = [f"{labels['TL']} CHÁNH VĂN PHÒNG", signer_title.upper()]
    return {"lines": [line for line in lines if line], "name": paper.signer.full_name}


def _issuer(paper: TravelPaper) -> list[str]:
    """The issuing organ at the top left: the profile's header (parent, organ) or the office's name."""
    org = paper.organisation
    if paper.on_behalf == "ubnd":
        return ["ỦY BAN NHÂN DÂN TỈNH " + org.province.upper()]
    header = org.rule("header", {}) or {}
    if header.get("parent") and header.get("organ"):
        return [header["parent"], header["organ"]]
    return [org.name.upper()]


def paper_pdf(paper: TravelPaper) -> bytes:
    from weasyprint import HTML

    org = paper.organisation
    post = paper.staff.main_post
    context = {
        "paper": paper,
        "org": org,
        "party": org.symbol_style == SymbolStyle.PARTY,
        "issuer": _issuer(paper),
        "position": post.display_title if post else "",
        "signature": _signature(paper),
        "code": "GĐĐ" if paper.kind == PaperKind.TRAVEL else "GGT",
        "issued": paper.issued_at.date() if paper.issued_at else None,
    }
    template = (
        "personnel/pdf/travel_paper.html" if paper.kind == PaperKind.TRAVEL else "personnel/pdf/introduction.html"
    )
    return HTML(string=render_to_string(template, context)).write_pdf()
