#!/usr/bin/env bash
# Idempotent set-up for building and testing System Design Atlas on a fresh Debian machine.
# Each step checks what is already there (at the right version) and skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# The wasm-bindgen CLI must match the crate version in Cargo.lock exactly.
wasm_bindgen_version() {
  if [ -f Cargo.lock ]; then
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
  fi
}

step_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "wasm32 target: present"
  else
    log "wasm32 target: installing"
    rustup target add wasm32-unknown-unknown
  fi
}

# Release bundles rebuild the standard library with the nightly toolchain (scripts/release-env.sh).
# This kind of machine ships a nightly without its source; add it. Without any nightly, install
# one (the newest; the flags used have been stable in nightlies since 2025).
step_nightly_std() {
  local toolchain=${ATLAS_RELEASE_TOOLCHAIN:-nightly}
  if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
    log "$toolchain toolchain: installing"
    rustup toolchain install "$toolchain" --profile minimal --component rust-src
  elif rustup component list --installed --toolchain "$toolchain" | grep -q '^rust-src'; then
    log "$toolchain rust-src: present"
  else
    log "$toolchain rust-src: installing"
    rustup component add rust-src --toolchain "$toolchain"
  fi
}

step_trunk() {
  if command -v trunk >/dev/null && trunk --version | grep -q " $TRUNK_VERSION"; then
    log "trunk $TRUNK_VERSION: present"
  else
    # Unoptimised and without TLS: trunk here only runs cargo, wasm-bindgen and wasm-opt, hashes
    # and copies files, and serves on localhost; it downloads nothing (both tools are pinned and
    # installed by this script). Built that way it takes 2.4 min instead of 6.3 on two cores, and
    # the pages, scripts and WebAssembly of the release site it builds are byte for byte the same
    # (2026-12-08).
    log "trunk $TRUNK_VERSION: installing (about 3 minutes)"
    cargo install --locked trunk --version "$TRUNK_VERSION" --debug --no-default-features
  fi
}

step_wasm_bindgen() {
  local want
  want=$(wasm_bindgen_version)
  want=${want:-0.2.130}
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $want"; then
    log "wasm-bindgen-cli $want: present"
  else
    log "wasm-bindgen-cli $want: installing (about 2 minutes)"
    # Not --locked: the CLI's own lock file names a crate version this registry lacks.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

step_chromium() {
  if [ -x /usr/lib/chromium/chromium ]; then
    log "chromium: present"
  else
    log "chromium: installing from Debian"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

step_npm() {
  # node_modules holds binaryen (wasm-opt 132) for the build and Playwright + axe for the tests.
  local stamp=node_modules/.atlas-lock-sha256
  local want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/wasm-opt ]; then
    log "npm packages: present"
  else
    log "npm packages: installing"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" >"$stamp"
  fi
}

what=${1:-all}
case "$what" in
  build) step_wasm_target; step_nightly_std; step_npm; step_trunk; step_wasm_bindgen ;;
  # The release build also prints the cheat sheets' PDFs, in Chromium.
  release) step_wasm_target; step_nightly_std; step_npm; step_chromium; step_trunk; step_wasm_bindgen ;;
  all)
    step_wasm_target
    step_nightly_std
    # The downloads (npm, apt) run while cargo compiles the tools: on a bare machine that saves
    # the minute or two they would otherwise add after the compiles.
    ( step_npm && step_chromium ) &
    downloads=$!
    step_trunk
    step_wasm_bindgen
    wait "$downloads"
    ;;
  *) echo "usage: scripts/setup.sh [build|release|all]" >&2; exit 2 ;;
esac
log "done"
