#!/usr/bin/env bash
# System packages the test suite needs beyond Python: LibreOffice (recalculates the template's formulas and
# converts workbooks and Word exports to PDF), poppler (PDF -> PNG), a CJK font (Chinese in the PDFs) and
# Chromium with its driver (the desk's real-browser tests, driven by Playwright with Debian's own browser).
# Installed with apt-get when missing and we are root; otherwise say loudly what will be skipped.
set -u
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi 'cjk' || need+=(fonts-noto-cjk)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "xlgova: installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    exit 0
  fi
fi
cat >&2 <<MSG
################################################################################
# WARNING: could not install ${need[*]}
# Tests that need LibreOffice / pdftoppm / Chromium will be SKIPPED on this machine.
# Install them with:  sudo apt-get install -y --no-install-recommends ${need[*]}
################################################################################
MSG
exit 0
