#!/usr/bin/env bash
# Machine setup for the real-server test harness (scripts/harness). Idempotent: `npm test` runs it
# first, and when everything is present it only checks (well under a second). Installs only what is
# missing, which needs root (not root: one line naming the command to run, exit 1):
#   JDK 17 + Maven (Kafka broker), PostgreSQL 15, redis-server, setpriv (util-linux),
#   prometheus (promtool) and prometheus-alertmanager (amtool) for the alerting checks, chromium
#   (/usr/bin/chromium, driven by playwright-core in the admin-dashboard browser test),
# then pre-fetches the Kafka jars from Maven Central and builds the MinIO server and mc (once, ~8 min on 2 cores)
# and actionlint and gitleaks from the Go module proxy (needs Go) into $GM_CACHE_DIR or ~/.cache/gamemetrics-platform.
# Package services are never started.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
fail() { echo "harness setup: $*" >&2; exit 1; }

# program (or file) -> Debian package that provides it
missing=()
need() { # need <check: command name or absolute path> <package>
  if [[ "$1" == /* ]]; then [[ -e "$1" ]] || missing+=("$2")
  else command -v "$1" >/dev/null 2>&1 || missing+=("$2"); fi
}
need java openjdk-17-jdk-headless
need javac openjdk-17-jdk-headless
need mvn maven
need /usr/lib/postgresql/15/bin/postgres postgresql-15
need /usr/lib/postgresql/15/bin/initdb postgresql-15
need redis-server redis-server
need setpriv util-linux
need promtool prometheus
need amtool prometheus-alertmanager
need /usr/bin/chromium chromium

if ((${#missing[@]} > 0)); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  [[ "$(id -u)" == 0 ]] \
    || fail "missing Debian packages ${missing[*]}: run sudo bash scripts/harness/setup.sh (or sudo apt-get install -y ${missing[*]}), then npm test again"
  echo "harness setup: installing ${missing[*]}"
  # Keep package services (redis, prometheus, postgresql) from starting during install.
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed (are the Debian mirrors reachable?)"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/gm-harness-apt.log 2>&1 \
    || { tail -30 /tmp/gm-harness-apt.log >&2; fail "apt-get install ${missing[*]} failed (full log: /tmp/gm-harness-apt.log)"; }
fi

java_version="$(java -version 2>&1 | head -1)"
java_major="$(sed -E 's/.*version "([0-9]+).*/\1/' <<<"$java_version")"
[[ "$java_major" =~ ^[0-9]+$ ]] && ((java_major >= 17)) \
  || fail "Kafka 4.x needs Java 17 or newer; 'java -version' says: $java_version"

node="$repo/node_modules/.bin/node"
[[ -x "$node" ]] || fail "$node not found: run 'npm ci' in $repo first (setup.sh runs after it)"
"$node" --disable-warning=TimeoutNegativeWarning "$here/fetch-kafka.ts" || fail "could not pre-fetch the Kafka jars (see above)"
"$node" "$here/fetch-minio.ts" || fail "could not build the MinIO server and mc for the object-storage tests (see above)"
"$node" "$here/fetch-go-tools.ts" || fail "could not build actionlint or gitleaks (see above)"
echo "harness setup: ok"
