#!/usr/bin/env bash
# Sets up what the build needs, then serves the app with live reload (content included).
#   scripts/dev.sh            → http://127.0.0.1:8080/
#   PORT=9000 scripts/dev.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
source scripts/env.sh
# The views' crates and bundles/ follow the registry: a new tool needs its Cargo.toml written first.
cargo run --quiet -p atlas-sitegen -- bundles
# dev.html links every tool into one bundle, so an edit relinks two bundles, not one per tool.
exec trunk serve dev.html --address 127.0.0.1 --port "${PORT:-8080}" "$@"
