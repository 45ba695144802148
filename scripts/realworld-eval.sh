#!/usr/bin/env bash
# Per-file attribution of the real-world exports in ../shared/realworld (other projects'
# test files, see its README): the format each is read as, messages, distinct senders,
# messages with a valid time, and the share of non-blank lines scanned as part of a
# message (for JSON: of messages with scannable text). Skips when the folder is absent,
# as it is in a user's clone. Usage: scripts/realworld-eval.sh [FOLDER]
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-../shared/realworld/files}"
if [ ! -d "$dir" ]; then
    echo "realworld-eval: $dir not found; skipped"
    exit 0
fi
cargo build --quiet --release -p careguard-cli --example attribution
mapfile -d '' files < <(find "$dir" -type f ! -name 'README*' -print0 | sort -z)
target/release/examples/attribution "${files[@]}" | sed "s|$dir/||" | column -t -s $'\t'
