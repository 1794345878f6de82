"""Source text to Plan values."""
from .document import parse_source

__all__ = ["parse_source"]
