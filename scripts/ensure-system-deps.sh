#!/usr/bin/env bash
# Installs the Debian packages the tests, benchmarks and playground need, when they are missing.
# Runs as root on Debian 12 (CI and developer machines); elsewhere it says what to install.
set -euo pipefail
need=()
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
command -v mariadb-binlog >/dev/null 2>&1 || need+=(mariadb-client)
if [ "${DM_BENCH_DEPS:-0}" = 1 ]; then
  command -v sysbench >/dev/null 2>&1 || need+=(sysbench)
  command -v mydumper >/dev/null 2>&1 || need+=(mydumper)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "dm-ts: missing system packages: ${need[*]} (install them with your package manager)" >&2
  exit 1
fi
echo "dm-ts: installing ${need[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The packaged service is not used: tests start their own mariadbd instances.
(systemctl disable --now mariadb >/dev/null 2>&1 || service mariadb stop >/dev/null 2>&1 || true)
