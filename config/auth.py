"""Signing in with a username and password, and loading the signed-in person on each request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class OfficeModelBackend(ModelBackend):
    """Django's ModelBackend, except that the user is read with their staff profile and office in
    one query: every page reads both (the layout, the visibility rules), which took two more
    queries per request. Sessions from before this backend was configured sign in again once."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("staff__organisation").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
