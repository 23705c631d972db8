"""crosscheck: cross-check facts across news articles about the same stories."""

__version__ = "0.1.0"
