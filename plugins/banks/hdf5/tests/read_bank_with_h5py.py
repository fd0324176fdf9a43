#!/usr/bin/python3
"""Reads an SLT bank with h5py alone, using only the layout in docs/bank-format.md, and compares its
embeddings, scores and metric names with the expected values the C++ test wrote.

usage: read_bank_with_h5py.py BANK EXPECTED_EMBEDDINGS.f32 EXPECTED_SCORES.f32 METRIC,NAMES
exit: 0 equal, 1 different, 77 h5py or numpy missing (the test skips)."""
import sys

try:
    import h5py
    import numpy as np
except ImportError as error:
    print(f"h5py/numpy missing: {error}")
    sys.exit(77)

bank_path, embeddings_path, scores_path, metric_list = sys.argv[1:5]

# The snippet of docs/bank-format.md, as it stands there.
with h5py.File(bank_path, "r") as f:
    assert f.attrs["format"] == "slt-bank" and f.attrs["format_version"] <= 1
    n = int(f.attrs["num_points"])                  # trust this count, not the dataset lengths
    embeddings = f["points/embeddings"][:n]         # float32 [N, D]
    scores = f["points/scores"][:n]                 # float32 [N, M]
    metrics = list(f["metrics/names"].asstr()[:])   # M names, the column order of scores
    x, y = f["points/x"][:n], f["points/y"][:n]     # level-0 pixels, x = column
    names = np.array(f["images/names"].asstr()[: int(f.attrs["num_images"])])
    image = names[f["points/image_index"][:n]]      # the image (slide) name of every point

    # One crop, as PNG bytes (write them to a .png file, or decode with any image library):
    offsets = f["crops/offsets"]
    png = f["crops/png"][offsets[0]:offsets[1]].tobytes()

d = int(embeddings.shape[1])
expected_embeddings = np.fromfile(embeddings_path, dtype="<f4").reshape(-1, d)
expected_scores = np.fromfile(scores_path, dtype="<f4").reshape(-1, len(metrics))
problems = []
if metrics != metric_list.split(","):
    problems.append(f"metric names {metrics} != {metric_list}")
if not np.array_equal(embeddings, expected_embeddings):
    problems.append("embeddings differ")
if not np.array_equal(scores, expected_scores):
    problems.append("scores differ")
if not png.startswith(b"\x89PNG\r\n\x1a\n"):
    problems.append("the first crop is not a PNG")
if len(x) != n or len(y) != n or len(image) != n:
    problems.append("a column has the wrong length")
if problems:
    print("; ".join(problems))
    sys.exit(1)
print(f"ok: {n} points, D = {d}, M = {len(metrics)}")
