"""The locust user mix of bench/web.py (run by it; not meant to be run alone).

Reads its identities and sample ids from the JSON file named by BENCH_WEB_CONFIG (prepared by
bench/web.py against the loaded database): for each role a list of {"token", "session", sample
ids per kind ("cases", "returns", "trafficking", ...), "probes": [[name, kind, url], ...],
"words"}, the ids every visitor may open ("public") and the anonymous visitors' probes.

Each simulated user takes the next role in turn (the staff roles, the secretariat's analyst, an
association's representative, an anonymous visitor of the public pages and the portal) and
walks that role's journeys (JOURNEYS: weight, name, API or page, URL). About one request in
twenty (PROBE_SHARE) is a probe: a record the user must not see. A probe answered 200 is a
failure named "cross-tenant 200" (bench/web.py counts them); the expected answer is 404 (for
an anonymous visitor: the log-in page, 401 or 403).
"""

import json
import os
import random
from typing import Any

from locust import FastHttpUser, between, task

with open(os.environ["BENCH_WEB_CONFIG"], encoding="utf-8") as fh:
    CONFIG = json.load(fh)
PUBLIC: dict[str, Any] = CONFIG["public"]
PROBE_SHARE = 0.05
CROSS_TENANT = "cross-tenant 200"

# Journeys: (weight, name, "api" | "page" | "anon", URL template). Templates take {case},
# {person}, {request}, {ret}, {rights}, {portal}, {trafficking}, {association} (the user's own
# samples: skipped when it has none), {word}, and the public samples {practice}, {assoc},
# {municipality}, {forum}, {meeting}, {item}, {country}, {send}/{recv} (a corridor).
CASEWORK = [
    (3, "api me", "api", "/api/v1/me/"),
    (2, "page home", "page", "/"),
    (3, "api case list", "api", "/api/v1/cases/"),
    (2, "page case list", "page", "/cases/"),
    (2, "api case search", "api", "/api/v1/cases/?q={word}"),
    (2, "api case detail", "api", "/api/v1/cases/{case}/"),
    (2, "page case detail", "page", "/cases/{case}/"),
    (2, "api people search", "api", "/api/v1/people/?q={word}"),
    (2, "api person detail", "api", "/api/v1/people/{person}/"),
    (1, "api tracing list", "api", "/api/v1/tracing-requests/"),
    (1, "api tracing detail", "api", "/api/v1/tracing-requests/{request}/"),
    (1, "page inbox", "page", "/inbox/"),
    (1, "api inbox list", "api", "/api/v1/inbox/"),
    (1, "page forums", "page", "/forums/"),
    (1, "page forum meeting", "page", "/forums/meetings/{meeting}/"),
]
OFFICE_STAFF = [
    *CASEWORK,
    (1, "api return list", "api", "/api/v1/returns/"),
    (1, "page return list", "page", "/returns/"),
    (1, "api return detail", "api", "/api/v1/returns/{ret}/"),
    (1, "page return detail", "page", "/returns/{ret}/"),
    (1, "page rights requests", "page", "/privacy/requests/"),
    (1, "page rights request", "page", "/privacy/requests/{rights}/"),
    (1, "page portal triage list", "page", "/portal/triage/"),
    (1, "page portal triage detail", "page", "/portal/triage/{portal}/"),
    (1, "api trafficking list", "api", "/api/v1/trafficking-cases/"),
    (1, "page practices library", "page", "/practices/"),
]
JOURNEYS: dict[str, list[tuple[int, str, str, str]]] = {
    "officer": OFFICE_STAFF,
    "supervisor": [*OFFICE_STAFF, (1, "page breaches", "page", "/privacy/breaches/")],
    "national_focal_point": [
        *CASEWORK,
        (1, "api return list", "api", "/api/v1/returns/"),
        (1, "page return list", "page", "/returns/"),
        (1, "api return detail", "api", "/api/v1/returns/{ret}/"),
        (1, "api trafficking list", "api", "/api/v1/trafficking-cases/"),
        (1, "page trafficking list", "page", "/trafficking/"),
        (1, "page trafficking alerts", "page", "/trafficking/alerts/"),
        (1, "page remittance quotes", "page", "/remittances/quotes/"),
        (1, "api remittance quote list", "api", "/api/v1/remittance-quotes/"),
        (1, "page breaches", "page", "/privacy/breaches/"),
        (1, "page forum item", "page", "/forums/items/{item}/"),
    ],
    "trafficking_focal_point": [
        (3, "api me", "api", "/api/v1/me/"),
        (2, "page home", "page", "/"),
        (3, "api trafficking list", "api", "/api/v1/trafficking-cases/"),
        (2, "page trafficking list", "page", "/trafficking/"),
        (2, "api trafficking search", "api", "/api/v1/trafficking-cases/?q={word}"),
        (2, "api trafficking detail", "api", "/api/v1/trafficking-cases/{trafficking}/"),
        (2, "page trafficking detail", "page", "/trafficking/{trafficking}/"),
        (1, "page trafficking alerts", "page", "/trafficking/alerts/"),
        (1, "page trafficking access requests", "page", "/trafficking/access-requests/"),
        (1, "page trafficking network", "page", "/trafficking/network/"),
        (1, "api case list", "api", "/api/v1/cases/"),
        (1, "page inbox", "page", "/inbox/"),
        (1, "api inbox list", "api", "/api/v1/inbox/"),
    ],
    "analyst": [
        (3, "api me", "api", "/api/v1/me/"),
        (2, "page home", "page", "/"),
        (2, "page indicators region", "page", "/indicators/"),
        (2, "page indicators country", "page", "/indicators/{country}/"),
        (2, "api indicators protection", "api", "/api/v1/indicators/protection/"),
        (
            1,
            "api indicators protection (country)",
            "api",
            "/api/v1/indicators/protection/?country={country}",
        ),
        (2, "page forums", "page", "/forums/"),
        (1, "page forum", "page", "/forums/{forum}/"),
        (1, "page forum meeting", "page", "/forums/meetings/{meeting}/"),
        (1, "page forum item", "page", "/forums/items/{item}/"),
        (1, "page forum commitments", "page", "/forums/commitments/"),
        (1, "api forum list", "api", "/api/v1/forums/"),
        (1, "page practices library", "page", "/practices/"),
        (1, "page breaches", "page", "/privacy/breaches/"),
        (1, "page inbox", "page", "/inbox/"),
    ],
    "association_rep": [
        (3, "api me", "api", "/api/v1/me/"),
        (2, "page home", "page", "/"),
        (2, "page diaspora manage", "page", "/diaspora/manage/"),
        (2, "page diaspora association edit", "page", "/diaspora/manage/{association}/"),
        (2, "api association list", "api", "/api/v1/associations/"),
        (1, "api association detail", "api", "/api/v1/associations/{assoc}/"),
        (1, "api association projects", "api", "/api/v1/associations/{assoc}/projects/"),
        (1, "page diaspora directory", "page", "/diaspora/"),
        (1, "page practices library", "page", "/practices/"),
        (1, "page my practices", "page", "/practices/mine/"),
        (1, "page inbox", "page", "/inbox/"),
    ],
    "anonymous": [
        (2, "public portal home", "anon", "/portal/"),
        (1, "public portal offices", "anon", "/portal/offices/"),
        (1, "public portal rights", "anon", "/portal/rights/"),
        (2, "public portal ask help (form)", "anon", "/portal/ask/help/"),
        (2, "public portal ask tracing (form)", "anon", "/portal/ask/tracing/"),
        (1, "public portal follow (form)", "anon", "/portal/follow/"),
        (2, "public api request status", "anon", "follow"),
        (2, "public remittances compare", "anon", "/remittances/?from={send}&to={recv}&amount=200"),
        (
            2,
            "public api remittances compare",
            "anon",
            "/api/v1/remittances/compare/?from={send}&to={recv}&amount=200",
        ),
        (1, "public remittance corridors", "anon", "/remittances/corridors/"),
        (1, "public remittance corridor", "anon", "/remittances/corridors/{send}/{recv}/"),
        (2, "public practices library", "anon", "/practices/"),
        (1, "public practices search", "anon", "/practices/?q=retorno"),
        (1, "public practice detail", "anon", "/practices/{practice}/"),
        (1, "public api practice list", "anon", "/api/v1/practices/"),
        (2, "public diaspora directory", "anon", "/diaspora/"),
        (1, "public association page", "anon", "/diaspora/associations/{assoc}/"),
        (1, "public municipality page", "anon", "/diaspora/municipalities/{municipality}/"),
        (1, "public api association list", "anon", "/api/v1/associations/"),
        (2, "public indicators region", "anon", "/indicators/"),
        (1, "public api indicators protection", "anon", "/api/v1/indicators/protection/"),
        (1, "public forums", "anon", "/public/forums/"),
        (1, "public forum meeting", "anon", "/public/forums/meetings/{meeting}/"),
        (1, "public api forum list", "anon", "/api/v1/forums/"),
    ],
}
ROLES = [*sorted(CONFIG["identities"]), "anonymous"]
PUBLIC_KEYS = {
    "practice": "practices",
    "assoc": "associations",
    "municipality": "municipalities",
    "forum": "forums",
    "meeting": "meetings",
    "item": "items",
    "country": "countries",
}
OWN_KEYS = {
    "case": "cases",
    "person": "people",
    "request": "requests",
    "ret": "returns",
    "rights": "rights",
    "portal": "portal",
    "trafficking": "trafficking",
    "association": "association",
}


class Visitor(FastHttpUser):
    wait_time = between(0.5, 1.5)
    _n = 0

    def on_start(self) -> None:
        Visitor._n += 1  # the roles in turn, so each one is in the mix at any user count
        self.role = ROLES[Visitor._n % len(ROLES)]
        if self.role == "anonymous":
            self.me: dict[str, Any] = {"probes": CONFIG["anonymous_probes"]}
            self.api = {"Accept": "application/json"}
            self.page: dict[str, str] = {}
        else:
            self.me = random.choice(CONFIG["identities"][self.role])
            self.api = {"Authorization": f"Token {self.me['token']}", "Accept": "application/json"}
            self.page = {"Cookie": f"{CONFIG['session_cookie']}={self.me['session']}"}
        journeys = [j for j in JOURNEYS[self.role] if self._fill(j[3]) is not None]
        self.journeys = journeys
        self.weights = [j[0] for j in journeys]

    def _visitor_headers(self) -> dict[str, str]:
        # A visitor of the public pages: each request from its own address (as the reverse
        # proxy reports it), as many visitors would; the per-address rate limit stays on.
        ip = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        return {"X-Real-IP": ip, "Accept": "text/html,application/json"}

    def _fill(self, template: str) -> str | None:
        """The URL with sample ids, or None when the user has no sample of that kind."""
        if template == "follow":
            return template if PUBLIC["portal_codes"] else None
        values: dict[str, str] = {"word": random.choice(self.me.get("words") or ["maria"])}
        for key, sample in OWN_KEYS.items():
            if "{" + key + "}" in template:
                items = self.me.get(sample) or []
                if not items:
                    return None
                values[key] = random.choice(items)
        for key, sample in PUBLIC_KEYS.items():
            if "{" + key + "}" in template:
                items = PUBLIC.get(sample) or []
                if not items:
                    return None
                values[key] = random.choice(items)
        if "{send}" in template:
            values["send"], values["recv"] = random.choice(PUBLIC["corridors"])
        return template.format(**values)

    def _get(self, url: str, name: str, headers: dict[str, str]) -> None:
        with self.client.get(
            url, name=name, headers=headers, catch_response=True, allow_redirects=False
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    def _probe(self) -> None:
        name, kind, url = random.choice(self.me["probes"])
        if self.role == "anonymous":
            headers = self._visitor_headers()
            expected = {302, 401, 403, 404}
        else:
            headers = self.api if kind == "api" else self.page
            expected = {404}
        with self.client.get(
            url, name=name, headers=headers, catch_response=True, allow_redirects=False
        ) as r:
            if r.status_code == 200:
                r.failure(CROSS_TENANT)
            elif r.status_code not in expected:
                r.failure(f"HTTP {r.status_code}")
            else:
                r.success()

    def _follow(self, name: str) -> None:
        reference, secret = random.choice(PUBLIC["portal_codes"])
        headers = {**self._visitor_headers(), "X-Secret": secret}
        self._get(f"/api/v1/public/requests/{reference}/", name, headers)

    @task
    def journey(self) -> None:
        if self.me.get("probes") and random.random() < PROBE_SHARE:
            self._probe()
            return
        _w, name, kind, template = random.choices(self.journeys, self.weights)[0]
        if template == "follow":
            self._follow(name)
            return
        url = self._fill(template)
        if url is None:
            return
        if kind == "anon":
            self._get(url, name, self._visitor_headers())
        else:
            self._get(url, name, self.api if kind == "api" else self.page)
