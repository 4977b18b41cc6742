from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Văn bản"

    def ready(self) -> None:
        from documents.services import signing
        from office.services.profiles import ProfileExtension, register_extension

        register_extension(
            ProfileExtension(
                name="signing_matrix",
                validate=lambda data: (
                    signing.validate_signing_matrix((data.get("rules") or {}).get("signing_matrix") or [])
                    + signing.validate_signing_for_principal(
                        (data.get("rules") or {}).get("signing_for_principal") or []
                    )
                ),
                load=signing.load_signing_matrix,
            )
        )
