#!/usr/bin/env bash
# Translations: `scripts/i18n.sh update` extracts every UI string and merges it into the Chinese
# catalogs (then translate the new entries); `scripts/i18n.sh compile` builds the .mo files.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
for package in meeting_room kiosk; do
  dir="$package/translations"
  case "${1:-compile}" in
    update)
      "$PYBABEL" extract -F "babel-$package.cfg" -k _l -k lazy_gettext --no-location \
        --sort-output -o "$dir/messages.pot" .
      if [ -f "$dir/zh_Hans_CN/LC_MESSAGES/messages.po" ]; then
        "$PYBABEL" update -N --no-fuzzy-matching -i "$dir/messages.pot" -d "$dir" -l zh_Hans_CN
      else
        "$PYBABEL" init -i "$dir/messages.pot" -d "$dir" -l zh_Hans_CN
      fi
      ;;
    compile)
      "$PYBABEL" compile -d "$dir" -f
      ;;
  esac
done
