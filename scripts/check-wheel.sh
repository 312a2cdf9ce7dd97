#!/usr/bin/env bash
# Builds jianbao's wheel, installs it into a fresh virtual environment with only the
# dependencies pyproject.toml declares (no lock file, no dev group, newest releases from
# the package index), and runs `jianbao demo` end to end in it.
#
# Why: the project's own environment is built from requirements.lock, which can carry a
# package pyproject.toml forgot. lxml.cssselect needs cssselect, which came only through
# the lock: a plain `pip install jianbao` broke every listing source with a CSS selector
# (issue 15, item 26). The demo collects every kind of demo source, so a missing
# dependency shows as a failed source, and this script fails on it.
#
# Needs python3.11 (with venv) and the network to the package index; uses the project's
# uv (make env) when present, else pip. Works as root on a fresh Debian and as a user.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
PYTHON=${PYTHON:-python3.11}
work=$(mktemp -d "${TMPDIR:-/tmp}/jianbao-wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT
uv="$root/.venv/bin/uv"

echo "check-wheel: building the wheel"
if [ -x "$uv" ]; then
    "$uv" build --quiet --wheel --out-dir "$work/dist" "$root"
else
    "$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$root"
fi
wheel=$(ls "$work"/dist/jianbao-*.whl)

echo "check-wheel: installing $(basename "$wheel") with its declared dependencies only"
"$PYTHON" -m venv "$work/venv"
if [ -x "$uv" ]; then
    # --no-config: neither the project's settings nor a user's pip/uv configuration
    # (constraints, local indexes) may stand in for a dependency pyproject.toml forgot
    "$uv" pip install --quiet --no-config --python "$work/venv/bin/python" "$wheel"
else
    PIP_CONFIG_FILE=/dev/null "$work/venv/bin/python" -m pip install --quiet "$wheel"
fi

# a self-test of this check: CHECK_WHEEL_DROP="cssselect" removes packages after the
# install, and the run below must then fail
for package in ${CHECK_WHEEL_DROP:-}; do
    "$uv" pip uninstall --quiet --python "$work/venv/bin/python" "$package"
done

echo "check-wheel: running jianbao demo from the installed wheel"
mkdir -p "$work/home" "$work/run"
log="$work/demo.log"
# a clean environment: no JIANBAO_* settings of the caller, a home of its own, run
# outside the checkout so nothing is imported from src/
if ! (cd "$work/run" && env -i PATH="$work/venv/bin:/usr/bin:/bin" HOME="$work/home" \
    LANG=C.UTF-8 TMPDIR="${TMPDIR:-/tmp}" jianbao demo --out "$work/run/out") >"$log" 2>&1; then
    cat "$log"
    echo "check-wheel: FAILED: jianbao demo exited with an error (log above)" >&2
    exit 1
fi
cat "$log"
# the demo lists each failed source or page as an indented bullet
if grep -q '^  • ' "$log"; then
    echo "check-wheel: FAILED: the demo reported errors (lines with •): a dependency" \
        "pyproject.toml does not declare?" >&2
    exit 1
fi
for kind in weekly monthly daily; do
    if ! ls "$work/run/out/$kind"-* >/dev/null 2>&1; then
        echo "check-wheel: FAILED: the demo wrote no $kind issue" >&2
        exit 1
    fi
done
echo "check-wheel: ok, $(ls "$work/run/out" | wc -l) files written by the installed wheel"
