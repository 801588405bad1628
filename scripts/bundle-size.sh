#!/usr/bin/env bash
# The size of one tool's bundle as the release build makes it, in about 15 s once the
# dependencies are compiled, for trying a change without the whole release build:
#   scripts/bundle-size.sh viz-storage-engines            → its gzipped wasm size
#   scripts/bundle-size.sh viz-storage-engines out/dir    → also leaves the .js and _bg.wasm there
# Same toolchain and flags as scripts/build-release.sh, wasm-bindgen --target web and wasm-opt
# (if any) as trunk runs them (index.html's data-bindgen-target and data-wasm-opt, set by
# TOOL_WASM_OPT in sitegen/src/bundles.rs), then the import names shortened and the custom
# sections dropped as the post-build hook does: the files are byte for byte the release ones.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: scripts/bundle-size.sh viz-<slug> [out-dir]}
out=${2:-$(mktemp -d)}
source scripts/env.sh
source scripts/release-env.sh
cargo build --quiet --release --target wasm32-unknown-unknown -p "$bin"
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" "target/wasm32-unknown-unknown/release/$bin.wasm"
level=$(grep -o "data-bin=\"$bin\"[^>]*data-wasm-opt=\"[^\"]*\"" index.html | sed 's/.*data-wasm-opt="\(.*\)"/\1/')
if [ "${level:?no data-wasm-opt for $bin in index.html}" != 0 ]; then
  node_modules/.bin/wasm-opt "-O$level" "$out/${bin}_bg.wasm" -o "$out/${bin}_bg.wasm"
fi
env -u RUSTUP_TOOLCHAIN -u CARGO_UNSTABLE_BUILD_STD cargo run --quiet -p atlas-sitegen -- shorten "$out" >/dev/null
printf '%s: wasm %s bytes, %s gzipped (-9); glue %s gzipped\n' "$bin" "$(wc -c <"$out/${bin}_bg.wasm")" "$(gzip -9c "$out/${bin}_bg.wasm" | wc -c)" "$(gzip -9c "$out/$bin.js" | wc -c)"
