#!/usr/bin/env bash
# Makes this machine ready for `pnpm test`: a Redis on 127.0.0.1:6379 (used when it answers,
# started when it does not), a PostgreSQL on 127.0.0.1:5432 with a database `test` (the same),
# the checks the tests that start their own redis-server processes
# need (scripts/redis/preflight.sh), and Debian's Chromium for the browser tests (installed with
# apt-get when missing; the tests never download a browser). The README's test command and
# .ci/run both run it. Safe to run again: it changes nothing on a machine that is ready.
#
#   scripts/test-setup.sh        (or: pnpm test:setup)
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "test setup: $*" >&2; exit 1; }

command -v redis-server >/dev/null || fail "redis-server is not installed (Debian: sudo apt-get install -y redis-server)"
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "test setup: no Redis on 127.0.0.1:6379, starting one (nothing kept on disk)"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ] || fail "Redis on 127.0.0.1:6379 does not answer PING"
echo "test setup: Redis on 127.0.0.1:6379 answers"
# The fault, cluster and security tests start their own redis-server processes on 127.0.0.1:7000–7299.
scripts/redis/preflight.sh

# @sess/postgres: PostgreSQL on 127.0.0.1:5432 (trust auth for local TCP, as Debian's test setup
# has it), with the database `test`; its fault tests start their own servers with initdb/pg_ctl.
as_root=""
[ "$(id -u)" -eq 0 ] || as_root="sudo"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || fail "PostgreSQL is not installed (Debian: sudo apt-get install -y postgresql)"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "test setup: no PostgreSQL on 127.0.0.1:5432, starting the Debian cluster"
  $as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start
  for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
fi
pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL on 127.0.0.1:5432 does not answer"
if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'")" != "1" ]; then
  echo "test setup: creating the PostgreSQL database test"
  createdb -h 127.0.0.1 -U postgres test
fi
echo "test setup: PostgreSQL on 127.0.0.1:5432 answers, database test"

if ! command -v chromium >/dev/null 2>&1; then
  echo "test setup: installing Debian's chromium for the browser tests"
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium >/dev/null
fi
echo "test setup: $(chromium --version)"
