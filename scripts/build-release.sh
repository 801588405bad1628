#!/usr/bin/env bash
# Builds the release site for the path it will be served under, ready to upload as plain files.
#   scripts/build-release.sh /my-repo/            → dist/
#   scripts/build-release.sh /my-repo/ out/site   → out/site/
# Set ATLAS_SITE_ORIGIN (e.g. https://you.github.io) so sitemap.xml carries full URLs.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-/}
out=${2:-dist}
scripts/setup.sh release
source scripts/env.sh
# The tool bundles follow the registry and the pages' embeds (bundles/, the views' Cargo.toml,
# index.html).
# The site generator is native and built by the default toolchain, as the post-build hook builds
# it: under release-env.sh's nightly it compiled itself and its dependencies a second time.
cargo run --quiet -p atlas-sitegen -- bundles
source scripts/release-env.sh
# Link the release bundles before trunk, the way trunk will ask for them (so it finds them fresh):
# cargo links two at a time on two cores, where trunk runs one cargo build per bundle. The core
# (islands/) is built on its own, as trunk does, so its dependencies keep the features it asks for.
# The learning loop's bundles (viz-learn, viz-practice, viz-quiz) are bins of islands/ too, built with it.
cargo build --release --target wasm32-unknown-unknown --manifest-path islands/Cargo.toml --bin atlas --bin viz-learn --bin viz-practice --bin viz-quiz
# Each bundle is a package of its own, named like its bin (sitegen/src/bundles.rs says why).
packages=$(grep 'href="bundles/viz-' index.html | grep -o 'data-bin="viz-[^"]*"' | sed 's/data-bin="\(.*\)"/-p \1/' | tr '\n' ' ')
# shellcheck disable=SC2086
cargo build --release --target wasm32-unknown-unknown $packages
trunk build --release --public-url "$base" --dist "$out"
# The cheat sheets' one-page PDFs, printed from the built pages (fails if one takes two pages).
node scripts/cheatsheet-pdfs.mjs "$out" "$base"
for wasm in "$out"/*.wasm; do
  printf 'built %s for %s: %s %s bytes, %s bytes gzipped\n' "$out" "$base" "$(basename "$wasm")" "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)"
done
