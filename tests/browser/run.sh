#!/usr/bin/env bash
# Browser tests of the bundled handbook: installs the pinned npm packages,
# builds the site with a fixed date into a temporary folder and runs the
# tests in Debian's headless Chromium (apt-get install chromium
# chromium-driver; CHROMIUM overrides /usr/bin/chromium). Screenshots and
# the printed review go to tests/artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
chromium="${CHROMIUM:-/usr/bin/chromium}"

if [[ ! -x "$chromium" ]]; then
  echo "run.sh: no Chromium at $chromium; install Debian's: apt-get install -y chromium chromium-driver" >&2
  exit 2
fi

cd "$here"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
site="$tmp/site"
(cd "$root" && cargo run --release --quiet -- build --today 2026-11-29 -o "$site")

export HANDBOK_SITE="$site"
export CHROMIUM="$chromium"
node --test --test-concurrency=1 "$here"/*.test.mjs
