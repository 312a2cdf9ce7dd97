#!/usr/bin/env bash
# Makes a PostgreSQL server reachable on 127.0.0.1:5432 for the test suite, starting
# (or, as root on Debian, installing) it when it is not running. The tests create and
# drop their own databases; they never touch one they did not create.
set -uo pipefail
pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || (echo > /dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if pg_ready; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
    echo "jianbao: PostgreSQL is not reachable on 127.0.0.1:5432; PostgreSQL tests will be skipped" >&2
    exit 0
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "jianbao: installing PostgreSQL from Debian packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
fi
version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
if [ -z "$version" ]; then
    echo "jianbao: no PostgreSQL cluster found; PostgreSQL tests will be skipped" >&2
    exit 0
fi
# Trust auth on loopback, as the development machines have it.
hba=/etc/postgresql/$version/main/pg_hba.conf
grep -q '^host all all 127.0.0.1/32 trust' "$hba" || sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do pg_ready && exit 0; sleep 1; done
echo "jianbao: PostgreSQL did not start; PostgreSQL tests will be skipped" >&2
exit 0
