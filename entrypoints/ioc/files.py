"""Files: the upload policy and the file use cases, including the local store's signed links."""

from __future__ import annotations

from dishka import Provider, Scope, collect, provide

from adapters.storage.local import LocalBlobStore
from application.ports.storage import BlobStore, FileReferences
from application.storage.files import DeleteFile, PresignDownload, PresignUpload, UploadFile
from application.storage.signed_links import AcceptSignedUpload, ServeSignedDownload
from domain.storage.policy import UploadPolicy


class FilesProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def upload_policy(self) -> UploadPolicy:
        return UploadPolicy()

    references = collect(FileReferences)
    presign_upload = provide(PresignUpload)
    presign_download = provide(PresignDownload)
    upload_file = provide(UploadFile)
    delete_file = provide(DeleteFile)

    # Only the local folder serves its own signed links; with S3 these answer 404.
    @provide(scope=Scope.APP)
    def serve_signed(self, blobs: BlobStore) -> ServeSignedDownload:
        return ServeSignedDownload(blobs=blobs, verifier=blobs if isinstance(blobs, LocalBlobStore) else None)

    @provide
    def accept_signed(self, blobs: BlobStore, references: list[FileReferences]) -> AcceptSignedUpload:
        return AcceptSignedUpload(blobs=blobs, verifier=blobs if isinstance(blobs, LocalBlobStore) else None,
                                  references=references)
