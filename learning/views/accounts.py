"""Sign-up, log-in and the lockout page; logout and the password views are Django's own (see accounts_urls)."""

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from learning import services
from learning.api.errors import error_json_response
from learning.exceptions import LearningError
from learning.forms import SignupForm, add_learning_error

SIGNUP_FIELDS = {"password": "password1"}
LOCKOUT_STATUS = 429


def signup(request: HttpRequest) -> HttpResponse:
    """Create a learner through `learner_register` (the API's sign-up too), log them in, then onboard them."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = services.learner_register(username=data["username"], email=data["email"], password=data["password1"])
        except LearningError as error:
            add_learning_error(form, error, SIGNUP_FIELDS)
        else:
            # Our ModelBackend by name: axes' backend only checks credentials, and there are none to check here.
            login(request, user, backend="learning.auth_backends.UsernameBackend")
            return redirect("learning:onboarding")
    return render(request, "registration/signup.html", {"form": form}, status=400 if form.is_bound else 200)


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view (this browser stays signed in), then every other session and every API token is revoked."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.credentials_revoke(user=form.user, keep_session_key=self.request.session.session_key)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, then every session and API token of the account is revoked: whoever knew the old password
    (or holds a stolen token) is signed out."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.credentials_revoke(user=form.user)
        return response


def lockout(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What django-axes answers after too many failed log-ins (AXES_LOCKOUT_CALLABLE): a page explaining when to
    try again, or the API's JSON error body for the API's token endpoint."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60) if settings.AXES_COOLOFF_TIME else None
    message = "Too many failed log-in attempts. " + (
        f"Try again in {minutes} minutes." if minutes else "Ask an administrator to unlock your account."
    )
    if request.path.startswith("/api/"):
        return error_json_response("locked_out", message, LOCKOUT_STATUS)
    return render(request, "registration/lockout.html", {"minutes": minutes, "message": message}, status=LOCKOUT_STATUS)
