"""API views by area: auth, catalog, the learner's own data (me) and offline events."""
