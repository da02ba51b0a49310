"""Learning from Domestic Homicide Reviews: action-plan import, store and analytics."""

__version__ = "0.1.0"
