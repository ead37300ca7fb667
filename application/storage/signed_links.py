"""The local store's signed links: serving a download and accepting an upload that a link allowed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from application.ports.storage import BlobInfo, BlobStore, FileReferences, SignedLinkVerifier
from application.storage.files import refuse_if_referenced
from domain.errors import InvalidInput, NotFound, TooLarge
from domain.storage.keys import BlobKey


def _verifier(verifier: SignedLinkVerifier | None) -> SignedLinkVerifier:
    if verifier is None:
        raise NotFound("Signed links are served by the local store only.")
    return verifier


@dataclass(frozen=True, slots=True)
class SignedDownload:
    data: bytes
    content_type: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ServeSignedDownload:
    blobs: BlobStore
    verifier: SignedLinkVerifier | None

    async def __call__(self, key: str, op: str, exp: int, sig: str) -> SignedDownload:
        verifier = _verifier(self.verifier)
        blob_key = BlobKey.parse(key)
        verifier.verify(op if op == "get" else "invalid", blob_key, exp, sig)
        info = await self.blobs.info(blob_key)
        if info is None:
            raise NotFound("File not found")
        return SignedDownload(data=await self.blobs.get(blob_key), content_type=info.content_type)


@dataclass(frozen=True, slots=True, kw_only=True)
class SignedUpload:
    key: str
    op: str
    exp: int
    sig: str
    signed_type: str
    max_bytes: int
    sent_type: str
    declared_length: int | None
    body: AsyncIterator[bytes]


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptSignedUpload:
    """A link issued before its file was submitted must not replace the submitted video afterwards: the references
    are checked when the bytes arrive, not only when the link is issued."""

    blobs: BlobStore
    verifier: SignedLinkVerifier | None
    references: list[FileReferences]

    async def __call__(self, upload: SignedUpload) -> BlobInfo:
        verifier = _verifier(self.verifier)
        blob_key = BlobKey.parse(upload.key)
        op = upload.op if upload.op == "put" else "invalid"
        verifier.verify(op, blob_key, upload.exp, upload.sig, upload.signed_type, upload.max_bytes)
        if upload.sent_type != upload.signed_type:
            raise InvalidInput(f"Content-Type must be {upload.signed_type} as signed.", field="content_type")
        await refuse_if_referenced(self.references, blob_key, "replaced")
        too_large = f"Upload is larger than the signed {upload.max_bytes} bytes."
        if upload.declared_length is not None and upload.declared_length > upload.max_bytes:
            raise TooLarge(too_large)

        async def limited() -> AsyncIterator[bytes]:
            received = 0
            async for chunk in upload.body:
                received += len(chunk)
                if received > upload.max_bytes:
                    raise TooLarge(too_large)
                yield chunk

        return await self.blobs.put(blob_key, limited(), upload.signed_type)
