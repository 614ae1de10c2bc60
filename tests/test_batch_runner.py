"""The runner: worker processes, resume, repeated ids, summary, HTML report, logging, API."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from nlp.batch import (
    BatchError,
    InputRecord,
    WorkerCrashedError,
    score_inputs,
    score_records,
)
from nlp.batch.report import render_html
from nlp.batch.scoring import safe_exception_message
from nlp.batch.writers import read_output
from tests.batch_support import by_id, read_jsonl
from tests.fakes import FakeScorer

# Report i's text decides its code: the expected record of each is known in advance.
KINDS = [
    ("SPECT/CT of the chest, patient {i}", "78830", "auto", 0.9),
    ("Myocardial perfusion SPECT, patient {i}", "78452", "auto", 0.95),
    ("Whole body bone scan, patient {i}", "78306", "auto", 0.85),
    ("Equivocal uptake, patient {i}", "78803", "review", 0.4),
    ("Gastric emptying, patient {i}", None, "out_of_scope", 0.99),
]


def make_jsonl(path: Path, n: int, start: int = 0) -> list[str]:
    ids = []
    with open(path, "w", encoding="utf-8") as f:
        for i in range(start, start + n):
            text = KINDS[i % len(KINDS)][0].format(i=i)
            f.write(json.dumps({"id": f"r{i:05d}", "text": text, "dos": "2024-01-02"}) + "\n")
            ids.append(f"r{i:05d}")
    return ids


def check_records(records: list[dict[str, Any]]) -> None:
    for r in records:
        _, primary, route, confidence = KINDS[int(r["id"][1:]) % len(KINDS)]
        assert (r["primary"], r["route"], r["confidence"]) == (primary, route, confidence)
        assert r["dos"] == "2024-01-02"
        assert r["model_version"] == "fake-1"


def test_batch_runner_scores_across_worker_processes(tmp_path: Path, scorer_factory: str) -> None:
    ids = make_jsonl(tmp_path / "in.jsonl", 1_000)

    summary = score_inputs(
        [tmp_path / "in.jsonl"],
        tmp_path / "out.jsonl",
        workers=2,
        progress=False,
        scorer_factory=scorer_factory,
    )

    records = read_jsonl(tmp_path / "out.jsonl")
    assert sorted(r["id"] for r in records) == ids
    check_records(records)
    assert summary.records == summary.scored == 1_000
    assert summary.by_route == {"auto": 600, "review": 200, "out_of_scope": 200}
    assert summary.by_code == {
        "78830": 200,
        "78452": 200,
        "78306": 200,
        "78803": 200,
        "(none)": 200,
    }
    assert summary.confidence_bins == [0, 0, 0, 0, 200, 0, 0, 0, 200, 600]
    assert summary.exit_code == 0
    assert summary.model_versions == {"fake-1": 1_000}


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_batch_runner_resume_skips_what_is_done(
    tmp_path: Path, scorer_factory: str, suffix: str
) -> None:
    out = tmp_path / f"out{suffix}"
    make_jsonl(tmp_path / "first.jsonl", 300)
    ids = make_jsonl(tmp_path / "all.jsonl", 500)
    (tmp_path / "bad.jsonl").write_text('{"id": "e1", "text": ""}\n', encoding="utf-8")

    first = score_inputs(
        [tmp_path / "first.jsonl", tmp_path / "bad.jsonl"],
        out,
        workers=1,
        progress=False,
        scorer_factory=scorer_factory,
    )
    second = score_inputs(
        [tmp_path / "all.jsonl", tmp_path / "bad.jsonl"],
        out,
        workers=2,
        progress=False,
        resume=True,
        scorer_factory=scorer_factory,
    )

    records = list(read_output(out))
    assert sorted(r["id"] for r in records) == sorted([*ids, "e1"])
    check_records([r for r in records if r["id"] != "e1"])
    assert (first.records, first.scored, first.resumed) == (301, 301, 0)
    assert (second.records, second.scored, second.resumed) == (501, 200, 301)
    assert second.by_route == {"auto": 300, "review": 100, "out_of_scope": 100, "error": 1}
    assert second.errors == [("e1", "the report text is empty")]
    assert second.exit_code == 1


def test_batch_runner_flat_outputs_hold_the_same_records(
    tmp_path: Path, scorer_factory: str
) -> None:
    make_jsonl(tmp_path / "in.jsonl", 50)
    outputs = {}
    for suffix in (".jsonl", ".csv", ".parquet"):
        out = tmp_path / f"out{suffix}"
        score_inputs(
            [tmp_path / "in.jsonl"],
            out,
            workers=1,
            progress=False,
            scorer_factory=scorer_factory,
            include_text=True,
        )
        outputs[suffix] = by_id(list(read_output(out)))

    assert outputs[".csv"] == outputs[".jsonl"]
    assert outputs[".parquet"] == outputs[".jsonl"]
    assert outputs[".jsonl"]["r00001"]["text"] == "Myocardial perfusion SPECT, patient 1"


def test_batch_runner_a_repeated_id_is_an_error_and_scored_once(
    tmp_path: Path, scorer_factory: str
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "SPECT/CT"})
        + "\n"
        + json.dumps({"id": "a", "text": "Myocardial perfusion"})
        + "\n",
        encoding="utf-8",
    )

    score_inputs(
        [src], tmp_path / "out.jsonl", workers=1, progress=False, scorer_factory=scorer_factory
    )
    records = by_id(read_jsonl(tmp_path / "out.jsonl"))

    repeat = f"a (repeated at {src} line 2)"
    assert {i: r["route"] for i, r in records.items()} == {"a": "auto", repeat: "error"}
    assert records["a"]["codes"] == ["78830"]
    assert records[repeat]["error"] == (
        "the id 'a' was already read from the inputs; only its first record was scored"
    )
    # A resumed run does not write the repeat again.
    score_inputs(
        [src],
        tmp_path / "out.jsonl",
        workers=1,
        progress=False,
        resume=True,
        scorer_factory=scorer_factory,
    )
    assert len(read_jsonl(tmp_path / "out.jsonl")) == 2


def test_batch_runner_refuses_unknown_formats_and_outputs_before_starting(
    tmp_path: Path, scorer_factory: str
) -> None:
    src = tmp_path / "in.dat"
    src.write_text("x", encoding="utf-8")

    with pytest.raises(BatchError) as exc:
        score_inputs([src], tmp_path / "out.jsonl", progress=False, scorer_factory=scorer_factory)
    assert str(exc.value) == (
        f"cannot tell the format of {src} from its extension; "
        "name it with --format (txt, jsonl, csv, parquet, hl7, fhir)"
    )
    assert not (tmp_path / "out.jsonl").exists()


def test_batch_runner_format_option_reads_any_extension(
    tmp_path: Path, scorer_factory: str
) -> None:
    src = tmp_path / "feed.dat"
    src.write_text(json.dumps({"id": "x", "text": "SPECT"}) + "\n", encoding="utf-8")

    score_inputs(
        [src],
        tmp_path / "out.jsonl",
        format="jsonl",
        workers=1,
        progress=False,
        scorer_factory=scorer_factory,
    )

    assert [r["codes"] for r in read_jsonl(tmp_path / "out.jsonl")] == [["78803"]]


def test_batch_runner_scorer_factory_problems(tmp_path: Path) -> None:
    make_jsonl(tmp_path / "in.jsonl", 5)
    args: dict[str, Any] = {"progress": False}

    with pytest.raises(BatchError) as exc:
        score_inputs(
            [tmp_path / "in.jsonl"], tmp_path / "a.jsonl", scorer_factory="tests.fakes", **args
        )
    assert str(exc.value) == (
        "scorer factory 'tests.fakes' is not of the form 'package.module:function'"
    )
    with pytest.raises(BatchError) as exc:
        score_inputs(
            [tmp_path / "in.jsonl"], tmp_path / "b.jsonl", scorer_factory="tests.fakes:nope", **args
        )
    assert str(exc.value) == "tests.fakes has no scorer factory function 'nope'"
    with pytest.raises(BatchError) as exc:
        score_inputs(
            [tmp_path / "in.jsonl"],
            tmp_path / "c.jsonl",
            workers=1,
            scorer_factory="tests.fakes:broken_factory",
            **args,
        )
    assert str(exc.value) == (
        "the scorer factory tests.fakes:broken_factory failed: RuntimeError: model file is missing"
    )
    with pytest.raises(WorkerCrashedError) as crash:
        score_inputs(
            [tmp_path / "in.jsonl"],
            tmp_path / "d.jsonl",
            workers=2,
            scorer_factory="tests.fakes:broken_factory",
            **args,
        )
    assert "run the same command with --resume to continue" in str(crash.value)


def test_batch_runner_html_report_has_counts_and_no_report_text(
    tmp_path: Path, scorer_factory: str
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {"id": "a", "text": "SPECT/CT zebra-secret-words"},
                {"id": "b", "text": "whole body giraffe-secret-words"},
                {"id": "c<script>", "text": "raise an okapi-secret-words problem"},
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.html"

    summary = score_inputs(
        [src],
        tmp_path / "out.jsonl",
        workers=1,
        progress=False,
        scorer_factory=scorer_factory,
        report_html=report,
    )
    html = report.read_text(encoding="utf-8")

    assert html == render_html(summary)
    assert "secret-words" not in html
    assert "<tr><th>78830</th><td class=n>1</td>" in html
    assert '<tr class="route-error"><th>error</th><td class=n>1</td>' in html
    assert (
        "<tr><td>c&lt;script&gt;</td><td>the scorer raised ValueError: fake scorer cannot read "
        "report c&lt;script&gt;</td></tr>"
    ) in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_batch_runner_logs_ids_and_hashes_never_text(
    tmp_path: Path, scorer_factory: str, caplog: pytest.LogCaptureFixture
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "x1", "text": "raise the secret-words"}) + "\n", encoding="utf-8"
    )
    caplog.set_level(logging.DEBUG, logger="nlp.batch")

    score_inputs(
        [src], tmp_path / "out.jsonl", workers=1, progress=False, scorer_factory=scorer_factory
    )

    [record] = read_jsonl(tmp_path / "out.jsonl")
    assert caplog.messages == [
        f"record x1 (sha256 {record['text_sha256'][:12]}) failed: "
        "the scorer raised ValueError: fake scorer cannot read report x1"
    ]
    assert "secret-words" not in caplog.text


class QuotingScorer:
    def score(self, id: str, text: str, dos: str | None = None) -> dict[str, Any]:
        raise KeyError(f"cannot parse {text[:40]!r}")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("index 3 out of range", "the scorer raised ValueError: index 3 out of range"),
        ("bad span: 'uptake in the left lobe'", "the scorer raised ValueError"),
        ("uptake", "the scorer raised ValueError"),
        ("", "the scorer raised ValueError"),
    ],
)
def test_batch_scoring_exception_messages_never_quote_the_report(
    message: str, expected: str
) -> None:
    text = "Focal uptake in the left lobe of the thyroid."
    assert safe_exception_message(ValueError(message), text) == expected


def test_batch_score_records_streams_dicts_and_input_records() -> None:
    records = [
        {"id": "a", "text": "SPECT/CT", "dos": "2024-05-06"},
        InputRecord("b", "Myocardial perfusion", None, "mine"),
        {"text": "no id"},
        {"id": "c", "text": "x" * 23},
    ]

    out = list(score_records(iter(records), scorer=FakeScorer(), max_chars=22))
    quoting = list(
        score_records([{"id": "q", "text": "SPECT with secret words"}], scorer=QuotingScorer())
    )

    assert [(r["id"], r["route"], r["codes"], r["error"]) for r in out] == [
        ("a", "auto", ["78830"], None),
        ("b", "auto", ["78452"], None),
        ("#3", "error", [], "record 3 has no 'id'"),
        (
            "c",
            "error",
            [],
            "the report is 23 characters long, over the limit of 22; raise --max-chars to score it",
        ),
    ]
    assert out[0]["dos"] == "2024-05-06" and out[0]["facts"]["dos"] == "2024-05-06"
    assert out[1]["source"] == "mine"
    assert quoting[0]["error"] == "the scorer raised KeyError"


def test_batch_score_records_is_reexported_as_nlp_score_records() -> None:
    import nlp
    import nlp.batch

    assert nlp.score_records is nlp.batch.score_records
    with pytest.raises(AttributeError):
        nlp.no_such_name  # noqa: B018
