#!/usr/bin/env bash
# Fuzz /api/v1/ against its own OpenAPI schema with schemathesis, as an officer, as a national
# focal point and anonymously, on a fresh SQLite database seeded with the demo network.
# Fails on any server error, undocumented status code or response that does not match the schema.
#
#   scripts/schemathesis.sh            (MAX_EXAMPLES=10 SEED=20101 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
ST="${ST:-$(dirname "$PY")/st}"
MAX_EXAMPLES="${MAX_EXAMPLES:-10}"
SEED="${SEED:-20101}"
WORKERS="${WORKERS:-1}"  # hypothesis can trip over itself in parallel threads

WORK="$PWD/var/schemathesis"
rm -rf "$WORK"
mkdir -p "$WORK"
export DJANGO_SETTINGS_MODULE=config.settings.dev
export ENLACE_VAR_DIR="$WORK" DATABASE_URL="sqlite:///$WORK/enlace.sqlite3"
export ENLACE_SCHEMATHESIS=1 DEBUG_PROPAGATE_EXCEPTIONS=0

started=$(date +%s)
"$PY" manage.py migrate --noinput --verbosity 0
"$PY" manage.py seed_demo > /dev/null
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"

"$(dirname "$PY")/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --timeout 60 --limit-request-line 8190 --no-control-socket --access-logfile /dev/null --error-logfile "$WORK/server.log" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT INT TERM
"$PY" - "$BASE" <<'WAIT'
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(sys.argv[1] + "/api/v1/schema/", timeout=5)
        break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit("the server did not start: see var/schemathesis/server.log")
WAIT

token() {
  "$PY" - "$BASE" "$1" <<'TOKEN'
import json, sys, urllib.request
body = json.dumps({"username": sys.argv[2], "password": "enlace-demo"}).encode()
request = urllib.request.Request(
    sys.argv[1] + "/api/v1/auth/token/", body, {"Content-Type": "application/json"}
)
print(json.load(urllib.request.urlopen(request, timeout=30))["token"])
TOKEN
}
OFFICER="$(token oficial.mx)"
FOCAL="$(token focal.mx)"

status=0
run() {
  local who="$1"; shift
  echo "=== schemathesis as $who ==="
  # The schema documents the token only (AUTHENTICATION_WHITELIST), so no session cookie is
  # generated: a junk cookie beside a valid token is ignored by design, and schemathesis would
  # report it as "ignored auth", a false positive.
  "$ST" --config-file schemathesis.toml --no-color run "$BASE/api/v1/schema/" --checks all \
    --seed "$SEED" --max-examples "$MAX_EXAMPLES" --workers "$WORKERS" --request-timeout 30 --output-truncate true \
    --report junit --report-junit-path "$WORK/junit-$who.xml" "$@" || status=1
}
# DELETE /auth/token/ revokes the caller's own token: with a real token it would end the run's
# authentication half-way, so it is exercised by the anonymous run only (where it must be 401).
KEEP_TOKEN=(--exclude-operation-id auth_token_destroy)
run officer -H "Authorization: Token $OFFICER" "${KEEP_TOKEN[@]}"
run focal-point -H "Authorization: Token $FOCAL" "${KEEP_TOKEN[@]}"
run anonymous
echo "schemathesis: $(( $(date +%s) - started )) s in all; server log: $WORK/server.log"
exit $status
