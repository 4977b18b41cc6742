"""python manage.py load_profile <profile> [--demo-users] [--password P]"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from office.services.profiles import available_profiles, load_profile


class Command(BaseCommand):
    help = "Nạp hồ sơ quy chế của một cơ quan (idempotent). Hồ sơ: " + ", ".join(available_profiles())

    def add_arguments(self, parser) -> None:
        parser.add_argument("profile", help="mã hồ sơ, ví dụ hatinh-ubnd, hoặc đường dẫn tệp .yaml")
        parser.add_argument("--demo-users", action="store_true", help="tạo một tài khoản cho mỗi chức vụ")
        parser.add_argument("--password", help="mật khẩu cho các tài khoản demo")

    def handle(self, *args, profile: str, demo_users: bool, password: str | None, **options) -> None:
        try:
            result = load_profile(profile, demo_users=demo_users, password=password)
        except ValidationError as exc:
            raise CommandError("Không nạp được hồ sơ:\n- " + "\n- ".join(exc.messages)) from exc
        org = result.organisation
        self.stdout.write(
            self.style.SUCCESS(f"{org.name} ({org.profile}): {result.created} mục mới, {result.updated} mục cập nhật.")
        )
        if result.demo_users:
            width = max(len(u) for u, _, _ in result.demo_users)
            self.stdout.write("Tài khoản demo (tên đăng nhập — họ tên — chức vụ):")
            for username, full_name, title in result.demo_users:
                self.stdout.write(f"  {username.ljust(width)}  {full_name} — {title}")
            if password is None:
                self.stdout.write(f"Mật khẩu demo (chỉ khi DEBUG bật): {settings.DEMO_PASSWORD}")
