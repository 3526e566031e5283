#!/usr/bin/env bash
# Schemathesis over the whole OpenAPI schema of a running Kraftsenter (gunicorn, SQLite, the
# demo content), anonymously and with an editor's token. Fails on any server error or any
# response that breaks the schema, and on a crash of Schemathesis itself. Bounded: FUZZ_SECONDS
# per pass (default 300; a pass takes about 60-130 s on the CI machine, so the bound is a
# backstop for a hang, not the usual end).
#   make fuzz            (CI runs it from .ci/run)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.venv/bin
seconds=${FUZZ_SECONDS:-300}
examples=${FUZZ_EXAMPLES:-15}
work=$(mktemp -d /tmp/ks-fuzz.XXXXXX)
report=${FUZZ_REPORT_DIR:-var/fuzz}
mkdir -p "$report"
export DATABASE_URL="sqlite:///$work/fuzz.sqlite3"
export KRAFTSENTER_DEBUG=0 DJANGO_SECRET_KEY=fuzz-only-not-secret KRAFTSENTER_SECURE_COOKIES=0
export KRAFTSENTER_API_RATE_ANONYMOUS="" KRAFTSENTER_API_RATE_AUTHENTICATED=""
export KRAFTSENTER_SOURCES_TIMEOUT=2 KRAFTSENTER_DATA_DIR="" KRAFTSENTER_STATIC_FINDERS=1

echo "== fuzz: demo database in $work"
$BIN/kraftsenter migrate --noinput -v 0
$BIN/kraftsenter load_demo >/dev/null
token=$($BIN/kraftsenter create_token hamar-redaktor --name fuzz --days 1 2>/dev/null)

port=$($BIN/python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
$BIN/gunicorn config.wsgi -w 2 -b "127.0.0.1:$port" --log-level warning \
  --error-logfile "$report/gunicorn.log" &
server=$!
stop() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap stop EXIT
for _ in $(seq 50); do
  $BIN/python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/api/v1/openapi.json', timeout=2)" \
    2>/dev/null && break
  sleep 0.2
done

schema="http://127.0.0.1:$port/api/v1/openapi.json"
checks="not_a_server_error,response_schema_conformance"
status=0
for who in anonymous editor; do
  echo "== fuzz: $who (at most ${seconds}s, $examples examples per operation)"
  auth=()
  [ "$who" = editor ] && auth=(-H "Authorization: Bearer $token")
  # The output is kept beside the JUnit report so that the pass can be read afterwards.
  set +e
  timeout --signal=INT "$seconds" $BIN/schemathesis run "$schema" "${auth[@]}" \
    --checks "$checks" --max-examples "$examples" --workers 2 \
    --generation-deterministic --suppress-health-check all \
    --report junit --report-junit-path "$report/$who.xml" 2>&1 | tee "$report/$who.log"
  status=${PIPESTATUS[0]}
  set -e
  # A crash of the tool is no pass, however it exits (an interrupt in its stateful phase once
  # ended in "Internal Error" with status 130).
  if grep -q "^Internal Error" "$report/$who.log"; then
    echo "== fuzz: $who: Schemathesis crashed (see $report/$who.log); the pass does not count"
    status=1
  elif [ "$status" = 124 ] || [ "$status" = 130 ]; then
    # The time bound ended the pass: what ran is reported and counts, and the log says so.
    echo "== fuzz: $who: stopped by the ${seconds}s bound; the phases above ran and passed"
    status=0
  fi
  [ "$status" = 0 ] || break
done
exit "$status"
