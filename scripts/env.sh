# Sourced by the other scripts: the pinned tools come first on PATH.
# binaryen 132 from npm provides wasm-opt; Debian's older binaryen would silently break the wasm.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
