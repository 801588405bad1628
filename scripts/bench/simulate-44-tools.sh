#!/usr/bin/env bash
# Throwaway measurement (issue 8): how long the release build takes with 44 tools (48 bundles)
# instead of today's. It clones the tree to a scratch folder, adds bins that are copies of the
# real ones under new names (same code, so the same link work per bundle), and times
# the same steps the release build runs: one cargo run that links every bundle, then wasm-bindgen
# and the hook's shortening for each. Nothing is written to this tree's sources; the compiled
# dependencies in its target/ are shared (commit first: the clone's crates replace this tree's).
#   scripts/bench/simulate-44-tools.sh [scratch-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh
source scripts/release-env.sh
scratch=${1:-/tmp/atlas-44}
rm -rf "$scratch"
git clone -q . "$scratch"
# Reuse this tree's compiled dependencies; only the app crate and the links are redone.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
cd "$scratch"
# 44 tools and a few sets of tools shown together: 48 bundles.
real=($(ls bundles/src/bin/viz-*.rs | grep -v '/viz-all.rs$'))
for i in $(seq 1 $(( 48 - ${#real[@]} ))); do
  cp "${real[$(( (i - 1) % ${#real[@]} ))]}" "bundles/src/bin/viz-sim-$i.rs"
done
bins=$(ls bundles/src/bin/*.rs | sed 's|bundles/src/bin/\(.*\)\.rs|--bin \1|' | grep -v 'viz-all' | tr '\n' ' ')
echo "bundles: $(echo "$bins" | wc -w | awk '{print $1 / 2}')"
touch src/lib.rs
start=$(date +%s)
# shellcheck disable=SC2086
cargo build --quiet --release --target wasm32-unknown-unknown -p atlas-bundles $bins
linked=$(date +%s)
out=$(mktemp -d)
ls bundles/src/bin/*.rs | sed 's|bundles/src/bin/\(.*\)\.rs|\1|' | grep -v '^viz-all$' | xargs -P 2 -I{} wasm-bindgen --target web --out-dir "$out" --out-name {} "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/{}.wasm"
# As the post-build hook does after wasm-bindgen (the tool bundles skip wasm-opt).
env -u RUSTUP_TOOLCHAIN -u CARGO_UNSTABLE_BUILD_STD cargo run --quiet -p atlas-sitegen -- shorten "$out"
done_at=$(date +%s)
echo "link all bundles: $((linked - start)) s; wasm-bindgen (2 at a time) and the hook's shortening: $((done_at - linked)) s; total $((done_at - start)) s"
