"""Scan Trust-wide archives with Spark: a pandas UDF over the careguard wheel.

Install the wheel on every executor (``pip install careguard``, or ship it with
``spark.archives``/``--py-files``), then:

```python
from pyspark.sql import functions as F
from careguard.spark import findings_udf

scan = findings_udf()                      # Scanner options go here: findings_udf(kinds=[...])
findings = (
    messages.select("message_id", F.explode(scan("body")).alias("f"))
            .select("message_id", "f.*")   # kind, start, end, ..., subject
)
```

Each Python worker builds one ``Scanner`` (with the options given) the first time it
runs the UDF and reuses it; every Arrow batch is scanned with ``Scanner.scan_columns``,
in parallel and without the GIL.
"""

from typing import Any, Optional

from careguard._careguard import Scanner

#: The struct of one finding (Spark DDL); the UDF returns an array of these per text.
FINDING_DDL = (
    "kind string, start long, end long, start_utf16 long, end_utf16 long, "
    "start_char long, end_char long, confidence double, rule string, subject string"
)
_FIELDS = [f.split()[0] for f in FINDING_DDL.split(", ")]

# One scanner per Python worker process and option set: building one compiles the
# lexicon, so it must not happen per batch.
_SCANNERS: "dict[tuple, Scanner]" = {}


def _scanner(options: dict[str, Any]) -> Scanner:
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in options.items()))
    if key not in _SCANNERS:
        _SCANNERS[key] = Scanner(**options)
    return _SCANNERS[key]


def scan_batch(texts: "Any", options: Optional[dict[str, Any]] = None) -> list[list[dict[str, Any]]]:
    """The findings of each text in ``texts`` (None for a missing text) as lists of
    dicts with the fields of ``FINDING_DDL``: what the UDF returns for one batch."""
    from careguard.pandas import _texts

    cols = _scanner(options or {}).scan_columns(_texts(texts))
    out: list[list[dict[str, Any]]] = [[] for _ in range(len(texts))]
    for i, row in enumerate(cols["row"]):
        out[row].append({name: cols[name][i] for name in _FIELDS})
    return out


def findings_udf(**scanner_options: Any):
    """A pandas UDF: a string column in, an ``array<struct<FINDING_DDL>>`` column out.
    ``scanner_options`` are ``careguard.Scanner``'s keyword arguments."""
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    options = dict(scanner_options)

    @pandas_udf(f"array<struct<{FINDING_DDL}>>")
    def careguard_findings(texts: pd.Series) -> pd.Series:
        return pd.Series(scan_batch(texts, options), index=texts.index)

    return careguard_findings
