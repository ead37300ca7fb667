"""The demo move library of a fresh install: the generated figure's moves (domain.choreography.demo_moves) drawn
as clips, measured by the same code as captured clips, and indexed. Built once, when no real clips are present."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from application.choreography.ingest import CLIP_OPTIONS
from application.choreography.ports import FigureClipWriter, MoveIndex, MoveLibraryStore
from domain.choreography.demo_moves import DEMO_MOVES, HEIGHT, WIDTH, DemoMove, demo_track, duration_of
from domain.choreography.moves import ClipLabels, MoveRecord, build_move, cut_starts, with_cut_readings

CLIP_FPS = 30.0
MEASURE_FPS = CLIP_OPTIONS.sample_fps or 15.0  # the rate captured clips are measured at


def demo_record(move: DemoMove) -> MoveRecord:
    """The move's record, measured on its known track at the capture rate; tracked afresh it is the same track."""
    times, landmarks = demo_track(move, MEASURE_FPS)
    labels = ClipLabels(clip_id=move.clip_id, video_path=f"{move.clip_id}.mp4", move_label=move.move_label,
                        energy_level=move.energy_level, difficulty=move.difficulty, estimated_tempo=move.tempo_bpm)
    record = build_move(labels, times, landmarks, WIDTH, duration_of(move), None, None, HEIGHT)
    restarts = [(times[times >= s - 1e-9], landmarks[times >= s - 1e-9]) for s in cut_starts(record)]
    return with_cut_readings(record, times, landmarks, restarts)


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildDemoLibrary:
    writer: FigureClipWriter
    store: MoveLibraryStore
    index: MoveIndex

    def __call__(self, clip_folder: Path) -> list[MoveRecord]:
        records = []
        annotations = []
        for move in DEMO_MOVES:
            times, landmarks = demo_track(move, CLIP_FPS)
            self.writer.write(clip_folder / f"{move.clip_id}.mp4", times, landmarks, WIDTH, HEIGHT, CLIP_FPS)
            records.append(demo_record(move))
            annotations.append({"clip_id": move.clip_id, "video_path": f"{move.clip_id}.mp4",
                                "move_label": move.move_label, "energy_level": move.energy_level,
                                "difficulty": move.difficulty, "estimated_tempo": move.tempo_bpm,
                                "generated": True})
        # the clips' annotations in the format ingest-moves reads, so the folder documents itself
        (clip_folder / "annotations.json").write_text(json.dumps({"clips": annotations}, indent=1))
        self.store.save(records)
        self.index.rebuild(records)
        return records
