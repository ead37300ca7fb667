"""Which stored files the community's records name: a submission's video, a challenge's demo."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sqla.community.tables import challenge_submissions, challenges
from application.ports.storage import FileReferences
from domain.storage.keys import BlobKey


class SqlaCommunityFileReferences(FileReferences):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def used_by(self, key: BlobKey) -> str | None:
        submitted = select(challenge_submissions.c.id).where(challenge_submissions.c.video_key == key.value).limit(1)
        if (await self.session.execute(submitted)).first() is not None:
            return "a challenge submission"
        demo = select(challenges.c.id).where(challenges.c.demo_video_key == key.value).limit(1)
        if (await self.session.execute(demo)).first() is not None:
            return "a challenge's demo"
        return None
