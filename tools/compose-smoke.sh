#!/usr/bin/env bash
# Smoke test of the compose stack, as a newcomer would use it: build the service image, bring
# every service up, get a token for the demo's Contoso Pharmacy client, schedule one delivery
# through the api-gateway (the only published port) and wait until its history shows it
# Completed; check that no other port is published; then `down -v`. Prints the time from `up` to
# that Completed delivery, and to the traffic generator's first one. On failure it prints every
# service's logs. Exit code 0 only when the delivery completed.
#
# Uses `docker compose` (v2) when there is one, else `docker-compose` (1.29). Images come from the
# environment like compose's own (POSTGRES_IMAGE, KAFKA_IMAGE, NODE_IMAGE, EXTRA_CA_CERTS; see
# README.md "Without a container registry"). Needs Node 24 and `npm ci` (it schedules with
# `npm run simulate`). Its own project name and ports, so a demo stack can keep running beside it:
#   SMOKE_PROJECT (drone-delivery-smoke), SMOKE_PORT_PREFIX (3: the gateway on 38080),
#   SMOKE_TIMEOUT_SECONDS (240: from `up` to Completed), SMOKE_LOG_LINES (300 per service
#   on failure), SMOKE_SKIP_BUILD=1 (use the image already built), SMOKE_KEEP=1 (leave it up).
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT="${SMOKE_PROJECT:-drone-delivery-smoke}"
PREFIX="${SMOKE_PORT_PREFIX:-3}"
TIMEOUT="${SMOKE_TIMEOUT_SECONDS:-240}"
LOG_LINES="${SMOKE_LOG_LINES:-300}"
export GATEWAY_PORT="${PREFIX}8080"

START=$(date +%s)
say() { printf '[smoke %4ss] %s\n' "$(($(date +%s) - START))" "$*"; }

if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
else
  echo "compose-smoke: neither \`docker compose\` (v2) nor \`docker-compose\` is installed" >&2
  exit 2
fi
compose() { "${COMPOSE[@]}" -p "$PROJECT" "$@"; }

print_logs() {
  say "FAILED: every service's state and its last $LOG_LINES log lines follow"
  compose ps || true
  for service in $(compose config --services); do
    # Services of profiles not in use (observability) have no container: nothing to show.
    [ -n "$(compose ps -q "$service" 2>/dev/null)" ] || continue
    printf '\n----- %s -----\n' "$service"
    compose logs --no-color --tail="$LOG_LINES" "$service" 2>&1 || true
  done
}

finish() {
  local status=$?
  trap - EXIT
  [ "$status" -eq 0 ] || print_logs
  if [ "${SMOKE_KEEP:-}" = 1 ]; then
    say "left up (SMOKE_KEEP=1): ${COMPOSE[*]} -p $PROJECT down -v"
  else
    say "down -v"
    compose down -v --remove-orphans >/dev/null 2>&1 || compose down -v || true
  fi
  say "done (exit $status)"
  exit "$status"
}
trap finish EXIT

say "using ${COMPOSE[*]} ($("${COMPOSE[@]}" version --short 2>/dev/null || "${COMPOSE[@]}" version | head -n 1)), project $PROJECT"
if [ "${SMOKE_SKIP_BUILD:-}" != 1 ]; then
  build_log="${TMPDIR:-/tmp}/$PROJECT-build.log"
  say "build the service image (full log: $build_log)"
  build_started=$(date +%s)
  # Only the step lines (legacy builder "Step 3/27", BuildKit "#7 [build 2/6]") as progress.
  if ! compose build 2>&1 | tee "$build_log" | { grep -E --line-buffered '^(Step [0-9]+/|#[0-9]+ \[)' || true; }; then
    tail -n 40 "$build_log"
    say "build failed"
    exit 1
  fi
  say "built in $(($(date +%s) - build_started)) s"
fi

# Clean slate: a previous run killed halfway may have left containers or volumes behind.
compose down -v --remove-orphans >/dev/null 2>&1 || true

say "up -d"
up_started=$(date +%s%N)
if ! compose up -d; then
  # docker-compose 1.29 gives up on a dependency that is not healthy within its healthcheck's
  # retries, and then does not start what depends on it. On a busy machine the slow starter is
  # usually fine a little later: one more `up` starts the rest, or fails for good.
  say "up -d gave up on a dependency; one more try"
  compose up -d
fi
say "every service started"
# The gateway is the one published port (the observability profile, not used here, adds its UIs).
published=$(compose ps -q | xargs -r -n1 docker port | sort -u)
say "published ports: $(echo "$published" | tr '\n' ' ')"
if [ "$(echo "$published" | grep -vc ":$GATEWAY_PORT\$" || true)" -ne 0 ]; then
  say "more than the gateway's port is published"
  exit 1
fi
say "scheduling a delivery through the gateway, http://localhost:$GATEWAY_PORT, once it answers"

# Seconds with one decimal from nanoseconds since `up` (no bc on minimal machines).
seconds_since_up() {
  local ms=$((($1 - up_started) / 1000000))
  printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}
remaining=$((TIMEOUT - ($(date +%s%N) - up_started) / 1000000000))
[ "$remaining" -gt 10 ] || { say "no time left for a delivery (SMOKE_TIMEOUT_SECONDS=$TIMEOUT)"; exit 1; }
# --wait: simulate waits until the gateway, a token and every public service answer.
npm run --silent simulate -- --deliveries 1 --concurrency 1 --timeout "$remaining" --poll-interval 250 \
  --wait "$remaining" --gateway-url "http://localhost:$GATEWAY_PORT"
say "from \`up\` to this delivery's Completed in its history: $(seconds_since_up "$(date +%s%N)") s"

# The dashboard, built into the image, served by the gateway at / with its script and CSP.
page=$(curl -fsS "http://localhost:$GATEWAY_PORT/" -H 'accept: text/html')
script=$(echo "$page" | grep -o '/assets/[^"]*\.js' | head -n 1 || true)
if [ -z "$script" ] || ! curl -fsS -o /dev/null "http://localhost:$GATEWAY_PORT$script"; then
  say "the gateway does not serve the dashboard at / (page: $(echo "$page" | head -c 300))"
  exit 1
fi
csp=$(curl -fsSI "http://localhost:$GATEWAY_PORT/" | grep -i '^content-security-policy:' || true)
[ -n "$csp" ] || { say "the dashboard is served without a Content-Security-Policy"; exit 1; }
say "the dashboard is served at http://localhost:$GATEWAY_PORT/ ($script)"

# The traffic generator's first Completed, from its own log line (epoch ms timestamps).
first_generated=$(compose logs --no-color traffic-generator 2>/dev/null |
  grep -m 1 '"delivery completed"' | grep -o '"timestamp":[0-9]*' | cut -d: -f2 || true)
if [ -n "$first_generated" ]; then
  say "from \`up\` to the traffic generator's first Completed: $(seconds_since_up $((first_generated * 1000000))) s"
else
  say "the traffic generator has not logged a Completed delivery yet"
fi
