#!/usr/bin/env bash
# Container health check without curl (the JRE image has none): GET a path on this container and
# succeed only on HTTP 200. Spring Boot answers /actuator/health with 503 while a component is DOWN.
#   healthcheck PORT [PATH]        e.g. healthcheck 8082 /actuator/health
set -u
port="${1:?usage: healthcheck PORT [PATH]}"
path="${2:-/actuator/health}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || exit 1
exec 3<&-
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "unhealthy: ${status%$'\r'}" >&2; exit 1 ;;
esac
