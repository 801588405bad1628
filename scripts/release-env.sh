# Sourced by scripts/build-release.sh: the release bundles are compiled with the nightly toolchain
# this kind of machine ships, rebuilding the standard library for the wasm target so that:
#   -Cpanic=immediate-abort   a panic traps at once: no panic formatting or unwinding machinery;
#   -Zlocation-detail=none    no file names and line numbers for panics;
#   -Zfmt-debug=none          `{:?}` prints nothing (the app only uses it in panic messages).
# Measured 2026-12 on consistent-hashing: 186.6 → 157.6 KB gzipped; the core 52.7 → 37.9 KB.
# The page's boot script shows the "something went wrong" banner when a trap goes uncaught
# (islands/src/panic.rs). scripts/dev.sh keeps the stable toolchain and the panic messages.
export RUSTUP_TOOLCHAIN=${ATLAS_RELEASE_TOOLCHAIN:-nightly}
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none -Zfmt-debug=none -Zunstable-options -Cpanic=immediate-abort"
