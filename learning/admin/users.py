"""Django's user admin, with one change: a password set by a curator signs that user out everywhere, as a password
change or reset by the learner does (`credentials_revoke`)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse

from learning.services import credentials_revoke

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the new password was saved
            user = self.get_object(request, unquote(id))
            if user is not None:
                # A curator changing their own password keeps this browser (Django already moved its session to
                # the new password hash); every other session and every API token of that user goes.
                keep = request.session.session_key if user.pk == request.user.pk else None
                credentials_revoke(user=user, keep_session_key=keep)
        return response
