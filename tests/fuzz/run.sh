#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each; first
# argument overrides), with a 10 s per-input timeout and a 2 GB memory
# limit, so a hang or a runaway allocation is a finding, not a stuck job.
# Needs nightly Rust and cargo-fuzz (`cargo install cargo-fuzz`).
# Seeds come from tests/fuzz/seeds/<target>/ (the corpus grows in
# tests/fuzz/corpus/, which git ignores).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
for target in front_matter shortcodes markdown config; do
  mkdir -p "corpus/$target"
  echo "== $target ($seconds s)"
  cargo +nightly fuzz run --fuzz-dir . "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536
done
