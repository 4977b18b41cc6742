from django.apps import AppConfig


class OfficeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "office"
    verbose_name = "Tổ chức, lịch làm việc"

    def ready(self) -> None:
        from office import signals  # noqa: F401
