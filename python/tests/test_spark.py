"""PySpark in local mode over a generated archive gets the same findings as the CLI."""

import json
import os
import random
import subprocess
import sys

import pandas as pd
import pytest
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from careguard.spark import findings_udf

GIVEN = ["John", "Aisha", "Siobhan", "Oluwaseun", "Zoë", "Mohammed", "Priya", "Tomasz"]
SURNAMES = ["Smith", "Khan", "O'Neill", "Adeyemi", "Nowak", "Patel", "Ní Bhriain", "Jones"]


def nhs_number(rng):
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1))) % 11
        if check == 11:
            check = 0
        if check != 10:
            s = "".join(map(str, digits + [check]))
            return f"{s[:3]} {s[3:6]} {s[6:]}"


def message(rng):
    name = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
    dob = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1930, 2010)}"
    return rng.choice([
        f"pt {name} NHS {nhs_number(rng)} dob {dob}",
        f"bed {rng.randint(1, 30)} obs stable, bloods at {rng.randint(8, 18)}:00",
        f"can someone review Mr {name.split()[1]} in bay {rng.randint(1, 6)}? 🙂",
        f"{name} ({dob}) MRN RX{rng.randint(10**6, 10**7 - 1)} for discharge",
        "will do, thanks",
        f"call 01632 960{rng.randint(100, 999)} re {name}",
    ])


@pytest.fixture(scope="module")
def spark():
    # Workers must run the interpreter that has the wheel installed, not PATH's python3.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("careguard-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_pandas_udf_matches_the_cli_on_a_generated_archive(spark, cli_path, tmp_path):
    rng = random.Random(15)
    lines = [message(rng) for _ in range(600)]
    archive = tmp_path / "archive.txt"
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")

    cli = subprocess.run([str(cli_path), "scan", "--format", "jsonl", str(archive)],
                         capture_output=True, text=True, check=False)
    assert cli.returncode == 1, cli.stderr  # 1: findings
    keys = ("kind", "start", "end", "start_utf16", "end_utf16", "confidence", "rule")
    expected = set()
    for obj in map(json.loads, cli.stdout.splitlines()):
        for f in obj["findings"]:
            expected.add((obj["line"], *(f[k] for k in keys), f.get("subject", "unknown")))

    df = spark.createDataFrame(pd.DataFrame({"line": range(1, len(lines) + 1), "text": lines})).repartition(2)
    scan = findings_udf()
    rows = (
        df.select("line", F.explode(scan("text")).alias("f"))
        .select("line", "f.*")
        .collect()
    )
    got = {(r["line"], *(r[k] for k in keys), r["subject"]) for r in rows}
    assert len(got) == len(rows) > 500
    assert got == expected
    assert {k for (_, k, *_) in got} >= {"nhs_number", "date_of_birth", "person_name", "phone_number"}
