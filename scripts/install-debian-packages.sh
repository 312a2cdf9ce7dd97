#!/usr/bin/env bash
# Installs the Debian packages jianbao needs, only those missing, only when root.
# Non-root users get the list to install themselves.
set -euo pipefail
packages=(python3-venv)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# python3.11 -m venv works without python3-venv when Python is not Debian's own.
if python3.11 -c 'import venv, ensurepip' 2>/dev/null; then
    missing=("${missing[@]/python3-venv}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "jianbao: please install these Debian packages first: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "jianbao: installing Debian packages: ${missing[*]}"
DEBIAN_FRONTEND=noninteractive apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
