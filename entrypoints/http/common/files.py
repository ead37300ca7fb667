"""Files: presigned upload and download, direct upload, delete; and the local store's signed links."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, Router, delete, get, post, put
from litestar.datastructures import UploadFile as LitestarUpload

from application.storage.files import (
    DeleteFile,
    PresignDownload,
    PresignUpload,
    PresignUploadCommand,
    UploadCommand,
    UploadFile,
)
from application.storage.signed_links import AcceptSignedUpload, ServeSignedDownload, SignedUpload
from domain.errors import InvalidInput
from domain.storage.policy import served_type
from entrypoints.http.auth import Caller
from entrypoints.http.ratelimit import UPLOADS


class PresignBody(msgspec.Struct, rename="camel"):
    file_key: Annotated[str, msgspec.Meta(min_length=1, max_length=512)]
    content_type: str
    file_size: Annotated[int, msgspec.Meta(gt=0)]


class PresignOut(msgspec.Struct, rename="camel"):
    upload_url: str
    file_key: str
    expires_in: int


class DownloadOut(msgspec.Struct, rename="camel"):
    download_url: str
    file_key: str
    expires_in: int


class UploadOut(msgspec.Struct):
    file_url: str
    file_key: str
    size: int
    content_type: str


class DeletedOut(msgspec.Struct):
    message: str
    file_key: str


def _key_param(file_key: str) -> str:
    # Litestar's path converter keeps the leading slash; one is the route's own.
    return file_key[1:] if file_key.startswith("/") else file_key


@post("/presigned-url", status_code=200, opt=UPLOADS)
@inject
async def presigned_url(data: PresignBody, caller: FromDishka[Caller],
                        use_case: FromDishka[PresignUpload]) -> PresignOut:
    key, url = await use_case(PresignUploadCommand(user=caller.user, file_key=data.file_key,
                                                   content_type=data.content_type, file_size=data.file_size))
    return PresignOut(upload_url=url.url, file_key=key.value, expires_in=url.expires_in)


@get("/download-url/{file_key:path}")
@inject
async def download_url(file_key: str, caller: FromDishka[Caller],
                       use_case: FromDishka[PresignDownload]) -> DownloadOut:
    key, url = await use_case(caller.user, _key_param(file_key))
    return DownloadOut(download_url=url.url, file_key=key.value, expires_in=url.expires_in)


class UploadJson(msgspec.Struct):
    file: str  # base64
    filename: str
    content_type: str


@post("/upload", status_code=200, opt=UPLOADS)
@inject
async def upload(request: Request, caller: FromDishka[Caller],  # type: ignore[type-arg]
                 use_case: FromDishka[UploadFile]) -> UploadOut:
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form()
        item = form.get("file")
        if not isinstance(item, LitestarUpload):
            raise InvalidInput("Form field 'file' must hold a file.", field="file")
        data = await item.read()
        filename = str(form.get("filename") or item.filename or "file")
        content_type = str(form.get("content_type") or item.content_type or "application/octet-stream")
    else:
        try:
            body = msgspec.json.decode(await request.body(), type=UploadJson)
        except msgspec.DecodeError as exc:
            raise InvalidInput(f"Body must be multipart/form-data or JSON {{file, filename, content_type}}: {exc}",
                               field="file") from exc
        try:
            data = base64.b64decode(body.file, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput("'file' must be base64-encoded bytes.", field="file") from exc
        filename, content_type = body.filename, body.content_type
    info, url = await use_case(UploadCommand(user=caller.user, filename=filename, content_type=content_type,
                                             data=data))
    return UploadOut(file_url=url.url, file_key=info.key.value, size=info.size, content_type=info.content_type)


@delete("/delete/{file_key:path}", status_code=200)
@inject
async def delete_file(file_key: str, caller: FromDishka[Caller], use_case: FromDishka[DeleteFile]) -> DeletedOut:
    key = await use_case(caller.user, _key_param(file_key))
    return DeletedOut(message="File deleted successfully", file_key=key.value)


router = Router(path="/api/s3", route_handlers=[presigned_url, download_url, upload, delete_file],
                tags=["Files"])


@get("/api/blobs/{key:path}", include_in_schema=False)
@inject
async def signed_download(key: str, op: str, exp: int, sig: str,
                          use_case: FromDishka[ServeSignedDownload]) -> Response[bytes]:
    found = await use_case(_key_param(key), op, exp, sig)
    media_type = served_type(found.content_type)
    disposition = "inline" if media_type != "application/octet-stream" else "attachment"
    name = _key_param(key).rsplit("/", 1)[-1]
    return Response(found.data, media_type=media_type, headers={
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'{disposition}; filename="{name}"',
        "Content-Security-Policy": "sandbox; default-src 'none'",
    })


@put("/api/blobs/{key:path}", include_in_schema=False, status_code=200, opt=UPLOADS)
@inject
async def signed_upload(request: Request, key: str, op: str, exp: int, sig: str, ct: str,  # type: ignore[type-arg]
                        use_case: FromDishka[AcceptSignedUpload], **_: Any) -> dict[str, Any]:
    declared = request.headers.get("content-length", "")
    max_bytes = request.query_params.get("max", "0")
    if not max_bytes.isdigit() or not (declared.isdigit() or declared == ""):
        raise InvalidInput("The signed link or the Content-Length is malformed.", field="max")
    info = await use_case(SignedUpload(
        key=_key_param(key), op=op, exp=exp, sig=sig, signed_type=ct, max_bytes=int(max_bytes),
        sent_type=request.headers.get("content-type", "").split(";")[0].strip(),
        declared_length=int(declared) if declared else None, body=request.stream()))
    return {"file_key": info.key.value, "size": info.size}


blob_routes = [signed_download, signed_upload]
