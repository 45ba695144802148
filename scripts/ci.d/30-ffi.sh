#!/usr/bin/env bash
# The C ABI (ffi/) through its real clients: header freshness, the C client under
# valgrind and AddressSanitizer, the header as a Clang module, and Python ctypes. (Swift
# and Kotlin apps use the generated uniffi bindings instead: scripts/ci.d/35-kotlin.sh.)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/common.sh

echo "--- installing valgrind and clang-14 (if missing)"
apt_install valgrind clang-14

lib_dir="${CARGO_TARGET_DIR:-$CAREGUARD_ROOT/target}/release"
work="$CAREGUARD_TOOLS/ffi-ci"
rm -rf "$work" && mkdir -p "$work"

echo "--- building the release cdylib and staticlib"
cargo build --release --locked -p careguard-ffi

echo "--- checking ffi/include/careguard.h is what cbindgen generates"
cargo test --release --locked -p careguard-ffi --test header

echo "--- header as a C, C++ and Clang module (module.modulemap)"
printf '#include "careguard.h"\nint main(void) { return cg_version() == 0; }\n' >"$work/h.c"
clang-14 -fsyntax-only -std=c99 -Weverything -Werror -Wno-padded -Wno-declaration-after-statement \
  -Iffi/include "$work/h.c"
clang-14 -fsyntax-only -x c++ -std=c++11 -Wall -Wextra -Werror -Iffi/include "$work/h.c"
printf '@import CareGuardFFI;\nint main(void) { return cg_version() == 0; }\n' >"$work/m.m"
clang-14 -fsyntax-only -fmodules -fmodules-cache-path="$work/modules" -Werror -Iffi/include "$work/m.m"

echo "--- every C function is called by the C client and declared for ctypes"
functions=$(grep -oE '^(enum cg_status|void|const char \*)[ ]?cg_[a-z0-9_]+\(' ffi/include/careguard.h |
  sed -E 's/.*(cg_[a-z0-9_]+)\($/\1/')
missing=0
for f in $functions; do
  grep -qE "\b$f\(" ffi/tests/c/test_careguard.c || { echo "C client never calls $f"; missing=1; }
  grep -q "\"$f\"" ffi/tests/python/careguard_ctypes.py || { echo "ctypes module lacks $f"; missing=1; }
done
[ "$missing" -eq 0 ]
echo "$(echo "$functions" | wc -w) functions covered"

cflags=(-std=c11 -g -pthread -Wall -Wextra -Werror -pedantic -Iffi/include)
echo "--- C client under valgrind (memory errors and leaks fail)"
gcc "${cflags[@]}" ffi/tests/c/test_careguard.c -L"$lib_dir" -lcareguard_ffi -Wl,-rpath,"$lib_dir" \
  -o "$work/test_c"
valgrind -q --suppressions=ffi/tests/c/valgrind.supp --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
  "$work/test_c"

echo "--- C client with AddressSanitizer + UndefinedBehaviorSanitizer"
gcc "${cflags[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
  ffi/tests/c/test_careguard.c -L"$lib_dir" -lcareguard_ffi -Wl,-rpath,"$lib_dir" -o "$work/test_c_asan"
ASAN_OPTIONS=detect_leaks=1 "$work/test_c_asan"

echo "--- C client linked against the staticlib (how iOS apps link it)"
gcc "${cflags[@]}" ffi/tests/c/test_careguard.c "$lib_dir/libcareguard_ffi.a" -lpthread -ldl -lm \
  -o "$work/test_c_static"
"$work/test_c_static"

echo "--- Python ctypes client"
python_env
CAREGUARD_FFI_LIB="$lib_dir/libcareguard_ffi.so" python3 -m pytest -q ffi/tests/python
