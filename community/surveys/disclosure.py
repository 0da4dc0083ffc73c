"""Moved to ``community.disclosure`` (the one disclosure rule); kept so old imports work."""

from ..disclosure import *  # noqa: F403
from ..disclosure import __all__  # noqa: F401
