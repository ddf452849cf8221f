#!/bin/bash
# The browser build's size without cargo-leptos (docs/BENCHMARKS.md, fourth pass): builds the
# hydrate library in the wasm-release profile, runs wasm-bindgen and `wasm-opt -Oz` as a
# release build does, and prints the sizes before and after gzip -9, then where the code goes.
# Use a target directory of its own so the build does not disturb the app's.
#
# usage: benches/wasm_gzip.sh [TARGET_DIR]   (default /tmp/xingshen-wasm-size)
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${1:-/tmp/xingshen-wasm-size}
# The flags cargo-leptos gives the browser build (`always-erase-components` in Cargo.toml), and
# the wasm-opt release builds use (xtask/binaryen, installed by `cargo xtask setup`).
export RUSTFLAGS="--cfg erase_components"
PATH="$PWD/xtask/binaryen/node_modules/.bin:$PATH"
CARGO_TARGET_DIR="$TARGET" cargo build --quiet --lib --target wasm32-unknown-unknown \
  --profile wasm-release --no-default-features --features hydrate
RAW="$TARGET/wasm32-unknown-unknown/wasm-release/xingshen.wasm"
OUT=$(mktemp -d)
wasm-bindgen --target web --no-typescript --out-dir "$OUT" "$RAW"
wasm-opt -Oz "$OUT/xingshen_bg.wasm" -o "$OUT/xingshen.opt.wasm"
echo "wasm after wasm-opt: $(stat -c %s "$OUT/xingshen.opt.wasm") B, gzip -9: $(gzip -9c "$OUT/xingshen.opt.wasm" | wc -c) B"
echo "js: $(stat -c %s "$OUT/xingshen.js") B, gzip -9: $(gzip -9c "$OUT/xingshen.js" | wc -c) B"
python3 benches/wasm_size.py "$RAW" 12
rm -rf "$OUT"
