#!/usr/bin/env bash
# Prepare a fresh Debian machine for Yishi: system packages when missing, the virtualenv,
# the Python dependencies and the compiled translations. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
# espeak-ng: speech; chromium: the room's screens (deploy/) and, in its headless shell, the
# browser tests; fonts-wqy-zenhei: CJK text in PDFs and on screens;
# poppler-utils: PDF checks in tests; iproute2: the LAN address printed by `make run`.
missing=()
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromium-headless-shell ] || missing+=(chromium-headless-shell)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v ip >/dev/null || missing+=(iproute2)
"$PYTHON" -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi


"$PYTHON" - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"error: Python 3.11 or newer is needed, this is {sys.version.split()[0]}")
PY

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
"$VENV/bin/python" -m pip install --quiet -e '.[test]' 2>&1 | grep -v "^WARNING: Location" || true
"$VENV/bin/python" -c "import meeting_room, kiosk, devices, flask_socketio, playwright" \
  || { echo "error: the Python dependencies did not install" >&2; exit 1; }
PYBABEL="$VENV/bin/pybabel" scripts/i18n.sh compile >/dev/null
