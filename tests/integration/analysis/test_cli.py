from __future__ import annotations

import json

import pytest

from entrypoints.cli import main

pytestmark = pytest.mark.media


def test_analyze_prints_json_and_draws_a_report(media_dir, tmp_path, capsys):
    report = tmp_path / "report.png"
    code = main(["analyze", str(media_dir / "video" / "01_dance_solo_musepose.mp4"), "--json", "--report",
                 str(report)])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    report_doc = out["report"]
    parts = ("balance", "rhythm", "smoothness", "creativity")
    assert report_doc["total"] == pytest.approx(sum(report_doc[p] for p in parts))
    assert out["music"]["source"] == "audio" and report_doc["rhythm_basis"] == "music_beats"
    assert report.stat().st_size > 20_000 and report.read_bytes()[:4] == b"\x89PNG"


def test_analyze_reports_a_failure_with_its_reason(tmp_path, capsys):
    fake = tmp_path / "fake.mp4"
    fake.write_text("not a video")
    assert main(["analyze", str(fake), "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert len(error) > 10 and "score" not in error
