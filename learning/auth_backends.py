"""Log-in by username whatever its case or Unicode form, as usernames are unique that way (learning.usernames)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from learning.usernames import username_normalise


class UsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            wanted = username_normalise(str(username))
            stored = (
                get_user_model()
                .objects.filter(username__iexact=wanted)
                .order_by("pk")
                .values_list("username", flat=True)
                .first()
            )
            username = stored or wanted
        return super().authenticate(request, username=username, password=password, **kwargs)
