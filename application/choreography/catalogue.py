"""The song catalogue: an admin adds a song (stored, then analysed once by a job), clients list and read songs."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from application.choreography.ports import Page, SongAnalyzer, SongRepository
from application.jobs.progress import Progress
from application.jobs.runner import EnqueueJob
from application.ports.analysis import MediaError
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.choreography.catalogue import GENRES, Song, SongFilter, SongStatus
from domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from domain.identity.user import User
from domain.ids import new_id
from domain.jobs.job import Job
from domain.storage.keys import BlobKey

ANALYSE_SONG = "choreography.analyse-song"
AUDIO_TYPES = {".mp3": "audio/mpeg", ".wav": "audio/wav", ".ogg": "audio/ogg", ".flac": "audio/flac",
               ".m4a": "audio/mp4", ".aac": "audio/aac"}
MAX_SONG_BYTES = 60 * 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class AddSongCommand:
    title: str
    artist: str
    filename: str
    data: bytes
    genre: str | None = None
    generated: bool = False
    queue_analysis: bool = True  # False: the caller analyses it at once (the CLI, the seed)


@dataclass(frozen=True, slots=True, kw_only=True)
class AddSong:
    """Store the audio, record the song ``pending`` and queue its analysis (admins only)."""

    songs: SongRepository
    blobs: BlobStore
    enqueue: EnqueueJob
    tx: TransactionManager
    clock: Clock

    async def __call__(self, cmd: AddSongCommand, user: User | None) -> Song:
        if user is not None and not user.is_admin:
            raise Forbidden("Only administrators may add songs.")
        title, artist = cmd.title.strip(), cmd.artist.strip()
        if not title:
            raise InvalidInput("This field may not be blank.", field="title")
        if not artist:
            raise InvalidInput("This field may not be blank.", field="artist")
        if cmd.genre is not None and cmd.genre not in GENRES:
            raise InvalidInput(f"Invalid genre. Must be one of: {', '.join(GENRES)}", field="genre")
        ext = Path(cmd.filename).suffix.lower()
        if ext not in AUDIO_TYPES:
            raise InvalidInput(f"Unsupported audio file type. Use one of: {', '.join(AUDIO_TYPES)}", field="file")
        if not cmd.data or len(cmd.data) > MAX_SONG_BYTES:
            raise InvalidInput(f"The audio file must hold 1 byte to {MAX_SONG_BYTES // 2**20} MB.", field="file")
        now = self.clock.now()
        key = BlobKey.parse(f"songs/{new_id(now.timestamp())}{ext}")
        await self.blobs.put(key, cmd.data, AUDIO_TYPES[ext])
        song = await self.songs.add(Song(id=0, title=title, artist=artist, genre=cmd.genre, audio_key=key.value,
                                         status=SongStatus.PENDING, created_at=now, updated_at=now,
                                         generated=cmd.generated))
        if cmd.queue_analysis:
            await self.enqueue.add(ANALYSE_SONG, {"song_id": song.id}, user.id if user else None)
        await self.tx.commit()
        return song


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyseSong:
    """Measure a stored song once (beats, downbeats, 8-counts, sections, energy) and keep the analysis."""

    songs: SongRepository
    blobs: BlobStore
    analyzer: SongAnalyzer
    tx: TransactionManager
    clock: Clock

    async def __call__(self, song_id: int) -> Song:
        song = await self.songs.get(song_id)
        if song is None:
            raise NotFound(f"Song with id {song_id} does not exist.")
        if song.status is SongStatus.ANALYSED:
            return song
        with tempfile.TemporaryDirectory(prefix="song-") as folder:
            path = Path(folder) / ("audio" + Path(song.audio_key).suffix)
            await self.blobs.download_to(BlobKey.parse(song.audio_key), path)
            try:
                analysis = await asyncio.to_thread(self.analyzer.analyze, path)
            except MediaError as exc:
                await self.songs.save(song.failed(str(exc), self.clock.now()))
                await self.tx.commit()
                raise DomainError(f"The song cannot be analysed: {exc}") from exc
        song = song.analysed(analysis, self.clock.now())
        await self.songs.save(song)
        await self.tx.commit()
        return song


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyseSongJob:
    analyse: AnalyseSong

    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        await progress(0.05, stage="analyzing_music", message="Analyzing music...")
        song = await self.analyse(int(job.payload["song_id"]))
        assert song.analysis is not None
        return {"song_id": song.id, "bpm": song.bpm, "duration": song.duration,
                "phrases": len(song.analysis.phrases), "sections": len(song.analysis.sections)}


@dataclass(frozen=True, slots=True, kw_only=True)
class FailSongOfJob:
    songs: SongRepository
    tx: TransactionManager
    clock: Clock

    async def __call__(self, job: Job) -> None:
        song = await self.songs.get(int(job.payload.get("song_id", 0)))
        if song is not None and song.status is SongStatus.PENDING:
            await self.songs.save(song.failed(job.error or "The analysis job ended without a result.",
                                              self.clock.now()))
            await self.tx.commit()


@dataclass(frozen=True, slots=True, kw_only=True)
class SongQueries:
    songs: SongRepository

    async def page(self, flt: SongFilter, page: int, page_size: int) -> Page[Song]:
        return await self.songs.search(flt, (page - 1) * page_size, page_size)

    async def get(self, song_id: int) -> Song:
        song = await self.songs.get(song_id)
        if song is None:
            raise NotFound("Not found.")
        return song
