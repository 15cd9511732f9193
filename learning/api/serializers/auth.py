"""Sign-up and tokens."""

from rest_framework import serializers

from learning.api.fields import StrictCharField, StrictEmailField
from learning.api.serializers.learners import UserSerializer
from learning.usernames import RULE, validate_username


class RegisterSerializer(serializers.Serializer):
    # Lengths and characters as Django's User model; the service checks uniqueness and the password validators.
    username = StrictCharField(max_length=150, validators=[validate_username], help_text=f"NFKC-normalised. {RULE}")
    email = StrictEmailField(max_length=254)
    password = StrictCharField(max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"})


class CredentialsSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown once; stored hashed.")
    expires_at = serializers.DateTimeField(allow_null=True)


class RegisteredSerializer(TokenSerializer):
    user = UserSerializer()
