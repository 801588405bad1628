#!/usr/bin/env bash
# Sets up what the build needs, then serves the app with live reload (content included).
#   scripts/dev.sh            → http://127.0.0.1:8080/
#   PORT=9000 scripts/dev.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
source scripts/env.sh
exec trunk serve --address 127.0.0.1 --port "${PORT:-8080}" "$@"
