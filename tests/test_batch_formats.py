"""Every input format end to end through `score_inputs`, broken inputs included.

Each test writes a small input with good and bad records, scores it with the fake scorer
(tests/fakes.py) and checks the output record of every input: id, route, codes, date of
service and the exact error message. A bad record never stops the others.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nlp.batch import Columns, score_inputs
from tests.batch_support import by_id, fhir_report, hl7_message, read_jsonl

MB_TEXT = "SPECT imaging. " * 70_000  # 1,050,000 characters


def run(inputs: list[Path], out: Path, factory: str, **kwargs: Any) -> dict[str, dict[str, Any]]:
    summary = score_inputs(inputs, out, workers=1, progress=False, scorer_factory=factory, **kwargs)
    records = by_id(read_jsonl(out))
    assert summary.records == len(records)
    assert summary.exit_code == (1 if any(r["route"] == "error" for r in records.values()) else 0)
    return records


def routes(records: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {id: r["route"] for id, r in records.items()}


def errors(records: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {id: r["error"] for id, r in records.items() if r["route"] == "error"}


# --- a directory of .txt files -----------------------------------------------------------


@pytest.fixture()
def txt_dir(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("SPECT/CT of the pelvis for localization.", encoding="utf-8")
    (root / "sub" / "b.txt").write_text("Myocardial perfusion SPECT.", encoding="utf-8")
    (root / "sub" / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (root / "bad.txt").write_bytes(b"Bone scan \xff whole body, anterior and posterior.")
    (root / "big.txt").write_text(MB_TEXT, encoding="utf-8")
    (root / "notes.md").write_text("not a report", encoding="utf-8")
    return root


def test_batch_txt_directory_scores_each_file_and_reports_the_bad_ones(
    txt_dir: Path, tmp_path: Path, scorer_factory: str
) -> None:
    records = run([txt_dir], tmp_path / "out.jsonl", scorer_factory)

    assert routes(records) == {
        "a.txt": "auto",
        "bad.txt": "error",
        "big.txt": "error",
        "sub/b.txt": "auto",
        "sub/empty.txt": "error",
    }
    assert records["a.txt"]["codes"] == ["78830"]
    assert records["sub/b.txt"]["codes"] == ["78452"]
    assert records["a.txt"]["dos"] is None
    assert records["a.txt"]["notes"] == [
        "no date of service was given; scored with the date unknown"
    ]
    assert records["a.txt"]["source"] == str(txt_dir / "a.txt")
    assert errors(records) == {
        "bad.txt": "the report is not valid UTF-8 (byte 0xff at offset 10); rerun with "
        "--encoding-errors replace to score it with the bad bytes replaced",
        "big.txt": "the report file is 1,050,000 bytes, over the limit of 200,000 characters; "
        "raise --max-chars to score it",
        "sub/empty.txt": "the report text is empty",
    }


def test_batch_txt_encoding_errors_replace_scores_and_notes_the_replacement(
    txt_dir: Path, tmp_path: Path, scorer_factory: str
) -> None:
    records = run(
        [txt_dir],
        tmp_path / "out.jsonl",
        scorer_factory,
        encoding_errors="replace",
        max_chars=2_000_000,
    )

    assert records["bad.txt"]["route"] == "auto"
    assert records["bad.txt"]["codes"] == ["78306"]
    assert records["bad.txt"]["notes"] == [
        "1 invalid UTF-8 byte sequence(s) were replaced with U+FFFD",
        "no date of service was given; scored with the date unknown",
    ]
    assert records["big.txt"]["route"] == "auto"  # within the raised --max-chars
    assert set(errors(records)) == {"sub/empty.txt"}


# --- JSONL -----------------------------------------------------------------------------------


def test_batch_jsonl_bad_lines_become_error_records_and_the_rest_are_scored(
    tmp_path: Path, scorer_factory: str
) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "r1", "text": "SPECT/CT chest", "dos": "2024-03-05"}),
        json.dumps({"id": 2, "text": "Myocardial perfusion", "dos": "20240306"}),
        json.dumps({"id": "r3", "text": "SPECT brain", "dos": "2024-02-30"}),
        json.dumps({"id": "r4", "text": "SPECT liver", "dos": "03/07/2024"}),
        "",
        json.dumps({"id": "r5"}),
        json.dumps({"id": "r6", "text": " "}),
        json.dumps({"id": "r7", "text": MB_TEXT}),
        json.dumps({"text": "no id here"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "r8", "text": 42}),
        json.dumps({"id": "r9", "text": "please raise an error"}),
    ]
    data = "\n".join(lines).encode() + b"\n"
    data += b'{"id": "r10", "text": "bad \xff\xfe byte"}\n'
    data += b'{"id": "r11", "text": "SPECT/CT of the ab'  # truncated last line
    src.write_bytes(data)

    records = run([src], tmp_path / "out.jsonl", scorer_factory)

    assert routes(records) == {
        "r1": "auto",
        "2": "auto",
        "r3": "auto",
        "r4": "auto",
        "r5": "error",
        "r6": "error",
        "r7": "error",
        f"{src}:9": "error",
        f"{src}:10": "error",
        "r8": "error",
        "r9": "error",
        f"{src}:13": "error",
        f"{src}:14": "error",
    }
    assert {i: records[i]["dos"] for i in ("r1", "2", "r3", "r4")} == {
        "r1": "2024-03-05",
        "2": "2024-03-06",
        "r3": None,
        "r4": "2024-03-07",
    }
    assert records["r1"]["facts"]["dos"] == "2024-03-05"  # handed to the scorer
    assert records["r3"]["notes"] == [
        "date of service '2024-02-30' is not a valid date; scored with the date unknown"
    ]
    assert errors(records) == {
        "r5": "the report text is empty",
        "r6": "the report text is empty",
        "r7": "the report is 1,050,000 characters long, over the limit of 200,000; "
        "raise --max-chars to score it",
        f"{src}:9": "line 9 has no 'id' value",
        f"{src}:10": "line 10 is not a JSON object",
        "r8": "line 11: 'text' is a int, not a string",
        "r9": "the scorer raised ValueError: fake scorer cannot read report r9",
        f"{src}:13": "line 13 is not valid UTF-8 (byte 0xff at offset 27); rerun with "
        "--encoding-errors replace to score it with the bad bytes replaced",
        f"{src}:14": "line 14 is not valid JSON (Unterminated string starting at: column 23); "
        "the file ends inside this line: was it truncated?",
    }
    assert records[f"{src}:14"]["source"] == f"{src} line 14"


def test_batch_jsonl_columns_are_configurable_and_gzip_is_read(
    tmp_path: Path, scorer_factory: str
) -> None:
    src = tmp_path / "in.ndjson.gz"
    rows = [
        {"accession": "A1", "body": "SPECT/CT", "exam_date": "2023-12-31T23:59:00"},
        {"accession": "A2", "body": "whole body bone scan", "exam_date": None},
    ]
    with gzip.open(src, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in rows)

    records = run(
        [src],
        tmp_path / "out.jsonl",
        scorer_factory,
        columns=Columns(id="accession", text="body", dos="exam_date"),
    )

    assert routes(records) == {"A1": "auto", "A2": "auto"}
    assert records["A1"]["dos"] == "2023-12-31"
    assert records["A2"]["codes"] == ["78306"]
    assert records["A2"]["notes"] == ["no date of service was given; scored with the date unknown"]


# --- CSV -------------------------------------------------------------------------------------


def test_batch_csv_rows_with_multiline_text_and_bad_rows(
    tmp_path: Path, scorer_factory: str
) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(
        b"\xef\xbb\xbfid,text,dos\r\n"  # Excel's BOM and line ends
        b'c1,"SPECT/CT\r\nof the ""pelvis"", two lines",2024-01-02\r\n'
        b"c2,Myocardial perfusion,\r\n"
        b"c3,too,many,fields\r\n"
        b"c4,Bone \xff scan whole body,2024-01-03\r\n"
        b",no id,2024-01-04\r\n"
        b"c5,SPECT liver,2024-01-05\r\n"
    )

    records = run([src], tmp_path / "out.jsonl", scorer_factory)

    assert routes(records) == {
        "c1": "auto",
        "c2": "auto",
        f"{src}:5": "error",
        "c4": "error",
        f"{src}:7": "error",
        "c5": "auto",
    }
    assert records["c1"]["codes"] == ["78830"]
    assert records["c1"]["evidence"][0]["text"] == "SPECT/CT"
    assert records["c1"]["source"] == f"{src} line 2"
    assert records["c5"]["source"] == f"{src} line 8"
    assert records["c2"]["dos"] is None
    assert errors(records) == {
        f"{src}:5": "the CSV row at line 5 has 4 fields, the header 3",
        "c4": "the row at line 6 is not valid UTF-8; rerun with --encoding-errors replace to "
        "score it with the bad bytes replaced",
        f"{src}:7": "the row at line 7 has no 'id' value",
    }


def test_batch_csv_without_the_text_column_fails_that_file_only(
    tmp_path: Path, scorer_factory: str
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("id,text\ng1,SPECT/CT\ng2,whole body\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\nb1,SPECT/CT\n", encoding="utf-8")
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({"id": "j1", "text": "SPECT"}) + "\n", encoding="utf-8")

    summary = score_inputs(
        [good, bad, later],
        tmp_path / "out.jsonl",
        workers=1,
        progress=False,
        scorer_factory=scorer_factory,
    )
    records = by_id(read_jsonl(tmp_path / "out.jsonl"))

    assert routes(records) == {"g1": "auto", "g2": "auto", str(bad): "error", "j1": "auto"}
    assert errors(records) == {
        str(bad): "bad.csv has no 'text' column (its columns: id, body); name it with --text-column"
    }
    assert summary.exit_code == 1
    assert summary.errors == [
        (
            str(bad),
            "bad.csv has no 'text' column (its columns: id, body); name it with --text-column",
        )
    ]


# --- Parquet ---------------------------------------------------------------------------------


def test_batch_parquet_input_is_read_in_batches(tmp_path: Path, scorer_factory: str) -> None:
    src = tmp_path / "in.parquet"
    n = 2_500  # more than one 1,024-row batch
    table = pa.table(
        {
            "report_id": [f"p{i}" for i in range(n)],
            "report": ["SPECT/CT" if i % 2 else "" for i in range(n)],
            "study_date": [dt.date(2024, 1, 1) + dt.timedelta(days=i % 30) for i in range(n)],
        }
    )
    pq.write_table(table, src, row_group_size=700)
    no_text = tmp_path / "no_text.parquet"
    pq.write_table(pa.table({"report_id": ["x"], "other": ["y"]}), no_text)

    records = run(
        [src, no_text],
        tmp_path / "out.jsonl",
        scorer_factory,
        columns=Columns(id="report_id", text="report", dos="study_date"),
    )

    assert len(records) == n + 1
    assert records["p1"]["route"] == "auto"
    assert records["p1"]["dos"] == "2024-01-02"
    assert records["p2499"]["source"] == f"{src} row 2500"
    assert sum(r["route"] == "error" for r in records.values()) == n // 2 + 1
    assert records["p0"]["error"] == "the report text is empty"
    assert records[str(no_text)]["error"] == (
        "no_text.parquet has no 'report' column (its columns: report_id, other); "
        "name it with --text-column"
    )


# --- HL7 v2 ----------------------------------------------------------------------------------


def test_batch_hl7_messages_with_any_separators_and_broken_messages(
    tmp_path: Path, scorer_factory: str
) -> None:
    good = hl7_message(
        "MSG1",
        "ACC1",
        [r"SPECT/CT of the chest\.br\for localization.", r"Impression\F\ normal\E\done"],
        value_type="FT",
    )
    crlf = hl7_message("MSG2", "", ["Myocardial perfusion", "rest and stress"]).replace(
        "\r", "\r\n"
    )
    lf = hl7_message("MSG3", "ACC3", ["WHOLE^Whole body bone scan^L"], value_type="CE")
    lf = lf.replace("\r", "\n")
    invalid = hl7_message("MSG4", "ACC4", ["SPECT"]).replace("PID|", "this is not a segment\rPID|")
    no_obx = hl7_message("MSG5", "ACC5", [], date="")
    adt = hl7_message("MSG6", "ACC6", ["SPECT"], message_type="ADT^A08")
    bad_date = hl7_message("MSG7", "ACC7", ["SPECT brain"], date="20240231")
    latin1 = hl7_message("MSG8", "ACC8", ["SPECT"]).encode().replace(b"|SPECT|", b"|SPECT \xe9|")
    nm_only = hl7_message("MSG9", "ACC9", ["42"], value_type="NM")
    src = tmp_path / "feed.hl7"
    src.write_bytes(
        b"FHS|^~\\&|RIS\rBHS|^~\\&|RIS\r"
        + "".join([good, crlf, lf, invalid, no_obx, adt, bad_date]).encode("utf-8")
        + latin1
        + nm_only.encode()
        + b"BTS|9\rFTS|1\r"
    )

    records = run([src], tmp_path / "out.jsonl", scorer_factory)

    assert routes(records) == {
        "ACC1": "auto",
        "MSG2": "auto",
        "ACC3": "auto",
        "ACC4": "error",
        "ACC5": "error",
        "ACC6": "error",
        "ACC7": "auto",
        "ACC8": "error",
        "ACC9": "error",
    }
    assert records["ACC1"]["codes"] == ["78830"]
    assert records["ACC1"]["dos"] == "2024-03-05"
    assert records["ACC1"]["source"] == f"{src} message 1 (line 3)"
    assert records["MSG2"]["codes"] == ["78452"]
    assert records["ACC3"]["codes"] == ["78306"]
    assert records["ACC7"]["dos"] is None
    assert records["ACC7"]["notes"] == [
        "date of service '20240231' is not a valid date; scored with the date unknown"
    ]
    assert errors(records) == {
        "ACC4": "message 4 has an invalid segment at line 18 (it does not start with a "
        "3-character segment name and a field separator)",
        "ACC5": "message 5 (ORU^R01) has no OBX text segment (value type TX, FT, ST or CE)",
        "ACC6": "message 6 is ADT^A08, not a report message (ORU^R01)",
        "ACC8": "message 8 is not valid UTF-8 (byte 0xe9 at offset 177); rerun with "
        "--encoding-errors replace to score it with the bad bytes replaced",
        "ACC9": "message 9 (ORU^R01) has no OBX text segment (value type TX, FT, ST or CE)",
    }


def test_batch_hl7_text_is_unescaped_joined_and_read_in_the_declared_charset(
    tmp_path: Path,
) -> None:
    from nlp.batch.hl7 import read_hl7

    msg = hl7_message(
        "M1",
        "A1",
        [
            r"FINDINGS:\.br\Uptake in L4\S\L5 \H\marked\N\ (\T\).",
            r"Line one~Line two",
            "",
            r"Hex \X41\ escape \E\ done\.sp2\end",
        ],
        value_type="FT",
    ).replace("|2.5", "|2.5||||||8859/1")
    src = tmp_path / "m.hl7"
    src.write_bytes(msg.replace("done", "d\u00f6ne").encode("latin-1"))
    with open(src, "rb") as f:
        [record] = list(read_hl7(f, src))

    assert record.error is None
    assert record.text == (
        "FINDINGS:\nUptake in L4^L5 marked (&).\nLine one\nLine two\n\n"
        "Hex A escape \\ d\u00f6ne\n\nend"
    )
    assert record.id == "A1"
    assert record.dos == "2024-03-05"


def test_batch_hl7_stray_lines_before_the_first_message(tmp_path: Path) -> None:
    from nlp.batch.hl7 import read_hl7

    src = tmp_path / "m.hl7"
    src.write_bytes(b"garbage line\nmore\n" + hl7_message("M1", "A1", ["SPECT"]).encode())
    with open(src, "rb") as f:
        records = list(read_hl7(f, src))

    assert [(r.id, r.error) for r in records] == [
        (f"{src}:1", "line 1 is not part of an HL7 message (no MSH segment before it)"),
        ("A1", None),
    ]


# --- FHIR ------------------------------------------------------------------------------------


def test_batch_fhir_bundle_single_resource_and_ndjson(tmp_path: Path, scorer_factory: str) -> None:
    html = "<html><body><p>SPECT/CT</p><p>of the &amp; pelvis</p><script>x()</script></body></html>"
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"resource": fhir_report("dr1", "Myocardial perfusion SPECT")},
            {"resource": {"resourceType": "Patient", "id": "pat1"}},
            {"resource": fhir_report(None, "whole body bone scan", identifier="ACC-2", date=None)},
            {"resource": fhir_report("dr3", conclusion="Equivocal uptake", date="2024-03")},
            {"resource": fhir_report("dr4")},
            {"resource": fhir_report("dr5", html, content_type="text/html; charset=utf-8")},
            {
                "resource": {
                    **fhir_report("dr6", "SPECT"),
                    "presentedForm": [{"contentType": "text/plain", "data": "%%%"}],
                }
            },
            {
                "resource": {
                    **fhir_report("dr7", "SPECT brain", date=None),
                    "effectivePeriod": {"start": "2024-04-01T08:00:00+02:00"},
                }
            },
        ],
    }
    bundle_file = tmp_path / "bundle.json"
    bundle_file.write_text(json.dumps(bundle), encoding="utf-8")
    single = tmp_path / "single.json"
    single.write_text(json.dumps(fhir_report("dr8", "SPECT/CT")), encoding="utf-8")
    patient = tmp_path / "patient.json"
    patient.write_text(json.dumps({"resourceType": "Patient", "id": "p"}), encoding="utf-8")
    ndjson = tmp_path / "export.ndjson"
    ndjson.write_text(
        json.dumps(fhir_report("dr9", "SPECT liver", date="2024-05-06"))
        + "\n"
        + json.dumps({"resourceType": "Patient", "id": "p2"})
        + "\n"
        + json.dumps(fhir_report("dr10", "gastric emptying study"))
        + "\n",
        encoding="utf-8",
    )

    records = run([bundle_file, single, patient, ndjson], tmp_path / "out.jsonl", scorer_factory)

    assert routes(records) == {
        "dr1": "auto",
        "ACC-2": "auto",
        "dr3": "review",
        "dr4": "error",
        "dr5": "auto",
        "dr6": "error",
        "dr7": "auto",
        "dr8": "auto",
        str(patient): "error",
        "dr9": "auto",
        "dr10": "out_of_scope",
    }
    assert records["dr1"]["dos"] == "2024-03-05"
    assert records["dr1"]["source"] == f"{bundle_file} entry 1"
    assert records["ACC-2"]["dos"] is None
    assert records["dr3"]["notes"] == [
        "no text presentedForm: scored the conclusion",
        "date of service '2024-03' is not a valid date; scored with the date unknown",
    ]
    assert records["dr5"]["codes"] == ["78830"]
    assert records["dr7"]["dos"] == "2024-04-01"
    assert records["dr9"]["source"] == f"{ndjson} line 1"
    assert records["dr9"]["dos"] == "2024-05-06"
    assert errors(records) == {
        "dr4": "the DiagnosticReport has no text presentedForm and no conclusion",
        "dr6": "presentedForm data is not valid base64",
        str(patient): "patient.json is a Patient resource; a .json input must be a "
        "DiagnosticReport or a Bundle (use .jsonl for one record per line)",
    }


def test_batch_fhir_html_presented_form_loses_its_tags() -> None:
    from nlp.batch.fhir import resource_record

    html = "<p>SPECT/CT</p><p>of the &amp; pelvis</p><script>x()</script>"
    data = base64.b64encode(html.encode("utf-8")).decode()
    resource = {
        "resourceType": "DiagnosticReport",
        "id": "h",
        "presentedForm": [
            {"contentType": "application/pdf", "data": "JVBERi0="},
            {"contentType": "text/html", "data": data},
        ],
    }
    record = resource_record(resource, "w", "f", "strict")

    assert record is not None
    assert record.text == "SPECT/CT\nof the & pelvis"


def test_batch_fhir_truncated_bundle_keeps_the_entries_before_the_break(
    tmp_path: Path, scorer_factory: str
) -> None:
    bundle = {
        "resourceType": "Bundle",
        "entry": [{"resource": fhir_report(f"dr{i}", "SPECT")} for i in range(3)],
    }
    src = tmp_path / "cut.json"
    text = json.dumps(bundle)
    src.write_text(text[: text.index('"dr2"') + 3], encoding="utf-8")

    records = run([src], tmp_path / "out.jsonl", scorer_factory)

    assert routes(records) == {"dr0": "auto", "dr1": "auto", f"{src}#entry3": "error"}
    assert records[f"{src}#entry3"]["error"].startswith(
        "cut.json is not valid JSON after entry 2 ("
    )


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "dos", "note"),
    [
        ("2024-03-05", "2024-03-05", None),
        ("2024-03-05T10:00:00Z", "2024-03-05", None),
        ("2024-03-05 10:00:00", "2024-03-05", None),
        ("20240305", "2024-03-05", None),
        ("202403051015", "2024-03-05", None),
        ("20240305101500.123-0500", "2024-03-05", None),
        ("3/5/2024", "2024-03-05", None),
        (dt.date(2024, 3, 5), "2024-03-05", None),
        (dt.datetime(2024, 3, 5, 23, 0), "2024-03-05", None),
        (None, None, "no date of service was given; scored with the date unknown"),
        ("", None, "no date of service was given; scored with the date unknown"),
        (
            "2024-13-01",
            None,
            "date of service '2024-13-01' is not a valid date; scored with the date unknown",
        ),
        (
            "yesterday",
            None,
            "date of service 'yesterday' is not a valid date; scored with the date unknown",
        ),
    ],
)
def test_batch_records_normalize_dos(raw: object, dos: str | None, note: str | None) -> None:
    from nlp.batch.records import normalize_dos

    assert normalize_dos(raw) == (dos, note)


# --- unreadable files, segment splitting, pre-count -------------------------------------


def test_batch_unreadable_files_are_one_error_each(tmp_path: Path, scorer_factory: str) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not a parquet file at all")
    gz = tmp_path / "broken.jsonl.gz"
    gz.write_bytes(b"not gzip")
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "g", "text": "SPECT"}) + "\n", encoding="utf-8")

    records = run([broken, gz, good], tmp_path / "out.jsonl", scorer_factory)

    assert routes(records) == {str(broken): "error", str(gz): "error", "g": "auto"}
    assert records[str(broken)]["error"].startswith(f"cannot read {broken}: ")
    assert records[str(gz)]["error"] == f"cannot read {gz}: Not a gzipped file (b'no')"


@pytest.mark.parametrize("block_size", [1, 2, 3, 5, 64])
def test_batch_hl7_segments_split_on_any_line_end_across_blocks(block_size: int) -> None:
    import io

    from nlp.batch.hl7 import _lines

    data = b"MSH|a\r\nPID|b\rOBR|c\nOBX|d\r\n\r\nOBX|e"
    assert list(_lines(io.BytesIO(data), block_size)) == [
        b"MSH|a",
        b"PID|b",
        b"OBR|c",
        b"OBX|d",
        b"",
        b"OBX|e",
    ]


def test_batch_count_records_for_the_progress_bar(tmp_path: Path, txt_dir: Path) -> None:
    from nlp.batch.readers import count_records

    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"id": 1}\n\n{"id": 2}\n{"id": 3}', encoding="utf-8")
    csv_file = tmp_path / "a.csv"
    csv_file.write_text('id,text\n1,"two\nlines"\n2,one\n', encoding="utf-8")
    hl7_file = tmp_path / "a.hl7"
    hl7_file.write_text(
        "".join(hl7_message(f"M{i}", f"A{i}", ["x"]) for i in range(7)), encoding="utf-8"
    )
    parquet = tmp_path / "a.parquet"
    pq.write_table(pa.table({"id": ["1", "2", "3", "4"], "text": ["x"] * 4}), parquet)

    assert count_records([jsonl]) == 3
    assert count_records([csv_file]) == 2
    assert count_records([hl7_file]) == 7
    assert count_records([parquet]) == 4
    assert count_records([txt_dir]) == 5
    assert count_records([jsonl, csv_file, hl7_file, parquet, txt_dir]) == 21


def test_batch_txt_directory_with_a_dangling_link(tmp_path: Path, scorer_factory: str) -> None:
    root = tmp_path / "reports"
    root.mkdir()
    (root / "a.txt").write_text("SPECT", encoding="utf-8")
    (root / "gone.txt").symlink_to(root / "missing.txt")

    records = run([root], tmp_path / "out.jsonl", scorer_factory)

    assert routes(records) == {"a.txt": "auto", "gone.txt": "error"}
    assert (
        records["gone.txt"]["error"]
        == f"cannot read {root / 'gone.txt'}: No such file or directory"
    )


@pytest.mark.parametrize(
    ("encoding_errors", "route", "error", "notes"),
    [
        (
            "strict",
            "error",
            "the report text has 1 invalid Unicode escape(s) (lone surrogates); rerun with "
            "--encoding-errors replace to score it with them replaced",
            [],
        ),
        ("replace", "auto", None, ["1 invalid Unicode escape(s) were replaced with U+FFFD"]),
    ],
)
def test_batch_jsonl_lone_surrogate_escapes(
    tmp_path: Path,
    scorer_factory: str,
    encoding_errors: str,
    route: str,
    error: str | None,
    notes: list[str],
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "s", "text": "SPECT \\ud800 study", "dos": "2024-01-02"}\n', encoding="utf-8"
    )

    records = run([src], tmp_path / "out.jsonl", scorer_factory, encoding_errors=encoding_errors)

    assert (records["s"]["route"], records["s"]["error"], records["s"]["notes"]) == (
        route,
        error,
        notes,
    )
