"""Compute remind_at for deadlines opened before the scan stored it."""

from django.db import migrations


def fill(apps, schema_editor):
    from workflow.services.deadlines import reminder_instant

    Deadline = apps.get_model("workflow", "Deadline")
    rows = Deadline.objects.filter(remind_at=None, state__in=["open", "due_soon", "overdue"])
    for deadline in rows.iterator():
        deadline.remind_at = reminder_instant(deadline.due_at, deadline.remind_before_days)
        deadline.save(update_fields=["remind_at"])


class Migration(migrations.Migration):
    dependencies = [("workflow", "0002_coordination_schedules_extensions")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
