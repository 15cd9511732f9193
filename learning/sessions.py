"""The session engine (SESSION_ENGINE): Django's database sessions, stored with the user's id."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from learning.models.sessions import LearnerSession


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        return LearnerSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            session.user_id = None
        return session
