#!/usr/bin/env bash
# Throwaway measurement (issue 8): how long the release build takes with 44 tool bundles instead
# of today's 12. It clones the tree to a scratch folder, adds 32 extra bins that are copies of the
# real ones under new names (same code, so the same link and wasm-opt work per bundle), and times
# the same steps the release build runs: one cargo run that links every bundle, then wasm-bindgen
# and wasm-opt for each. Nothing is written to this tree.
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
real=(src/bin/viz-*.rs)
for i in $(seq 1 32); do
  cp "${real[$(( (i - 1) % ${#real[@]} ))]}" "src/bin/viz-sim-$i.rs"
done
bins=$(ls src/bin/*.rs | sed 's|src/bin/\(.*\)\.rs|--bin \1|' | grep -v 'viz-all' | tr '\n' ' ')
echo "bundles: $(echo "$bins" | wc -w | awk '{print $1 / 2}')"
touch src/lib.rs
start=$(date +%s)
# shellcheck disable=SC2086
cargo build --quiet --release --target wasm32-unknown-unknown $bins
linked=$(date +%s)
out=$(mktemp -d)
ls src/bin/*.rs | sed 's|src/bin/\(.*\)\.rs|\1|' | grep -v '^viz-all$' | xargs -P 2 -I{} sh -c "wasm-bindgen --target web --out-dir $out --out-name {} $CARGO_TARGET_DIR/wasm32-unknown-unknown/release/{}.wasm && wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue $out/{}_bg.wasm -o $out/{}.opt.wasm"
done_at=$(date +%s)
echo "link all bundles: $((linked - start)) s; wasm-bindgen + wasm-opt, 2 at a time: $((done_at - linked)) s; total $((done_at - start)) s"
