#!/usr/bin/env bash
# Independent second implementations (Python `cryptography`, `argon2-cffi`, `nhs-number`,
# ...) check careguard's vectors and outputs. Tests live in core/tests/python/.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/common.sh
python_env
python3 -m pytest -q core/tests/python
