#!/usr/bin/env bash
# Checks that this machine can run the @sess/redis tests that start their own redis-server
# processes (a 3-master cluster, fault-injection servers), so that CI fails here with a clear
# message instead of in the middle of a test run. Never skips anything: any problem is an error.
#
#   scripts/redis/preflight.sh
#
# Checks: redis-server and redis-cli on PATH, version 7.0 or later (for --cluster-port), the
# loopback ports 7000–7299 the tests use are free, and a cluster-enabled node can actually be
# started there and answers PING. Leaves nothing running.
set -euo pipefail

fail() { echo "redis preflight: $*" >&2; exit 1; }

command -v redis-server >/dev/null || fail "redis-server is not on PATH (install redis-server 7 or later)"
command -v redis-cli >/dev/null || fail "redis-cli is not on PATH (it comes with redis-server)"

version=$(redis-server --version | sed -n 's/.* v=\([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1.\2/p')
major=${version%%.*}
[ -n "$version" ] || fail "could not read the redis-server version from: $(redis-server --version)"
[ "$major" -ge 7 ] || fail "redis-server $version is too old: the cluster tests need 7.0 or later (--cluster-port)"

busy=""
for port in $(seq 7000 7299); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then busy="$busy $port"; fi
done
[ -z "$busy" ] || fail "ports in use in 7000–7299 (reserved for these tests):$busy — leftover redis-server? (pgrep -a redis-server)"

dir=$(mktemp -d "${TMPDIR:-/tmp}/sess-redis-preflight-XXXXXX")
cleanup() {
  redis-cli -p 7049 shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
redis-server --port 7049 --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize yes \
  --logfile "$dir/redis.log" --cluster-enabled yes --cluster-port 7048 --cluster-config-file nodes.conf \
  || fail "redis-server could not start a cluster-enabled node on 127.0.0.1:7049"
for _ in $(seq 1 50); do
  redis-cli -p 7049 ping >/dev/null 2>&1 && break
  sleep 0.1
done
[ "$(redis-cli -p 7049 ping 2>/dev/null)" = "PONG" ] || fail "the cluster-enabled node on 7049 did not answer PING: $(cat "$dir/redis.log" 2>/dev/null)"
redis-cli -p 7049 info cluster | grep -q '^cluster_enabled:1' || fail "the node on 7049 did not start in cluster mode"

echo "redis preflight: redis-server $version, ports 7000–7299 free, cluster nodes can start"
