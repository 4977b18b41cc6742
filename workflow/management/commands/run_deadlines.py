"""`python manage.py run_deadlines [--now ISO]`: the periodic deadline scan, on demand."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from workflow.services.scan import run_deadline_scan


class Command(BaseCommand):
    help = "Quét thời hạn: nhắc việc sắp đến hạn, đánh dấu quá hạn, báo cáo vượt cấp (như tác vụ định kỳ)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", help="Thời điểm quét (ISO 8601, ví dụ 2026-02-25T08:00); mặc định: bây giờ.")
        parser.add_argument("--no-generate", action="store_true", help="Không sinh lịch họp, báo cáo định kỳ.")

    def handle(self, *args, **options) -> None:
        now = None
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None:
                day = parse_date(options["now"])
                if day is None:
                    raise CommandError(f"Thời điểm «{options['now']}» không hợp lệ (dùng ISO 8601).")
                now = dt.datetime.combine(day, dt.time.min)
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        summary = run_deadline_scan(now, generate=not options["no_generate"])
        self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
