"""An open implementation of Altegio's Business Management API."""

__version__ = "0.1.0"
