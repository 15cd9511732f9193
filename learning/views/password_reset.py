"""Password reset that tells nothing about which addresses have accounts, and cannot be used to flood a mailbox.

- The same work is done in the request whether the address is known or not: a token and the rendered email for the
  account, or for a stand-in that nobody receives. Sending (an SMTP round trip) happens after the response has gone
  out, so its time is never part of the answer.
- Limits on the shared cache: per client address (a 429 page when exceeded) and per email address (silently: the
  answer looks the same, no email is sent), DEEPPATH_PASSWORD_RESET_RATE_IP and _EMAIL.
"""

import logging

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.mail import EmailMultiAlternatives
from django.shortcuts import render
from django.template import loader

from learning.client_address import client_address
from learning.rate_limits import parse_rate, rate_window_hit

logger = logging.getLogger(__name__)
LIMITED_STATUS = 429


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, rendering its emails into `outbox` instead of sending them."""

    def save(self, **kwargs) -> None:
        self.outbox: list[EmailMultiAlternatives] = []
        self._stand_in = False
        super().save(**kwargs)
        if self._stand_in:
            self.outbox = []

    def get_users(self, email):
        limit, period = parse_rate(settings.DEEPPATH_PASSWORD_RESET_RATE_EMAIL)
        allowed, _ = rate_window_hit(f"password-reset-email:{email.casefold()}", limit=limit, period=period)
        users = list(super().get_users(email)) if allowed else []
        if users:
            return users
        # An unknown (or over-limit) address: the same token and rendering for a stand-in account, then discarded.
        self._stand_in = True
        return [get_user_model()(email=email, password=UNUSABLE_PASSWORD_PREFIX)]

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        message = EmailMultiAlternatives(
            subject, loader.render_to_string(email_template_name, context), from_email, [to_email]
        )
        if html_email_template_name:
            message.attach_alternative(loader.render_to_string(html_email_template_name, context), "text/html")
        self.outbox.append(message)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def post(self, request, *args, **kwargs):
        limit, period = parse_rate(settings.DEEPPATH_PASSWORD_RESET_RATE_IP)
        allowed, wait = rate_window_hit(f"password-reset-ip:{client_address(request)}", limit=limit, period=period)
        if not allowed:
            minutes = max(1, round(wait / 60))
            response = render(request, "registration/password_reset_limited.html", {"minutes": minutes}, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        for message in form.outbox:
            # Called by the server once the response has been sent (Django's hook for a response's resources).
            response._resource_closers.append(lambda message=message: _send(message))
        return response


def _send(message: EmailMultiAlternatives) -> None:
    try:
        message.send()
    except Exception:  # an unreachable mail server must not turn into an error after the page was sent
        logger.exception("The password reset email to %s could not be sent.", message.to)
