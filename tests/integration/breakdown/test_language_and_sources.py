"""The OpenAI-compatible adapter against a local server speaking chat completions; yt-dlp on a local page."""

from __future__ import annotations

import copy
import json
import shutil

import pytest

from adapters.llm.openai_compatible import LanguageModelSettings, OpenAICompatibleLanguageModel
from adapters.sources.yt_dlp import YtDlpVideoSource
from application.breakdown.polish import message, polish
from application.ports.analysis import MediaError
from application.ports.language import LanguageModelError, TemplateLanguageModel
from domain.breakdown.routine import break_down
from tests.integration.breakdown.servers import send, serve

pytestmark = pytest.mark.media


@pytest.fixture(scope="module")
def breakdown(captured):
    c = captured["moves/spin__spin.mp4"]
    return break_down(c.track, c.video.duration, beat_times=c.beats.beat_times)


def _chat_server(rewrite):
    """A chat-completions endpoint whose answer is ``rewrite(draft)`` as the message content."""

    def handle(h):
        request = json.loads(h.body)
        assert h.path == "/v1/chat/completions" and request["response_format"] == {"type": "json_object"}
        user = json.loads(request["messages"][-1]["content"])
        content = rewrite(copy.deepcopy(user["draft"]))
        body = {"id": "x", "object": "chat.completion", "model": request["model"],
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}]}
        send(h, 200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    return serve(handle)


def _model(base: str) -> OpenAICompatibleLanguageModel:
    return OpenAICompatibleLanguageModel(LanguageModelSettings(base_url=f"{base}/v1", api_key="k", model="m"))


def _reworded(draft):
    for s in draft["steps"]:
        s["global_description"] = "Now: " + s["global_description"]
        s["description"]["head"] = s["description"]["head"].replace("Head:", "Your head:")
    return json.dumps(draft)


async def test_a_faithful_rewording_is_used(breakdown):
    with _chat_server(_reworded) as (base, rec):
        out = await polish(breakdown, _model(base))
    assert out.used_model and out.rejected_because is None
    assert all(s.text.global_description.startswith("Now: ") for s in out.breakdown.steps)
    assert [s.start for s in out.breakdown.steps] == [s.start for s in breakdown.steps]
    assert rec.requests[0][2]["authorization"] == "Bearer k"
    facts = json.loads(json.loads(rec.requests[0][3])["messages"][-1]["content"])["facts"]
    assert len(facts["steps"]) == len(breakdown.steps)


@pytest.mark.parametrize("lie", ["side", "number", "time", "count", "not json"])
async def test_a_contradicting_answer_keeps_the_measured_text(breakdown, lie):
    def rewrite(draft):
        s = draft["steps"][0]
        if lie == "side":
            s["description"]["bodyAngle"] += " Turn clockwise to the left and right."
        elif lie == "number":
            s["description"]["legs"] += " Kick 42 times."
        elif lie == "time":
            s["end_timestamp"] = "00:59.000"
        elif lie == "count":
            draft["steps"] = draft["steps"][:-1]
        else:
            return "Sure! Here are the steps."
        return json.dumps(draft)

    with _chat_server(rewrite) as (base, _rec):
        out = await polish(breakdown, _model(base))
    assert not out.used_model and out.rejected_because
    assert out.breakdown is breakdown


async def test_an_unreachable_model_fails_with_a_reason():
    with pytest.raises(LanguageModelError):
        await _model("http://127.0.0.1:9").complete_json("s", "{}", {})


async def test_the_template_writer_answers_the_draft(breakdown):
    answer = await TemplateLanguageModel().complete_json("s", message(breakdown), {})
    assert len(answer["steps"]) == len(breakdown.steps)
    assert (await polish(breakdown, TemplateLanguageModel())).breakdown.steps[0].text == breakdown.steps[0].text


async def test_yt_dlp_reads_a_local_page_with_a_video_tag(media_dir, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    shutil.copyfile(media_dir / "moves" / "spin__spin.mp4", site / "clip.mp4")
    (site / "page.html").write_text('<html><head><title>Spin</title></head><body>'
                                    '<video src="clip.mp4" controls></video></body></html>')

    def static(h):
        path = site / h.path.lstrip("/")
        if path.is_file():
            kind = "video/mp4" if path.suffix == ".mp4" else "text/html"
            send(h, 200, path.read_bytes(), {"Content-Type": kind})
        else:
            send(h, 404, b"missing")

    source = YtDlpVideoSource()
    assert source.handles("https://www.youtube.com/watch?v=x") and source.handles("https://www.instagram.com/p/x/")
    assert not source.handles("https://cdn.example.com/v.mp4")
    with serve(static) as (base, _rec):
        got = await source.download(f"{base}/page.html", tmp_path, max_bytes=10**8, timeout=30)
        assert got.path.read_bytes() == (site / "clip.mp4").read_bytes()
        assert got.title and got.title.startswith("Spin")
        with pytest.raises(MediaError, match=r"could not be read: .*404"):
            await source.download(f"{base}/gone.html", tmp_path / "x", max_bytes=10**8, timeout=30)


