"""``dance swing VIDEO [--json] [--out coached.mp4]``: the swing coach on one video file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

DEFAULT_ONNX_MODEL = Path(__file__).resolve().parent.parent.parent / "shared" / "models" / "pose_landmark_full.onnx"


def add_swing_subcommand(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("swing", help="analyse a golf swing video")
    p.add_argument("video", type=Path)
    p.add_argument("--backend", choices=("onnx", "mediapipe"), default="onnx")
    p.add_argument("--onnx-model", type=Path, default=DEFAULT_ONNX_MODEL)
    p.add_argument("--playback-speed", type=float, default=0.25, help="slow motion of the script and video")
    p.add_argument("--voice", choices=("piper", "espeak"), default="piper")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--out", type=Path, default=None, help="write the coached video (MP4) here")
    p.set_defaults(handler=_swing)


def _swing(args: argparse.Namespace) -> int:
    from application.coaching.analyse import AnalyseSwingVideo, compose_coached_video
    from application.ports.analysis import MediaError
    from domain.analysis.errors import AnalysisFailed
    from entrypoints.pipeline_factory import make_capture

    capture = make_capture(args.backend, onnx_model=args.onnx_model)
    try:
        result = AnalyseSwingVideo(capture=capture).run(args.video, args.playback_speed)
        stages: dict[str, float] = {}
        if args.out is not None:
            from adapters.media.pyav_swing_compositor import PyAvSwingVideoCompositor
            from adapters.speech.espeak_ng import EspeakNgSpeechSynthesizer
            from adapters.speech.piper_tts import PiperSpeechSynthesizer

            synth = PiperSpeechSynthesizer() if args.voice == "piper" else EspeakNgSpeechSynthesizer()
            stages = compose_coached_video(synth, PyAvSwingVideoCompositor(), args.video, result, args.out)
    except (MediaError, AnalysisFailed) as exc:
        reason = exc.reason if isinstance(exc, AnalysisFailed) else str(exc)
        print(json.dumps({"error": reason}) if args.json else f"Cannot analyse {args.video.name}: {reason}")
        return 2
    finally:
        capture.estimator.close()
    data = result.to_dict()
    data["stage_seconds"].update({k: round(v, 3) for k, v in stages.items()})
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    sa = data["swing_analysis"]
    print(f"{sa['handedness']}-handed golfer, {sa['view'].replace('_', ' ')} view; score {data['summary']['score']}")
    for ph in sa["swing_phases"]:
        frames = f"{ph['start_frame']:>4}-{ph['end_frame']:<4}"
        print(f"  {ph['phase']:<15} frames {frames} quality {ph['quality_score']:.2f}")
    for item in sa["alignment_feedback"]:
        print(f"  - {item['message']}")
    for line in data["coaching_script"]:
        print(f"  [{line['timestamp']:6.2f} s, frame {line['start_frame_number']}] {line['text']}")
    if args.out is not None:
        print(f"coached video written to {args.out}")
    return 0
