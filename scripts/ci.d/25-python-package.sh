#!/usr/bin/env bash
# The Python package (python/, PyO3 + maturin): builds the abi3 wheel, installs it into
# a FRESH virtualenv and runs python/tests against the installed package (never the
# source tree), including pandas, PySpark in local mode and Presidio.
#
# Installs into .tools/ in the clone: maturin (.tools/pybuild) and the test
# dependencies (.tools/pydeps, reused while python/requirements-test.txt is unchanged).
# The fresh venv sees those dependencies through a .pth file, so a run does not
# reinstall PySpark; the careguard wheel itself is installed anew every run.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/common.sh

apt_install openjdk-17-jre-headless   # PySpark's JVM

# venv_with DIR REQUIREMENTS: a virtualenv at DIR with REQUIREMENTS installed, reused
# while the requirements file is unchanged.
venv_with() {
  local dir="$1" req="$2"
  if ! cmp -s "$req" "$dir/.installed-requirements" 2>/dev/null; then
    rm -rf "$dir"
    python3 -m venv "$dir"
    local started=$SECONDS
    "$dir/bin/pip" install -q -r "$req"
    echo "installed $req in $((SECONDS - started)) s"
    cp "$req" "$dir/.installed-requirements"
  fi
}

echo "--- build tools and test dependencies"
venv_with "$CAREGUARD_TOOLS/pybuild" python/requirements-build.txt
venv_with "$CAREGUARD_TOOLS/pydeps" python/requirements-test.txt

target="${CARGO_TARGET_DIR:-$CAREGUARD_ROOT/target}"
work="$CAREGUARD_TOOLS/python-pkg"
rm -rf "$work" && mkdir -p "$work"

echo "--- building the abi3 wheel with maturin"
"$CAREGUARD_TOOLS/pybuild/bin/maturin" build --release --locked -m python/Cargo.toml -o "$work/wheels"

echo "--- the C library and the CLI the tests compare against"
cargo build --release --locked -p careguard-ffi -p careguard-cli

echo "--- installing the wheel into a fresh venv"
python3 -m venv "$work/venv"
site=$("$work/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
deps=$("$CAREGUARD_TOOLS/pydeps/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$deps" >"$site/careguard-test-deps.pth"
"$work/venv/bin/pip" install -q --no-index --no-deps "$work"/wheels/careguard-*.whl

echo "--- python/tests against the installed package"
cd python/tests
CAREGUARD_FFI_LIB="$target/release/libcareguard_ffi.so" CAREGUARD_CLI="$target/release/careguard" \
  CAREGUARD_ROOT="$CAREGUARD_ROOT" \
  "$work/venv/bin/python" -m pytest -q -p no:cacheprovider --import-mode=importlib .
