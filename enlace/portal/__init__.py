"""The public portal (issue 17): migrants and their relatives find the right office, ask for
consular help, file a family tracing request, follow it with a code and a secret, and read
their rights — without an account, in es/en/pt/fr/ht, on a basic phone, and without ever
learning whether anyone is registered.

Two halves, kept apart:

- intake (`models.py`, `services.py`, `views.py`, `urls.py`, `api.py`): anonymous requests,
  held for an office's triage before they touch anything, followed with reference + secret;
- information (`info_views.py`, `info_urls.py`): the office directory, the rights pages, the
  installable web app (manifest + service worker) that keeps them offline.

The portal stands above cases and tracing (triage turns a request into a case or a tracing
request through their services); no app imports it.
"""
