#!/usr/bin/env bash
# Measures the release build as a reader gets it: served with gzip, home page transfer size,
# and Lighthouse (mobile preset) performance and accessibility scores.
#   scripts/measure.sh            (builds to target/measure-dist under /atlas/ first)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-release.sh /atlas/ target/measure-dist >/dev/null
source scripts/env.sh
port=4180
node tests/e2e/serve.mjs --dir target/measure-dist --base /atlas/ --port $port --gzip >/dev/null &
server=$!
trap 'kill $server' EXIT
sleep 1
url="http://127.0.0.1:$port/atlas/"
node tests/e2e/transfer.mjs "$url"
CHROME_PATH=/usr/lib/chromium/chromium npx --yes lighthouse@13.5.0 "$url" --quiet \
  --only-categories=performance,accessibility --output=json --output-path=target/lighthouse.json \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking" >/dev/null 2>&1 || true
node -e '
  const report = require("./target/lighthouse.json");
  for (const [name, category] of Object.entries(report.categories)) console.log(`lighthouse ${name}: ${Math.round(category.score * 100)}`);
  for (const id of ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"])
    console.log(`  ${id}: ${report.audits[id].displayValue}`);
'
