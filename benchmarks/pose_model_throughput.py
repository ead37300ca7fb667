"""Batched throughput of the BlazePose landmark model: ONNX Runtime (every available provider) and,
where PyTorch with CUDA is present, the same ONNX graph converted with onnx2torch on the GPU.

    python benchmarks/pose_model_throughput.py [--model PATH] [--image JPG] [--batches 1,8,64]

Prints frames per second per backend and batch size, and how far each backend's landmarks are from
ONNX Runtime on the CPU (max absolute difference in crop pixels) on a real photo's crop.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = ROOT.parent / "shared" / "models" / "pose_landmark_full.onnx"


def crop(image_path: Path | None) -> np.ndarray:
    """A 256x256 RGB crop in [0, 1]: a real photo when given, else a smooth synthetic gradient."""
    if image_path is not None and image_path.is_file():
        try:
            import av  # PyAV decodes a JPEG as a one-frame video

            with av.open(str(image_path)) as container:
                frame = next(container.decode(video=0)).to_ndarray(format="rgb24")
        except ImportError:
            frame = None
        if frame is None:
            from PIL import Image

            frame = np.asarray(Image.open(image_path).convert("RGB"))
        h, w, _ = frame.shape
        side = max(h, w)
        square = np.zeros((side, side, 3), np.uint8)
        square[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = frame
        idx = (np.arange(256) * side / 256).astype(int)
        return square[idx][:, idx].astype(np.float32) / 255.0
    y, x = np.mgrid[0:256, 0:256] / 255.0
    return np.stack([x, y, (x + y) / 2], axis=-1).astype(np.float32)


def timed(run, batch: np.ndarray, seconds: float = 2.0) -> float:
    run(batch)  # warm-up (kernel selection, allocations)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        run(batch)
        count += batch.shape[0]
    return count / (time.perf_counter() - start)


def onnxruntime_rows(model: Path, image: np.ndarray, batches: list[int]) -> tuple[list[str], np.ndarray]:
    rows = []
    reference = None
    for provider in ort.get_available_providers():
        if provider not in ("CPUExecutionProvider", "CUDAExecutionProvider", "TensorrtExecutionProvider"):
            continue
        session = ort.InferenceSession(str(model), providers=[provider])
        name = session.get_inputs()[0].name

        def run(x: np.ndarray, s: ort.InferenceSession = session, n: str = name) -> np.ndarray:
            return s.run(["Identity"], {n: x})[0]

        out = run(image[None])
        if reference is None:
            reference = out
        diff = float(np.max(np.abs(out - reference)))
        for b in batches:
            fps = timed(run, np.repeat(image[None], b, axis=0))
            rows.append(f"onnxruntime {provider:24s} batch {b:5d}: {fps:9.0f} frames/s  (max diff {diff:.4f})")
    assert reference is not None
    return rows, reference


def torch_rows(model: Path, image: np.ndarray, batches: list[int], reference: np.ndarray) -> list[str]:
    try:
        import torch
        from onnx2torch import convert
    except ImportError as exc:
        return [f"torch/onnx2torch not available ({exc.name}); GPU rows skipped"]
    if not torch.cuda.is_available():
        return ["torch has no CUDA device; GPU rows skipped"]
    rows = [f"GPU: {torch.cuda.get_device_name(0)}"]
    net = convert(str(model)).eval().cuda()
    for dtype in (torch.float32, torch.float16):
        m = net.to(dtype)

        @torch.inference_mode()
        def run(x: np.ndarray, m: torch.nn.Module = m, dtype: torch.dtype = dtype) -> np.ndarray:
            out = m(torch.from_numpy(x).cuda().to(dtype))
            first = out[0] if isinstance(out, (list, tuple)) else out
            torch.cuda.synchronize()
            return first

        out = run(image[None]).float().cpu().numpy()
        diff = float(np.max(np.abs(out - reference)))
        for b in batches:
            batch = np.repeat(image[None], b, axis=0)
            fps = timed(run, batch)
            rows.append(f"torch-cuda {dtype!s:24s} batch {b:5d}: {fps:9.0f} frames/s  (max diff {diff:.4f})")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=Path(os.environ.get("POSE_ONNX_MODEL", DEFAULT_MODEL)))
    parser.add_argument("--image", type=Path, default=ROOT.parent / "shared" / "media" / "images" /
                        "coco_val2014_000000000415.jpg")
    parser.add_argument("--batches", default="1,8,32")
    parser.add_argument("--gpu-batches", default="1,64,256,1024")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.processor() or platform.platform()}")
    image = crop(args.image)
    rows, reference = onnxruntime_rows(args.model, image, [int(b) for b in args.batches.split(",")])
    for row in rows:
        print(row)
    for row in torch_rows(args.model, image, [int(b) for b in args.gpu_batches.split(",")], reference):
        print(row)


if __name__ == "__main__":
    main()
