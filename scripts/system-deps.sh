#!/usr/bin/env bash
# Install the Debian packages pimlearn needs, only those missing.
#   scripts/system-deps.sh build   gettext (catalog updates), Pango (WeasyPrint), Noto fonts (Latin + Arabic),
#                                  Cairo (SVG pictures in PPTX decks, through CairoSVG)
#   scripts/system-deps.sh test    the above, plus Chromium, poppler-utils, LibreOffice Impress and Java
#                                  (the Nu Html Checker) for the tests
set -euo pipefail

want=(gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-dejavu-core libcairo2)
if [ "${1:-build}" = "test" ]; then
  want+=(chromium poppler-utils libreoffice-impress-nogui)
  # Java runs the Nu Html Checker (vnu.jar, from npm); any Java 11+ will do.
  command -v java >/dev/null 2>&1 || want+=(default-jre-headless)
fi

missing=()
for pkg in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "pimlearn needs these system packages (Debian names): ${missing[*]}" >&2
  echo "Install their equivalents with your package manager, then run make again." >&2
  exit 1
fi
run=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then run=(sudo); else
    echo "pimlearn needs: ${missing[*]}. Run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
