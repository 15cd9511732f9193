"""The REST API v1 of the learning domain: parsing and rendering only; services and selectors do the work."""
