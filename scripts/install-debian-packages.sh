#!/usr/bin/env bash
# Installs the Debian packages jianbao needs, only those missing, only when root;
# others are told what to install.
#   libreoffice-writer-nogui  Word → PDF (render/pdf.py)
#   fonts-noto-cjk            Chinese glyphs for the PDF (仿宋/黑体 are aliased to them)
#   poppler-utils             pdftotext/pdftoppm, to read the PDF back in tests
#   chromium                  the browser the web UI tests drive (Playwright, never a downloaded browser)
#   python3-venv              only when this Python cannot make a virtual environment
set -euo pipefail
wanted=(libreoffice-writer-nogui fonts-noto-cjk poppler-utils chromium)
python3.11 -c 'import venv, ensurepip' 2>/dev/null || wanted+=(python3.11-venv)
missing=()
for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "jianbao: please install these Debian packages first:" \
        "sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
echo "jianbao: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
