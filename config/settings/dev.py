"""Local development and `make run`: debug pages, the embedded SQLite database."""

import os

from .base import *  # noqa: F403

DEBUG = True
# Inbox e-mails are printed where `make run` runs.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
