"""Input and output serializers of the API, by area."""
