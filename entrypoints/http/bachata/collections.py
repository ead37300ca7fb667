"""Bachata Buddy collections and instructors' class plans (spec 003's endpoint reference, the web client's calls).

DRF conventions: trailing slashes optional, 400 ``{"field": [...]}``, 403 for another user's object, 404 for
none, 201 on create, 204 on delete. The client's ``PUT /api/collections/{id}/`` edits title, difficulty and notes;
its empty ``search=``/``difficulty=`` mean no filter. Saving the same task twice answers the first item (200):
the client re-sends a POST after a network error.
"""

from __future__ import annotations

from typing import Any

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, Router, delete, get, patch, post, put

from application.choreography.collections import ClassPlans, Collections, SaveCommand
from domain.choreography.class_plan import ClassPlan, PlanSequence
from domain.choreography.collection import COLLECTION_ORDERINGS, CollectionFilter, SavedChoreography
from domain.errors import InvalidInput
from entrypoints.http.auth import Caller
from entrypoints.http.bachata.choreography import video_url
from entrypoints.http.bachata.paging import page_body, paging, text
from entrypoints.http.common.schemas import iso
from entrypoints.http.errors import DRF_ERRORS


def item_out(request: Request[Any, Any, Any], item: SavedChoreography) -> dict[str, Any]:
    music = item.music_info
    return {"id": item.id, "title": item.title, "difficulty": item.difficulty, "notes": item.notes,
            "duration": item.duration, "task_id": item.task_id,
            "video_url": video_url(request, item.task_id) if item.task_id else None,
            "music_info": music, "song_title": music.get("song"), "generation_parameters": item.generation_parameters,
            "created_at": iso(item.created_at), "updated_at": iso(item.updated_at)}


class SaveBody(msgspec.Struct, kw_only=True):
    task_id: str
    title: str | None = None
    difficulty: str | None = None
    notes: str = ""


class EditBody(msgspec.Struct, kw_only=True):
    title: str | None = None
    difficulty: str | None = None
    notes: str | None = None


class ConfirmBody(msgspec.Struct, kw_only=True):
    confirmation: bool | None = None


class CleanupBody(msgspec.Struct, kw_only=True):
    days: int | None = None


@get("/")
@inject
async def list_items(request: Request[Any, Any, Any], caller: FromDishka[Caller],
                     use_case: FromDishka[Collections]) -> dict[str, Any]:
    page, size = paging(request)
    ordering = text(request, "ordering") or "-created_at"
    if ordering not in COLLECTION_ORDERINGS:
        raise InvalidInput(f"Invalid ordering. Use one of: {', '.join(COLLECTION_ORDERINGS)}", field="ordering")
    found = await use_case.page(caller.user, CollectionFilter(search=text(request, "search"),
                                                              difficulty=text(request, "difficulty"),
                                                              ordering=ordering), page, size)
    return page_body(request, page, size, found.total, [item_out(request, i) for i in found.items])


@get("/stats")
@inject
async def stats(caller: FromDishka[Caller], use_case: FromDishka[Collections]) -> dict[str, Any]:
    s = await use_case.stats(caller.user)
    return {"total_count": s.total_count, "total_duration": s.total_duration, "by_difficulty": s.by_difficulty,
            "recent_count": s.recent_count}


@post("/save", status_code=201)
@inject
async def save(request: Request[Any, Any, Any], data: SaveBody, caller: FromDishka[Caller],
               use_case: FromDishka[Collections]) -> Response[Any]:
    item, created = await use_case.save(SaveCommand(task_id=data.task_id, title=data.title,
                                                    difficulty=data.difficulty, notes=data.notes), caller.user)
    return Response(item_out(request, item), status_code=201 if created else 200)


@post("/delete-all", status_code=200)
@inject
async def delete_all(data: ConfirmBody, caller: FromDishka[Caller],
                     use_case: FromDishka[Collections]) -> dict[str, Any]:
    count = await use_case.delete_all(caller.user, data.confirmation is True)
    return {"deleted_count": count, "message": f"Deleted {count} saved choreographies."}


@post("/cleanup", status_code=200)
@inject
async def cleanup(request: Request[Any, Any, Any], caller: FromDishka[Caller],
                  use_case: FromDishka[Collections]) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = msgspec.json.decode(raw, type=CleanupBody) if raw.strip() else CleanupBody()
    except msgspec.ValidationError as exc:
        raise InvalidInput("A valid integer is required.", field="days") from exc
    except msgspec.DecodeError as exc:
        raise InvalidInput(f"JSON parse error - {exc}", field="non_field_errors") from exc
    missing, old = await use_case.cleanup(caller.user, body.days)
    return {"deleted_count": missing + old, "missing_video": missing, "older_than_days": old,
            "message": f"Removed {missing} entries whose video is gone"
                       + (f" and {old} saved more than {body.days} days ago." if body.days is not None else ".")}


@get("/{item_id:str}")
@inject
async def get_item(request: Request[Any, Any, Any], item_id: str, caller: FromDishka[Caller],
                   use_case: FromDishka[Collections]) -> dict[str, Any]:
    return item_out(request, await use_case.get(item_id, caller.user))


@put("/{item_id:str}", status_code=200)
@inject
async def put_item(request: Request[Any, Any, Any], item_id: str, data: EditBody, caller: FromDishka[Caller],
                   use_case: FromDishka[Collections]) -> dict[str, Any]:
    item = await use_case.edit(item_id, caller.user, title=data.title, difficulty=data.difficulty, notes=data.notes)
    return item_out(request, item)


@patch("/{item_id:str}", status_code=200)
@inject
async def patch_item(request: Request[Any, Any, Any], item_id: str, data: EditBody, caller: FromDishka[Caller],
                     use_case: FromDishka[Collections]) -> dict[str, Any]:
    item = await use_case.edit(item_id, caller.user, title=data.title, difficulty=data.difficulty, notes=data.notes)
    return item_out(request, item)


@delete("/{item_id:str}", status_code=204)
@inject
async def delete_item(item_id: str, caller: FromDishka[Caller], use_case: FromDishka[Collections]) -> None:
    await use_case.delete(item_id, caller.user)


collections_router = Router(path="/api/collections",
                            route_handlers=[list_items, stats, save, delete_all, cleanup, get_item, put_item,
                                            patch_item, delete_item],
                            exception_handlers=DRF_ERRORS, tags=["Collections (Bachata Buddy)"])

# --- class plans ----------------------------------------------------------------------------------------------


def sequence_out(request: Request[Any, Any, Any], s: PlanSequence) -> dict[str, Any]:
    return {"order": s.order, "choreography_id": s.choreography_id, "title": s.title, "duration": s.duration,
            "difficulty": s.difficulty, "num_moves": s.num_moves, "notes": s.notes,
            "video_url": video_url(request, s.choreography_id) if s.video_key else None}


def plan_out(request: Request[Any, Any, Any], plan: ClassPlan) -> dict[str, Any]:
    return {"id": plan.id, "title": plan.title, "difficulty_level": plan.difficulty_level,
            "description": plan.description, "instructor_id": plan.instructor_id,
            "sequences": [sequence_out(request, s) for s in plan.sequences], "sequence_count": len(plan.sequences),
            "total_duration": round(sum(s.duration for s in plan.sequences), 2),
            "created_at": iso(plan.created_at), "updated_at": iso(plan.updated_at)}


class PlanBody(msgspec.Struct, kw_only=True):
    title: str
    difficulty_level: str
    description: str = ""


class PlanEditBody(msgspec.Struct, kw_only=True):
    title: str | None = None
    difficulty_level: str | None = None
    description: str | None = None


class SequenceBody(msgspec.Struct, kw_only=True):
    choreography_id: str
    order: int | None = None
    notes: str = ""


@get("/class-plans")
@inject
async def list_plans(request: Request[Any, Any, Any], caller: FromDishka[Caller],
                     use_case: FromDishka[ClassPlans]) -> dict[str, Any]:
    page, size = paging(request)
    found = await use_case.page(caller.user, page, size)
    return page_body(request, page, size, found.total, [plan_out(request, p) for p in found.items])


@post("/class-plans", status_code=201)
@inject
async def create_plan(request: Request[Any, Any, Any], data: PlanBody, caller: FromDishka[Caller],
                      use_case: FromDishka[ClassPlans]) -> dict[str, Any]:
    return plan_out(request, await use_case.create(caller.user, data.title, data.difficulty_level, data.description))


@get("/class-plans/{plan_id:str}")
@inject
async def get_plan(request: Request[Any, Any, Any], plan_id: str, caller: FromDishka[Caller],
                   use_case: FromDishka[ClassPlans]) -> dict[str, Any]:
    return plan_out(request, await use_case.get(plan_id, caller.user))


async def _update(request: Request[Any, Any, Any], plan_id: str, data: PlanEditBody, caller: Caller,
                  use_case: ClassPlans) -> dict[str, Any]:
    plan = await use_case.update(plan_id, caller.user, title=data.title, difficulty_level=data.difficulty_level,
                                 description=data.description)
    return plan_out(request, plan)


@put("/class-plans/{plan_id:str}", status_code=200)
@inject
async def put_plan(request: Request[Any, Any, Any], plan_id: str, data: PlanEditBody, caller: FromDishka[Caller],
                   use_case: FromDishka[ClassPlans]) -> dict[str, Any]:
    return await _update(request, plan_id, data, caller, use_case)


@patch("/class-plans/{plan_id:str}", status_code=200)
@inject
async def patch_plan(request: Request[Any, Any, Any], plan_id: str, data: PlanEditBody, caller: FromDishka[Caller],
                     use_case: FromDishka[ClassPlans]) -> dict[str, Any]:
    return await _update(request, plan_id, data, caller, use_case)


@delete("/class-plans/{plan_id:str}", status_code=204)
@inject
async def delete_plan(plan_id: str, caller: FromDishka[Caller], use_case: FromDishka[ClassPlans]) -> None:
    await use_case.delete(plan_id, caller.user)


@post("/class-plans/{plan_id:str}/add-sequence", status_code=201)
@inject
async def add_sequence(request: Request[Any, Any, Any], plan_id: str, data: SequenceBody,
                       caller: FromDishka[Caller], use_case: FromDishka[ClassPlans]) -> dict[str, Any]:
    plan = await use_case.add_sequence(plan_id, caller.user, data.choreography_id, data.order, data.notes)
    return plan_out(request, plan)


@delete("/class-plans/{plan_id:str}/sequences/{choreography_id:str}", status_code=200)
@inject
async def remove_sequence(request: Request[Any, Any, Any], plan_id: str, choreography_id: str,
                          caller: FromDishka[Caller], use_case: FromDishka[ClassPlans]) -> dict[str, Any]:
    return plan_out(request, await use_case.remove_sequence(plan_id, caller.user, choreography_id))


@get("/class-plans/{plan_id:str}/summary")
@inject
async def summary(request: Request[Any, Any, Any], plan_id: str, caller: FromDishka[Caller],
                  use_case: FromDishka[ClassPlans]) -> dict[str, Any]:
    plan, s = await use_case.summary(plan_id, caller.user)
    return {"plan": plan_out(request, plan), "sequences": [sequence_out(request, q) for q in plan.sequences],
            "total_duration": s.total_duration, "total_sequences": len(plan.sequences), "total_moves": s.total_moves,
            "move_mix": s.move_mix, "difficulty_mix": s.difficulty_mix, "outline": s.outline}


@get("/stats")
@inject
async def instructor_stats(caller: FromDishka[Caller], use_case: FromDishka[ClassPlans]) -> dict[str, Any]:
    s = await use_case.stats(caller.user)
    return {"total_plans": s.total_plans, "total_sequences": s.total_sequences, "total_duration": s.total_duration,
            "plans_by_difficulty": s.plans_by_difficulty, "average_sequences_per_plan": s.average_sequences_per_plan}


instructors_router = Router(path="/api/instructors",
                            route_handlers=[list_plans, create_plan, get_plan, put_plan, patch_plan, delete_plan,
                                            add_sequence, remove_sequence, summary, instructor_stats],
                            exception_handlers=DRF_ERRORS, tags=["Class plans (Bachata Buddy)"])
routers = [collections_router, instructors_router]
