#!/usr/bin/env bash
# Sets up everything, then runs every test: native (content compiler, models) and the browser
# suite against a release build served under a sub-path by a plain static server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh all
source scripts/env.sh

echo "== native tests"
cargo test --quiet -p atlas-components -p atlas-sitegen

echo "== release build for the browser suite (base /atlas-e2e/)"
scripts/build-release.sh /atlas-e2e/ target/e2e-dist

echo "== browser suite (Chromium + axe)"
npx playwright test -c tests/e2e/playwright.config.js "$@"
