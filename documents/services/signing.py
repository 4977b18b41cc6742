"""Signing authority  # thẩm quyền ký: who may sign which document, in which capacity.

The matrix is profile data (rules.signing_matrix → SigningRule rows); standing
authorisations are django-guardian object permissions on the document type
(`documents.sign_on_authorisation`); time-limited ones are Delegations of scope "sign";
absence is resolved at check time through office.services.delegation.acting_for, so an
authorisation ends with its dates (peers.md §D.5). Examples (hatinh-ubnd, 000 Điều 29):
- the Chánh signs in their own name (L333–340);
- a Phó Chánh signs KT. within the fields and units they supervise (L343), anything of the
  Chánh's when the Chánh is away and they act for the Chánh, or under the Chánh's
  authorisation (L341, L344);
- the head of Hành chính - Tổ chức signs TL. routine administrative papers only while
  authorised (L346).
A refused signature says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from documents.models import DocumentType, OutgoingDocument, SigningCapacity, SigningRule
from office.models import Delegation, DelegationScope, Organisation, Position, Post, Staff
from office.services.delegation import acting_for


@dataclass(frozen=True)
class SignDecision:
    allowed: bool
    reason: str = ""
    signed_for: Staff | None = None
    rule: SigningRule | None = None


def _capacity_label(capacity: str) -> str:
    return SigningCapacity(capacity).label if capacity in SigningCapacity.values else capacity


def _principal(org: Organisation, position: str) -> Staff | None:
    post = (
        Post.objects.filter(staff__organisation=org, position=position, unit__isnull=True, staff__is_active=True)
        .select_related("staff")
        .first()
    )
    return post.staff if post else None


def _authorised_by_delegation(principal: Staff | None, staff: Staff, day: dt.date) -> bool:
    if principal is None:
        return False
    return Delegation.objects.filter(
        principal=principal,
        deputy=staff,
        is_revoked=False,
        start__lte=day,
        end__gte=day,
        scope__in=[DelegationScope.SIGN, DelegationScope.ALL],
    ).exists()


def _within_own_sector(staff: Staff, doc: OutgoingDocument) -> bool:
    supervised = list(staff.supervisions.all())
    units = {s.unit_id for s in supervised if s.unit_id}
    sectors = {s.sector_id for s in supervised if s.sector_id}
    return doc.drafting_unit_id in units or (doc.sector_id is not None and doc.sector_id in sectors)


def check_signature(staff: Staff, doc: OutgoingDocument, capacity: str, day: dt.date | None = None) -> SignDecision:
    """May `staff` sign `doc` in `capacity` on `day`? The decision carries the reason when not."""
    day = day or timezone.localdate()
    if staff.organisation_id != doc.organisation_id:
        return SignDecision(False, "Người ký không thuộc cơ quan ban hành.")
    posts = list(staff.posts.all())
    held = {(p.position, p.unit.code if p.unit_id else "") for p in posts}
    rules = [
        r
        for r in SigningRule.objects.filter(organisation_id=doc.organisation_id, capacity=capacity).prefetch_related(
            "doc_types"
        )
        if any(pos == r.position and (not r.unit_code or unit == r.unit_code) for pos, unit in held)
        and (not r.doc_types.all() or doc.doc_type in r.doc_types.all())
    ]
    label = _capacity_label(capacity)
    if not rules:
        return SignDecision(
            False, f"Bạn không có thẩm quyền ký «{label}» đối với {doc.doc_type.name.lower()} theo quy chế của cơ quan."
        )
    reasons: list[str] = []
    for rule in rules:
        if rule.principal_title:  # signing for a principal outside the office: the profile lists what and who
            return SignDecision(True, rule=rule)
        principal = _principal(doc.organisation, rule.on_behalf_of) if rule.on_behalf_of else None
        authorised = _authorised_by_delegation(principal, staff, day)
        if rule.needs_authorisation and not (
            authorised or staff.user.has_perm("documents.sign_on_authorisation", doc.doc_type)
        ):
            reasons.append(
                f"Chỉ được ký «{label}» {doc.doc_type.name.lower()} khi được "
                f"{Position(rule.on_behalf_of).label if rule.on_behalf_of else 'cấp có thẩm quyền'} ủy quyền "
                f"({rule.source}); hiện chưa có ủy quyền."
            )
            continue
        if rule.when_principal_absent:
            if principal is None or acting_for(principal, day, DelegationScope.SIGN).pk != staff.pk:
                reasons.append(
                    f"Chỉ ký «{label}» khi {Position(rule.on_behalf_of).label} vắng mặt và phân công bạn làm thay "
                    f"({rule.source})."
                )
                continue
        if rule.scope == SigningRule.Scope.OWN_SECTOR and not (authorised or _within_own_sector(staff, doc)):
            reasons.append(
                f"Văn bản thuộc lĩnh vực, đơn vị ngoài phạm vi bạn được phân công phụ trách; chỉ ký «{label}» trong "
                f"lĩnh vực của mình hoặc khi được Chánh Văn phòng ủy quyền ({rule.source})."
            )
            continue
        return SignDecision(True, signed_for=principal, rule=rule)
    return SignDecision(False, reasons[0])


def grant_standing_authorisation(staff: Staff, doc_type: DocumentType) -> None:
    """Ủy quyền thường xuyên: the Chánh authorises someone to sign this document type."""
    assign_perm("documents.sign_on_authorisation", staff.user, doc_type)


def revoke_standing_authorisation(staff: Staff, doc_type: DocumentType) -> None:
    remove_perm("documents.sign_on_authorisation", staff.user, doc_type)


def validate_signing_matrix(entries: list[dict[str, Any]]) -> list[str]:

    problems = []
    for i, entry in enumerate(entries or []):
        where = f"Thẩm quyền ký thứ {i + 1}"
        if entry.get("position") not in Position.values:
            problems.append(f"{where}: chức vụ «{entry.get('position')}» không hợp lệ.")
        if entry.get("capacity", "") not in SigningCapacity.values:
            problems.append(f"{where}: thẩm quyền «{entry.get('capacity')}» không hợp lệ (KT, TL, TUQ, Q hoặc trống).")
        if entry.get("on_behalf_of") and entry["on_behalf_of"] not in Position.values:
            problems.append(f"{where}: «ký thay cho» «{entry['on_behalf_of']}» không hợp lệ.")
        if entry.get("capacity") and not entry.get("on_behalf_of"):
            problems.append(f"{where}: ký {entry['capacity']} phải nêu ký thay cho ai (on_behalf_of).")
        problems += _unknown_doc_types(where, entry)
    return problems


def _unknown_doc_types(where: str, entry: dict[str, Any]) -> list[str]:
    from documents.catalogue import CODES as type_codes

    types = entry.get("doc_types", "*")
    unknown = [] if types == "*" else [c for c in types if c not in type_codes]
    return [f"{where}: loại văn bản «{c}» không có trong danh mục." for c in unknown]


def validate_signing_for_principal(entries: list[dict[str, Any]]) -> list[str]:
    """rules.signing_for_principal: TL. signatures for a principal outside the office (daklak 001 L17:
    «Thừa lệnh Chủ tịch UBND tỉnh»; binhthuan 002 L326–L332: «Thừa lệnh Ban Thường vụ Tỉnh ủy»).
    An entry with `position` is a signing right; one with only `signer` records who decides (informative)."""

    problems = []
    for i, entry in enumerate(entries or []):
        where = f"Ký thừa lệnh lãnh đạo cấp trên thứ {i + 1}"
        if "position" not in entry:
            if not entry.get("signer"):
                problems.append(f"{where}: phải nêu chức vụ người ký (position) hoặc người duyệt ký (signer).")
            continue
        if entry["position"] not in Position.values:
            problems.append(f"{where}: chức vụ «{entry['position']}» không hợp lệ.")
        if entry.get("capacity", "") not in SigningCapacity.values or not entry.get("capacity"):
            problems.append(f"{where}: thẩm quyền «{entry.get('capacity')}» không hợp lệ (KT, TL, TUQ, Q).")
        if not str(entry.get("principal", "")).strip():
            problems.append(f"{where}: thiếu lãnh đạo, tập thể được ký thừa lệnh (principal).")
        problems += _unknown_doc_types(where, entry)
    return problems


@transaction.atomic
def load_signing_matrix(org: Organisation, data: dict[str, Any], result) -> None:
    """Profile extension: replace the organisation's SigningRule rows by the profile's matrix,
    writing only when something changed (loading stays idempotent)."""
    from documents.catalogue import ensure_document_types

    ensure_document_types()
    rules = data.get("rules") or {}
    for_principal = [e for e in rules.get("signing_for_principal") or [] if "position" in e]
    wanted = []
    for entry in [*(rules.get("signing_matrix") or []), *for_principal]:
        types = entry.get("doc_types", "*")
        wanted.append(
            (
                entry["position"],
                entry.get("unit", ""),
                entry.get("capacity", ""),
                entry.get("on_behalf_of", ""),
                str(entry.get("principal", "")).strip().upper(),
                tuple(sorted(types)) if types != "*" else (),
                entry.get("scope", SigningRule.Scope.ANY),
                bool(entry.get("when_principal_absent", False)),
                bool(entry.get("needs_authorisation", False)),
                str(entry.get("source", "")),
            )
        )
    existing = [
        (
            r.position,
            r.unit_code,
            r.capacity,
            r.on_behalf_of,
            r.principal_title,
            tuple(sorted(t.code for t in r.doc_types.all())),
            r.scope,
            r.when_principal_absent,
            r.needs_authorisation,
            r.source,
        )  # fmt: skip
        for r in SigningRule.objects.filter(organisation=org).prefetch_related("doc_types").order_by("pk")
    ]
    if existing == wanted:
        return
    SigningRule.objects.filter(organisation=org).delete()
    for position, unit, capacity, behalf, principal_title, types, scope, absent, needs, source in wanted:
        rule = SigningRule.objects.create(
            organisation=org, position=position, unit_code=unit, capacity=capacity, on_behalf_of=behalf,
            principal_title=principal_title, scope=scope, when_principal_absent=absent, needs_authorisation=needs,
            source=source,
        )  # fmt: skip
        if types:
            rule.doc_types.set(DocumentType.objects.filter(code__in=types))
    result.updated += 1
