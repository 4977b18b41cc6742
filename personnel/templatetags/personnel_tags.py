from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, key)


@register.filter
def days_vi(value) -> str:
    """2 → "2", 1.5 → "1,5": a length in half days, with the Vietnamese decimal comma."""
    from personnel.services.common import fmt_days

    return fmt_days(value) if value is not None else ""


@register.simple_tag
def period_vi(obj) -> str:
    """«chiều 09/03/2026–sáng 10/03/2026»: a leave's or a trip's dates, naming its half days."""
    start = ("chiều " if obj.starts_afternoon else "") + obj.start.strftime("%d/%m/%Y")
    end = ("sáng " if obj.ends_at_noon else "") + obj.end.strftime("%d/%m/%Y")
    return f"{start}–{end}"
