"""Bachata Buddy choreography (spec 003 and the web client side by side, DRF shapes, trailing slashes optional).

Spec 003: songs, ``generate-from-song``, ``generate-with-ai``, ``parse-query/``, task polling and listing.
The web client: ``generate/`` and ``describe/`` (both answer a task id at once; a re-sent request is the same
task), ``DELETE tasks/{id}/`` (cancel), the video at ``videos/{task_id}/`` fetched with a Bearer token. Where the
two collide the client's form wins: ``result.video_url`` is an absolute link to the video endpoint (spec 003 shows
a relative ``/media/...`` path); another user's task is 403 as the spec says (the original answered 404).
"""

from __future__ import annotations

from typing import Any

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, Router, delete, get, post
from litestar.datastructures import UploadFile as LitestarUpload

from application.choreography.catalogue import MAX_SONG_BYTES, AddSong, AddSongCommand, SongQueries
from application.choreography.requests import ParseRequest
from application.choreography.tasks import CancelTask, FromSong, Started, StartGeneration, TaskQueries
from application.ports.storage import BlobStore
from domain.choreography.catalogue import SONG_ORDERINGS, Song, SongFilter
from domain.choreography.query import SongOption, choose_song
from domain.choreography.task import ChoreographyTask, GenerationThrottled, RequestNotUnderstood
from domain.errors import InvalidInput
from entrypoints.http.auth import Caller
from entrypoints.http.bachata.paging import number, page_body, paging, public_base, text
from entrypoints.http.common.schemas import iso
from entrypoints.http.errors import DRF_ERRORS
from entrypoints.http.ratelimit import EXEMPT, UPLOADS

PREFIX = "/api/choreography"

# --- songs ----------------------------------------------------------------------------------------------------


def song_brief(song: Song) -> dict[str, Any]:
    return {"id": song.id, "title": song.title, "artist": song.artist}


def song_out(song: Song) -> dict[str, Any]:
    return {"id": song.id, "title": song.title, "artist": song.artist, "bpm": song.bpm, "genre": song.genre,
            "duration": song.duration, "created_at": iso(song.created_at), "is_generated": song.generated,
            "analysis_status": song.status.value}


def song_detail(song: Song) -> dict[str, Any]:
    out = song_out(song)
    a = song.analysis
    out |= {"error": song.error, "beats": [], "downbeats": [], "sections": [], "energy": [], "phrases": []}
    if a is not None:
        out |= {
            "beats": [round(t, 3) for t in a.beat_times], "downbeats": [round(t, 3) for t in a.downbeat_times],
            "sections": [{"label": s.label, "start": round(s.start, 3), "end": round(s.end, 3),
                          "energy": round(s.energy, 3), "eight_counts": s.phrase_count} for s in a.sections],
            "energy": [round(e, 3) for e in a.energy_curve],
            "phrases": [{"start": round(p.start, 3), "end": round(p.end, 3)} for p in a.phrases],
        }
    return out


@get("/songs")
@inject
async def list_songs(request: Request[Any, Any, Any], caller: FromDishka[Caller],
                     queries: FromDishka[SongQueries]) -> dict[str, Any]:
    page, size = paging(request)
    ordering = text(request, "ordering") or "title"
    if ordering.lstrip("-") not in SONG_ORDERINGS:
        raise InvalidInput(f"Invalid ordering. Use one of: {', '.join(SONG_ORDERINGS)} (prefix - to reverse)",
                           field="ordering")
    flt = SongFilter(search=text(request, "search"), genre=text(request, "genre"),
                     bpm_min=number(request, "bpm_min", "min_bpm", "tempo_min"),
                     bpm_max=number(request, "bpm_max", "max_bpm", "tempo_max"), ordering=ordering)
    found = await queries.page(flt, page, size)
    return page_body(request, page, size, found.total, [song_out(s) for s in found.items])


@get("/songs/{song_id:int}")
@inject
async def get_song(song_id: int, caller: FromDishka[Caller], queries: FromDishka[SongQueries]) -> dict[str, Any]:
    return song_detail(await queries.get(song_id))


@post("/songs", status_code=201, opt=UPLOADS, request_max_body_size=MAX_SONG_BYTES + 1024 * 1024)
@inject
async def upload_song(request: Request[Any, Any, Any], caller: FromDishka[Caller],
                      use_case: FromDishka[AddSong]) -> dict[str, Any]:
    """Admins: multipart ``file``, ``title``, ``artist`` and optional ``genre``; the song is analysed by a job."""
    caller.require_admin()
    form = await request.form()
    item = form.get("file")
    if not isinstance(item, LitestarUpload):
        raise InvalidInput("No file was submitted.", field="file")
    song = await use_case(AddSongCommand(title=str(form.get("title") or ""), artist=str(form.get("artist") or ""),
                                         genre=str(form.get("genre")) if form.get("genre") else None,
                                         filename=item.filename or "song", data=await item.read()), caller.user)
    return song_detail(song)


# --- generation -----------------------------------------------------------------------------------------------


class GenerateBody(msgspec.Struct, kw_only=True):
    song_id: int
    difficulty: str
    energy_level: str = "medium"
    style: str = "modern"


class QueryBody(msgspec.Struct):
    query: str


class DescribeBody(msgspec.Struct):
    user_request: str


def poll_url(task_id: str) -> str:
    return f"{PREFIX}/tasks/{task_id}"


def started_out(started: Started) -> Response[Any]:
    task = started.task
    body: dict[str, Any] = {
        "task_id": task.id, "song": song_brief(started.song),
        "status": "started" if not task.status.finished else task.status.value,
        "message": "Choreography generation started" if not task.status.finished else task.message,
        "poll_url": poll_url(task.id),
    }
    if started.parsed is not None:
        body["parsed_parameters"] = started.parsed.to_parameters()
    return Response(body, status_code=202)


@post(["/generate-from-song", "/generate"], status_code=202)
@inject
async def generate_from_song(data: GenerateBody, caller: FromDishka[Caller],
                             use_case: FromDishka[StartGeneration]) -> Response[Any]:
    return started_out(await use_case.from_song(FromSong(song_id=data.song_id, difficulty=data.difficulty,
                                                         energy_level=data.energy_level, style=data.style),
                                                caller.user))


@post("/generate-with-ai", status_code=202)
@inject
async def generate_with_ai(data: QueryBody, caller: FromDishka[Caller],
                           use_case: FromDishka[StartGeneration]) -> Response[Any]:
    return started_out(await use_case.from_words(data.query, caller.user))


@post("/describe", status_code=202)
@inject
async def describe(data: DescribeBody, caller: FromDishka[Caller],
                   use_case: FromDishka[StartGeneration]) -> Response[Any]:
    started = await use_case.from_words(data.user_request, caller.user, field_name="user_request")
    response = started_out(started)
    song = started.song
    assert isinstance(response.content, dict) and started.parsed is not None
    p = started.parsed
    response.content["message"] = (f"Understood: {p.difficulty} {p.style} choreography, {p.energy_level} energy. "
                                   f"Chosen song: {song.title} by {song.artist} ({song.bpm:.1f} BPM).")
    return response


@post("/parse-query", status_code=200)
@inject
async def parse_query(data: QueryBody, caller: FromDishka[Caller], parse: FromDishka[ParseRequest],
                      queries: FromDishka[SongQueries]) -> dict[str, Any]:
    if len(data.query.strip()) < 10:
        raise InvalidInput("Query must be at least 10 characters.", field="query")
    parsed = await parse(data.query.strip())
    found = await queries.page(SongFilter(ordering="id"), 1, 1000)
    options = [SongOption(s.id, s.bpm or 0.0, s.mean_energy) for s in found.items]
    suggested = None
    if options:
        chosen = choose_song(options, parsed)
        suggested = next(song_brief(s) for s in found.items if s.id == chosen.song_id)
    return {"query": data.query, "parsed_parameters": parsed.to_parameters(), "recognised": list(parsed.recognised),
            "suggested_song": suggested}


# --- tasks and their videos -----------------------------------------------------------------------------------


def video_url(request: Request[Any, Any, Any], task_id: str) -> str:
    return f"{public_base(request)}{PREFIX}/videos/{task_id}/"


def task_out(request: Request[Any, Any, Any], task: ChoreographyTask, song: Song | None) -> dict[str, Any]:
    result = None
    if task.result is not None:
        r = task.result
        result = {"video_url": video_url(request, task.id), "duration": r.duration, "file_size": r.file_size,
                  "num_moves": r.num_moves, "difficulty": r.difficulty,
                  "duration_seconds": r.duration, "move_count": r.num_moves}  # the original's names too
    song_info = None if song is None else {**song_brief(song), "duration": song.duration, "bpm": song.bpm,
                                           "genre": song.genre, "created_at": iso(song.created_at)}
    params = task.parameters if task.query is not None else None
    return {"task_id": task.id, "status": task.status.value, "progress": task.progress, "stage": task.stage,
            "message": task.message, "result": result, "error": task.error, "song": song_info,
            "difficulty": task.difficulty, "energy_level": task.energy_level, "style": task.style,
            "query": task.query, "parsed_parameters": None if params is None else
            {k: v for k, v in params.items() if k not in ("song_id", "avoid")},
            "cancelled": task.cancelled, "created_at": iso(task.created_at), "updated_at": iso(task.updated_at),
            "completed_at": iso(task.completed_at) if task.completed_at else None}


@get("/tasks/{task_id:str}", opt=EXEMPT)
@inject
async def get_task(request: Request[Any, Any, Any], task_id: str, caller: FromDishka[Caller],
                   queries: FromDishka[TaskQueries]) -> dict[str, Any]:
    task, song = await queries.get(task_id, caller.user)
    return task_out(request, task, song)


@delete("/tasks/{task_id:str}", status_code=200)
@inject
async def cancel_task(request: Request[Any, Any, Any], task_id: str, caller: FromDishka[Caller],
                      use_case: FromDishka[CancelTask], queries: FromDishka[TaskQueries]) -> dict[str, Any]:
    await use_case(task_id, caller.user)
    task, song = await queries.get(task_id, caller.user)
    return task_out(request, task, song)


@get("/tasks", opt=EXEMPT)
@inject
async def list_tasks(request: Request[Any, Any, Any], caller: FromDishka[Caller],
                     queries: FromDishka[TaskQueries]) -> dict[str, Any]:
    page, size = paging(request)
    found = await queries.page(caller.user, page, size)
    out = []
    for task in found.items:
        _, song = await queries.get(task.id, caller.user)
        out.append(task_out(request, task, song))
    return page_body(request, page, size, found.total, out)


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``bytes=a-b`` / ``bytes=a-`` / ``bytes=-n`` as an inclusive (start, end); None when absent or unusable."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, _, last = header[6:].strip().partition("-")
    try:
        if first:
            start, end = int(first), int(last) if last else size - 1
        else:
            start, end = size - int(last), size - 1
    except ValueError:
        return None
    if start < 0 or start >= size or end < start:
        return None
    return start, min(end, size - 1)


@get("/videos/{task_id:str}", opt=EXEMPT)
@inject
async def task_video(request: Request[Any, Any, Any], task_id: str, caller: FromDishka[Caller],
                     queries: FromDishka[TaskQueries], blobs: FromDishka[BlobStore]) -> Response[Any]:
    """The rendered MP4 for its owner's Bearer token (a ``<video>`` may ask for byte ranges)."""
    _, key = await queries.video(task_id, caller.user)
    data = await blobs.get(key)
    headers = {"Accept-Ranges": "bytes", "Content-Disposition": f'inline; filename="choreography_{task_id}.mp4"',
               "Cache-Control": "private, max-age=3600"}
    span = _byte_range(request.headers.get("range"), len(data))
    if span is None:
        return Response(data, media_type="video/mp4", headers=headers)
    start, end = span
    headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
    return Response(data[start:end + 1], media_type="video/mp4", status_code=206, headers=headers)


# --- the router -----------------------------------------------------------------------------------------------


def throttled(_: Request[Any, Any, Any], exc: GenerationThrottled) -> Response[Any]:
    return Response({"detail": exc.message}, status_code=429, headers={"Retry-After": str(exc.retry_after)})


def not_understood(_: Request[Any, Any, Any], exc: RequestNotUnderstood) -> Response[Any]:
    return Response({"error": exc.message}, status_code=400)


ERRORS: dict[Any, Any] = {**DRF_ERRORS, GenerationThrottled: throttled, RequestNotUnderstood: not_understood}

router = Router(
    path=PREFIX,
    route_handlers=[list_songs, get_song, upload_song, generate_from_song, generate_with_ai, describe, parse_query,
                    get_task, cancel_task, list_tasks, task_video],
    exception_handlers=ERRORS, tags=["Choreography (Bachata Buddy)"],
)
