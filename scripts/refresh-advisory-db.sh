#!/usr/bin/env bash
# Refreshes scripts/advisory-db/, the vendored slice of the RustSec advisory database
# (CC0-1.0; advisories imported from GitHub's database are CC-BY-4.0, each says so in its
# own `license` field) that scripts/ci.d/15-advisories.sh audits our lockfiles against
# offline. Only the advisories of crates named in Cargo.lock and fuzz/Cargo.lock are
# kept, so the snapshot stays small; run this again after adding a dependency.
#
#   git clone <the rustsec/advisory-db repository> /tmp/advisory-db   # on a machine with access
#   bash scripts/refresh-advisory-db.sh /tmp/advisory-db
#
# The argument is a git checkout of the database; its commit and date are recorded in
# scripts/advisory-db/SNAPSHOT.md. Commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."

src=${1:?usage: refresh-advisory-db.sh PATH-TO-ADVISORY-DB-CHECKOUT}
[ -d "$src/crates" ] || { echo "refresh-advisory-db: $src has no crates/ directory" >&2; exit 2; }
dest=scripts/advisory-db
commit=$(git -C "$src" log -1 --format=%H)
date=$(git -C "$src" log -1 --format=%cs)

rm -rf "$dest.partial"
mkdir -p "$dest.partial/crates"
cp "$src/LICENSE.txt" "$dest.partial/"
cp -r "$src/LICENSES" "$dest.partial/"
kept=0
for name in $(awk -F'"' '/^name = / {print $2}' Cargo.lock fuzz/Cargo.lock | sort -u); do
  if [ -d "$src/crates/$name" ]; then
    cp -r "$src/crates/$name" "$dest.partial/crates/"
    kept=$((kept + 1))
  fi
done
advisories=$(find "$dest.partial/crates" -name '*.md' | wc -l)
cat > "$dest.partial/SNAPSHOT.md" <<MD
# Vendored RustSec advisory database slice

- Source: the rustsec/advisory-db repository, commit \`$commit\` ($date).
- Licence: CC0-1.0 (LICENSE.txt, LICENSES/); advisories imported from the GitHub Security
  Advisory database are CC-BY-4.0 and name it in their own \`license\` field.
- Contents: the \`crates/\` advisories of the $kept crates named in Cargo.lock and
  fuzz/Cargo.lock that have any ($advisories advisories). Nothing else of the database.
- Used by: scripts/ci.d/15-advisories.sh (\`cargo audit --no-fetch --db\`), offline.
- Refresh: \`bash scripts/refresh-advisory-db.sh PATH-TO-CHECKOUT\`, then commit.
MD
rm -rf "$dest" && mv "$dest.partial" "$dest"
echo "refresh-advisory-db: $advisories advisories for $kept crates from $commit ($date)"
