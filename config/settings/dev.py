"""Local development and `make run`: debug pages, the embedded SQLite database."""

from .base import *  # noqa: F403

DEBUG = True
