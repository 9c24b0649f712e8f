"""The locust user mix of bench/web.py (run by it; not meant to be run alone).

Reads its identities and sample ids from the JSON file named by BENCH_WEB_CONFIG: for each
role a list of {"token": ..., "session": ..., "cases": [...], "people": [...],
"requests": [...], "words": [...]} prepared by bench/web.py against the loaded database.
"""

import json
import os
import random

from locust import FastHttpUser, between, task

with open(os.environ["BENCH_WEB_CONFIG"], encoding="utf-8") as fh:
    CONFIG = json.load(fh)
ROLES = sorted(CONFIG["identities"])


class Staff(FastHttpUser):
    wait_time = between(0.5, 1.5)
    _n = 0

    def on_start(self) -> None:
        Staff._n += 1  # the roles in turn, so each one is in the mix at any user count
        role = ROLES[Staff._n % len(ROLES)]
        self.me = random.choice(CONFIG["identities"][role])
        self.api = {"Authorization": f"Token {self.me['token']}", "Accept": "application/json"}
        self.page = {"Cookie": f"{CONFIG['session_cookie']}={self.me['session']}"}

    def _get(self, url: str, name: str, headers: dict[str, str]) -> None:
        with self.client.get(
            url, name=name, headers=headers, catch_response=True, allow_redirects=False
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    def _pick(self, key: str) -> str | None:
        items = self.me[key]
        return random.choice(items) if items else None

    @task(3)
    def me_api(self) -> None:
        self._get("/api/v1/me/", "api me", self.api)

    @task(3)
    def case_list_api(self) -> None:
        self._get("/api/v1/cases/", "api case list", self.api)

    @task(2)
    def case_list_page(self) -> None:
        self._get("/cases/", "page case list", self.page)

    @task(2)
    def case_search_api(self) -> None:
        self._get(
            f"/api/v1/cases/?q={random.choice(self.me['words'])}", "api case search", self.api
        )

    @task(2)
    def case_detail_api(self) -> None:
        if case := self._pick("cases"):
            self._get(f"/api/v1/cases/{case}/", "api case detail", self.api)

    @task(2)
    def case_page(self) -> None:
        if case := self._pick("cases"):
            self._get(f"/cases/{case}/", "page case detail", self.page)

    @task(2)
    def people_search_api(self) -> None:
        self._get(
            f"/api/v1/people/?q={random.choice(self.me['words'])}", "api people search", self.api
        )

    @task(2)
    def person_detail_api(self) -> None:
        if person := self._pick("people"):
            self._get(f"/api/v1/people/{person}/", "api person detail", self.api)

    @task(1)
    def tracing_list_api(self) -> None:
        self._get("/api/v1/tracing-requests/", "api tracing list", self.api)

    @task(1)
    def tracing_detail_api(self) -> None:
        if req := self._pick("requests"):
            self._get(f"/api/v1/tracing-requests/{req}/", "api tracing detail", self.api)

    @task(2)
    def home_page(self) -> None:
        self._get("/", "page home", self.page)
