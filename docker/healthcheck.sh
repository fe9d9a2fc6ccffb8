#!/bin/bash
# The image's HEALTHCHECK: ready = GET /health/ready answers 200 (the service reaches its
# database and is not shutting down). Bash and its /dev/tcp rather than `node -e`: Docker runs
# this every few seconds in every container, and a Node start costs ~100 ms of CPU and 40 MB
# each time; slim images have no curl.
port=${PORT:-}
if [ -z "$port" ]; then
  # Each app's default port, as its config has it.
  case "${APP:-}" in
    scheduler) port=3001 ;;
    accounts) port=3002 ;;
    package) port=3003 ;;
    drone-management) port=3004 ;;
    delivery) port=3005 ;;
    delivery-history) port=3006 ;;
    traffic-generator) port=3007 ;;
    *) echo "healthcheck: set PORT or APP" >&2; exit 1 ;;
  esac
fi
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
read -r -t 2 _ status _ <&3 || exit 1
[ "$status" = 200 ]
