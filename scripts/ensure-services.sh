#!/usr/bin/env bash
# Makes PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) reachable for the test
# suite, starting (or, as root on Debian, installing) them when they are not running. The
# tests create and drop their own databases and use their own Redis key prefixes; they
# never touch data they did not create.
set -uo pipefail

reachable() { (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_postgres() {
    pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || reachable 5432; }
    if pg_ready; then return 0; fi
    if [ "$(id -u)" != 0 ]; then
        echo "jianbao: PostgreSQL is not reachable on 127.0.0.1:5432; PostgreSQL tests will be skipped" >&2
        return 0
    fi
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        echo "jianbao: installing PostgreSQL from Debian packages"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
    fi
    local version
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$version" ]; then
        echo "jianbao: no PostgreSQL cluster found; PostgreSQL tests will be skipped" >&2
        return 0
    fi
    # Trust auth on loopback, as the development machines have it.
    local hba=/etc/postgresql/$version/main/pg_hba.conf
    grep -q '^host all all 127.0.0.1/32 trust' "$hba" || sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_ready && return 0; sleep 1; done
    echo "jianbao: PostgreSQL did not start; PostgreSQL tests will be skipped" >&2
}

# Redis: the Celery broker of the scale-out tests (tests/jobs/test_celery.py).
ensure_redis() {
    if reachable 6379; then return 0; fi
    if ! command -v redis-server >/dev/null 2>&1; then
        if [ "$(id -u)" != 0 ]; then
            echo "jianbao: Redis is not reachable on 127.0.0.1:6379; scale-out tests will be skipped" >&2
            return 0
        fi
        echo "jianbao: installing Redis from Debian packages"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server
    fi
    # loopback only, no snapshots on disk: a broker for tests, not a store
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no \
        --logfile /tmp/jianbao-redis.log || true
    for _ in $(seq 1 30); do reachable 6379 && return 0; sleep 1; done
    echo "jianbao: Redis did not start; scale-out tests will be skipped" >&2
}

ensure_postgres
ensure_redis
exit 0
