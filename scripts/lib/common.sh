# Shared helpers for scripts/ (source it, do not run it).
# Everything installed goes under .tools/ in the clone, so a clean clone recreates it.

CAREGUARD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CAREGUARD_TOOLS="$CAREGUARD_ROOT/.tools"
mkdir -p "$CAREGUARD_TOOLS"

# Tools built with `cargo install` (cargo-fuzz, wasm-bindgen-cli) go where cargo puts
# them, so a fresh clone on the same machine reuses them instead of spending minutes
# rebuilding; the scripts install them whenever they are missing.
CAREGUARD_CARGO_ROOT="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$CAREGUARD_CARGO_ROOT/bin:$PATH"

# apt_install PKG...: installs Debian packages that are not installed yet.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ ! -f "$CAREGUARD_TOOLS/.apt-updated" ]; then
    apt-get update -qq && touch "$CAREGUARD_TOOLS/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# python_env: a virtualenv in .tools/venv with scripts/requirements-test.txt installed;
# puts its python3 first on PATH.
python_env() {
  local venv="$CAREGUARD_TOOLS/venv" req="$CAREGUARD_ROOT/scripts/requirements-test.txt"
  if [ ! -x "$venv/bin/python3" ]; then
    python3 -m venv "$venv"
  fi
  if ! cmp -s "$req" "$venv/.installed-requirements" 2>/dev/null; then
    "$venv/bin/pip" install -q -r "$req"
    cp "$req" "$venv/.installed-requirements"
  fi
  export PATH="$venv/bin:$PATH"
}
