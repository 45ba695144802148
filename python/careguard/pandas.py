"""Scan a pandas column and get the findings as a DataFrame.

```python
import careguard.pandas as cgpd
findings = cgpd.scan_column(messages, "body", id_column="message_id")
```

Texts are scanned in parallel without the GIL (``Scanner.scan_columns``). The result has
one row per finding: ``message_id`` (the id column's value, or the row's index label),
``kind``, ``start``/``end`` (UTF-8 bytes), ``start_utf16``/``end_utf16``,
``start_char``/``end_char`` (Python ``str`` indices), ``confidence``, ``rule`` and
``subject``. Its columns are Arrow-backed (``pd.ArrowDtype``) when pyarrow is installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Optional

from careguard._careguard import Scanner

if TYPE_CHECKING:
    import pandas as pd

#: The result's columns, in order.
COLUMNS = [
    "message_id", "kind", "start", "end", "start_utf16", "end_utf16",
    "start_char", "end_char", "confidence", "rule", "subject",
]

_DEFAULT: Optional[Scanner] = None


def _default_scanner() -> Scanner:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Scanner()
    return _DEFAULT


def _texts(values: Any) -> list[Optional[str]]:
    """The column as str-or-None: missing values (None, NaN, pd.NA) scan as no text."""
    import pandas as pd

    out: list[Optional[str]] = []
    for v in values:
        if isinstance(v, str):
            out.append(v)
        elif v is None or (not isinstance(v, (list, tuple, dict)) and pd.isna(v)):
            out.append(None)
        else:
            raise TypeError(f"careguard scans text; the column holds a {type(v).__name__}")
    return out


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def scan_series(
    series: "pd.Series",
    *,
    ids: Any = None,
    scanner: Optional[Scanner] = None,
    dtype_backend: Optional[Literal["pyarrow", "numpy"]] = None,
) -> "pd.DataFrame":
    """Findings of every text in ``series`` (see the module docstring); ``ids`` gives
    each text's message id (default: the series' index)."""
    import pandas as pd

    scanner = scanner or _default_scanner()
    cols = scanner.scan_columns(_texts(series))
    id_values = list(series.index if ids is None else ids)
    if len(id_values) != len(series):
        raise ValueError("ids must have one value per text")
    rows = cols.pop("row")
    data = {"message_id": [id_values[r] for r in rows], **cols}
    backend = dtype_backend or ("pyarrow" if _has_pyarrow() else "numpy")
    if backend == "pyarrow":
        import pyarrow as pa

        ints = pd.ArrowDtype(pa.int64())
        strings = pd.ArrowDtype(pa.string())
        dtypes = {
            "kind": strings, "rule": strings, "subject": strings,
            "confidence": pd.ArrowDtype(pa.float64()),
            **{c: ints for c in ("start", "end", "start_utf16", "end_utf16", "start_char", "end_char")},
        }
        frame = pd.DataFrame(data, columns=COLUMNS)
        return frame.astype({c: t for c, t in dtypes.items()})
    if backend != "numpy":
        raise ValueError("dtype_backend must be 'pyarrow', 'numpy' or None")
    frame = pd.DataFrame(data, columns=COLUMNS)
    int_cols = ("start", "end", "start_utf16", "end_utf16", "start_char", "end_char")
    return frame.astype({**{c: "int64" for c in int_cols}, "confidence": "float64"})


def scan_column(
    df: "pd.DataFrame",
    column: str,
    id_column: Optional[str] = None,
    *,
    scanner: Optional[Scanner] = None,
    dtype_backend: Optional[Literal["pyarrow", "numpy"]] = None,
) -> "pd.DataFrame":
    """Findings of every text in ``df[column]``, one row per finding; ``message_id`` is
    ``df[id_column]`` or, without one, the row's index label."""
    ids = None if id_column is None else df[id_column]
    return scan_series(df[column], ids=ids, scanner=scanner, dtype_backend=dtype_backend)


def minimise_column(
    df: "pd.DataFrame", column: str, *, scanner: Optional[Scanner] = None
) -> "pd.Series":
    """``df[column]`` with every identifier masked (missing values stay missing)."""
    import pandas as pd

    scanner = scanner or _default_scanner()
    texts = _texts(df[column])
    present = [t for t in texts if t is not None]
    masked = iter(scanner.minimise_many(present))
    out = [None if t is None else next(masked) for t in texts]
    return pd.Series(out, index=df.index, name=column, dtype=df[column].dtype)
