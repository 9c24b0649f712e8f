"""Test settings: fast hashing, tasks run at once, no lock-out between tests."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One test process: its memory is enough (enlace/portal/tests/test_shared_cache.py tries the
# shared database cache production uses).
CACHES = cache_config("locmem://")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = True
MEDIA_ROOT = BASE_DIR / "var" / "test-private"
STORAGES = {  # no manifest needed in tests
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
OTP_TOTP_THROTTLE_FACTOR = 0  # tests send a wrong code and then the right one at once
# Matrix tests hit a public page once per role and relation from one address; the rate-limit
# tests set their own small limit.
ENLACE_PUBLIC_RATE = "10000/m"
ENLACE_PRACTICE_ASK_RATE = "10000/m"  # the same for "Ask the author" (enlace.practices)
# …and for the portal's follow-up lock-out (enlace.portal.lockout; its tests set their own).
ENLACE_PORTAL_FOLLOW_FAILURES_PER_CODE = "10000/h"
ENLACE_PORTAL_FOLLOW_FAILURES_PER_IP = "10000/h"
ENLACE_PORTAL_SUBMIT_RATE = "10000/h"
