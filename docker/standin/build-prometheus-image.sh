#!/usr/bin/env bash
# Builds a stand-in for `prom/prometheus` from Debian's package, so the compose demo's
# `observability` profile can run its Prometheus on machines that reach no container registry.
# Not part of build-images.sh (CI does not need it). Needs the base image build-images.sh makes.
# Jaeger and Grafana have no Debian package, so they have no stand-in: start the profile's
# Prometheus alone (see README.md, "Observability").
#   bash docker/standin/build-prometheus-image.sh
#   export PROMETHEUS_IMAGE=drone-delivery/standin-prometheus:2.42-1
#   docker-compose --profile observability up -d prometheus
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=docker/standin/images.sh
. "$HERE/images.sh"
STANDIN_PROMETHEUS_IMAGE=drone-delivery/standin-prometheus:2.42-1
WORK="${STANDIN_WORK_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/drone-delivery/standin}"
mkdir -p "$WORK"

if docker image inspect "$STANDIN_PROMETHEUS_IMAGE" >/dev/null 2>&1; then
  echo "$STANDIN_PROMETHEUS_IMAGE exists"
else
  docker image inspect "$STANDIN_BASE_IMAGE" >/dev/null 2>&1 ||
    { echo "$STANDIN_BASE_IMAGE is missing: run docker/standin/build-images.sh first" >&2; exit 1; }
  LOG="$WORK/build-standin-prometheus.log"
  echo "building $STANDIN_PROMETHEUS_IMAGE (log: $LOG)"
  docker build --build-arg "BASE_IMAGE=$STANDIN_BASE_IMAGE" -t "$STANDIN_PROMETHEUS_IMAGE" \
    "$HERE/prometheus" >"$LOG" 2>&1 ||
    { tail -n 40 "$LOG"; echo "building $STANDIN_PROMETHEUS_IMAGE failed" >&2; exit 1; }
fi
echo "export PROMETHEUS_IMAGE=$STANDIN_PROMETHEUS_IMAGE"
