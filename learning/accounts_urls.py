"""/accounts/: sign-up and log-in of our own, then Django's logout (POST) and password change and reset views.

Included without a namespace, because Django's auth views redirect to these names (LOGIN_URL = "login").
"""

from django.urls import include, path

from learning import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("", include("django.contrib.auth.urls")),
]
