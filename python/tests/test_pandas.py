import pandas as pd
import pyarrow as pa
import pytest

import careguard
import careguard.pandas as cgpd

MESSAGES = pd.DataFrame({
    "message_id": ["m1", "m2", "m3", "m4"],
    "body": [
        "pt John Smith NHS 943 476 5919",
        "bed 4 obs due",
        None,
        "🙂 Mrs Zoë Patel dob 14/03/1952",
    ],
})


def test_scan_column_gives_one_row_per_finding_with_ids_and_offsets():
    found = cgpd.scan_column(MESSAGES, "body", id_column="message_id")
    assert list(found.columns) == cgpd.COLUMNS
    assert found["message_id"].tolist() == ["m1", "m1", "m4", "m4"]
    assert found["kind"].tolist() == ["person_name", "nhs_number", "person_name", "date_of_birth"]
    scanner = careguard.Scanner()
    expected = [f for t in MESSAGES["body"] if isinstance(t, str) for f in scanner.scan(t)]
    for (_, row), f in zip(found.iterrows(), expected):
        assert (row["start"], row["end"], row["start_utf16"], row["end_utf16"]) == (
            f.start, f.end, f.start_utf16, f.end_utf16)
        assert (row["start_char"], row["end_char"], row["rule"], row["subject"]) == (
            f.start_char, f.end_char, f.rule, f.subject)
        assert row["confidence"] == f.confidence
    dob = found.iloc[3]
    assert MESSAGES["body"][3][dob["start_char"]:dob["end_char"]] == "14/03/1952"


def test_columns_are_arrow_backed_when_pyarrow_is_there():
    found = cgpd.scan_column(MESSAGES, "body")
    assert found["kind"].dtype == pd.ArrowDtype(pa.string())
    assert found["start"].dtype == pd.ArrowDtype(pa.int64())
    assert found["confidence"].dtype == pd.ArrowDtype(pa.float64())
    assert found["message_id"].tolist() == [0, 0, 3, 3]  # the index, without an id column
    table = pa.Table.from_pandas(found)
    assert table.schema.field("kind").type == pa.string()
    numpy = cgpd.scan_column(MESSAGES, "body", dtype_backend="numpy")
    assert numpy["start"].dtype == "int64"
    assert numpy.astype(str).values.tolist() == found.astype(str).values.tolist()


def test_no_findings_gives_an_empty_frame_with_the_columns():
    empty = cgpd.scan_column(pd.DataFrame({"body": ["nothing", ""]}), "body")
    assert empty.empty and list(empty.columns) == cgpd.COLUMNS


def test_options_and_errors():
    only_nhs = cgpd.scan_column(MESSAGES, "body", scanner=careguard.Scanner(kinds=["nhs_number"]))
    assert only_nhs["kind"].tolist() == ["nhs_number"]
    with pytest.raises(TypeError):
        cgpd.scan_column(pd.DataFrame({"body": [1, 2]}), "body")


def test_minimise_column_keeps_missing_values():
    out = cgpd.minimise_column(MESSAGES, "body")
    assert out.tolist()[:2] == ["pt [name] NHS [NHS number]", "bed 4 obs due"]
    assert pd.isna(out[2])
    assert out[3] == "🙂 Mrs [name] dob [date of birth]"
    assert out.index.equals(MESSAGES.index)
