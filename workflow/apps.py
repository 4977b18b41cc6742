from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflow"
    verbose_name = "Phiếu trình, thời hạn"

    def ready(self) -> None:
        from office.services.profiles import ProfileExtension, register_extension
        from workflow.services import schedules

        # A profile with a schedule that makes no sense (31 February, Thursday of the 5th week)
        # is refused at load time, with the core checks.
        register_extension(
            ProfileExtension(name="schedules", validate=schedules.validate_profile_data, load=lambda *args: None)
        )
