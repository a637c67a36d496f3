#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each; first
# argument overrides), with a 10 s per-input timeout and a 2 GB memory
# limit, so a hang or a runaway allocation is a finding, not a stuck job.
#
# With cargo-fuzz (`cargo install cargo-fuzz`) the targets run under
# libFuzzer. It needs a nightly compiler; on a stable one the script sets
# RUSTC_BOOTSTRAP=1, which lets stable rustc take the nightly flags
# cargo-fuzz passes. Seeds come from tests/fuzz/seeds/<target>/ (the
# corpus grows in tests/fuzz/corpus/, which git ignores).
#
# Without cargo-fuzz (or with --stable) it runs the stable harness instead,
# tests/it/fuzz_stable.rs: the seeds and corpus, then mutations of them for
# the same time per target, in-process. Weaker (no coverage guidance), but
# it needs nothing beyond cargo. An input that aborts or hangs it is left
# in tests/fuzz/artifacts/<target>-current.
set -euo pipefail
cd "$(dirname "$0")"
stable=false
if [[ "${1:-}" == "--stable" ]]; then
  stable=true
  shift
fi
seconds="${1:-60}"
targets=(front_matter shortcodes markdown config template)

if ! $stable && cargo fuzz --version >/dev/null 2>&1; then
  toolchain=()
  if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    toolchain=(+nightly)
  else
    export RUSTC_BOOTSTRAP=1
  fi
  for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    echo "== $target ($seconds s)"
    cargo "${toolchain[@]}" fuzz run --fuzz-dir . "$target" "corpus/$target" "seeds/$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536
  done
else
  echo "== stable harness, $seconds s per target (cargo-fuzz not used)"
  cd ../..
  HANDBOK_FUZZ_SECONDS="$seconds" cargo test --test it fuzz_stable -- --ignored --nocapture
fi
