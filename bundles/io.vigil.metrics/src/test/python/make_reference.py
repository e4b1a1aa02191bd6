#!/usr/bin/env python3
"""Writes the reference data and expected values the metric tests compare against.

Run from bundles/io.vigil.metrics:  python3 src/test/python/make_reference.py
Needs numpy, scipy and scikit-learn. Output: src/test/resources/reference/*. The Java tests
never run this; they read its output. Expected values come from:
  - AUROC, ROC points, precision/recall: scikit-learn (roc_auc_score, roc_curve with
    drop_intermediate=False, precision_recall_curve);
  - F1-max: sklearn's precision_recall_curve with anomalib's F1Max rule (argmax of 2PR/(P+R),
    the lowest threshold on ties), cross-checked by a brute-force loop over every threshold;
  - AU-PRO: the MVTec AD evaluation script's algorithm (8-connected regions via
    scipy.ndimage.label with a 3x3 structure, cumulative FPR/PRO over descending scores with
    ties merged, trapezoid to FPR 0.3 with linear interpolation at 0.3, divided by 0.3),
    re-implemented here in float64;
  - zero-miss threshold: the minimum defective score, and the share of good scores >= it.
"""
import os
from bisect import bisect

import numpy as np
import scipy
import sklearn
from scipy.ndimage import label
from sklearn.metrics import precision_recall_curve, roc_auc_score, roc_curve

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "reference")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20240605)
versions = f"numpy {np.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__}"


def write_properties(path, values):
    with open(path, "w") as f:
        f.write("# Written by src/test/python/make_reference.py; do not edit.\n")
        for key, value in values.items():
            if isinstance(value, list):
                value = ",".join(str(v) for v in value)
            elif isinstance(value, float):
                value = repr(value)
            f.write(f"{key}={value}\n")


def f1_max(labels, scores):
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    best = int(np.argmax(f1[:-1]))  # thresholds increase: argmax takes the lowest on ties
    # Brute force: every distinct score as threshold, flagged when score >= threshold.
    brute_f1, brute_t = -1.0, None
    for t in sorted(set(scores.tolist())):
        tp = np.sum((scores >= t) & (labels == 1))
        fp = np.sum((scores >= t) & (labels == 0))
        fn = np.sum((scores < t) & (labels == 1))
        f = 2 * tp / (2 * tp + fp + fn)
        if f > brute_f1 + 1e-15:
            brute_f1, brute_t = f, t
    assert abs(brute_f1 - f1[best]) < 1e-12 and brute_t == thresholds[best], (brute_f1, f1[best], brute_t, thresholds[best])
    return float(f1[best]), float(thresholds[best]), float(precision[best]), float(recall[best])


def trapezoid(x, y, x_max):
    x = np.asarray(x)
    y = np.asarray(y)
    correction = 0.0
    if x_max not in x:
        ins = bisect(x, x_max)
        y_interp = y[ins - 1] + (y[ins] - y[ins - 1]) * (x_max - x[ins - 1]) / (x[ins] - x[ins - 1])
        correction = 0.5 * (y_interp + y[ins - 1]) * (x_max - x[ins - 1])
    keep = x <= x_max
    x, y = x[keep], y[keep]
    return float(np.sum(0.5 * (y[1:] + y[:-1]) * (x[1:] - x[:-1])) + correction)


def aupro(maps, masks, fpr_limit=0.3):
    structure = np.ones((3, 3), dtype=int)
    fp_changes = np.zeros(maps.shape, dtype=np.float64)
    pro_changes = np.zeros(maps.shape, dtype=np.float64)
    ok_pixels, regions = 0, 0
    for i, mask in enumerate(masks):
        labeled, count = label(mask, structure)
        regions += count
        ok = labeled == 0
        ok_pixels += int(np.sum(ok))
        fp_changes[i, ok] = 1
        for k in range(count):
            region = labeled == k + 1
            pro_changes[i, region] = 1.0 / np.sum(region)
    scores = maps.ravel().astype(np.float64)
    order = np.argsort(scores, kind="stable")[::-1]
    scores = scores[order]
    fprs = np.cumsum(fp_changes.ravel()[order]) / ok_pixels
    pros = np.cumsum(pro_changes.ravel()[order]) / regions
    keep = np.append(np.diff(scores) != 0, True)
    fprs = np.clip(fprs[keep], None, 1.0)
    pros = np.clip(pros[keep], None, 1.0)
    fprs = np.concatenate(([0.0], fprs, [1.0]))
    pros = np.concatenate(([0.0], pros, [1.0]))
    return trapezoid(fprs, pros, fpr_limit) / fpr_limit, regions


# --- Image level: 300 images, scores rounded to 0.05 so many tie across classes. ---
types = ["good"] * 120 + ["crack"] * 80 + ["hole"] * 60 + ["scratch"] * 40
labels = np.array([0 if t == "good" else 1 for t in types])
shift = {"good": 0.0, "crack": 0.9, "hole": 1.6, "scratch": 0.4}
scores = np.round(np.array([rng.normal(shift[t], 0.7) for t in types]) / 0.05) * 0.05
scores = np.round(scores, 2)
with open(os.path.join(OUT, "image_case.csv"), "w") as f:
    f.write("score,defect\n")
    for s, t in zip(scores, types):
        f.write(f"{float(s)!r},{t}\n")
expected = {"source": versions, "images": len(types), "image_auroc": float(roc_auc_score(labels, scores))}
good = labels == 0
for t in ["crack", "hole", "scratch"]:
    chosen = good | (np.array(types) == t)
    expected[f"image_auroc.defect.{t}"] = float(roc_auc_score(labels[chosen], scores[chosen]))
    expected[f"f1_max.defect.{t}"] = f1_max(labels[chosen], scores[chosen])[0]
    lowest = float(scores[np.array(types) == t].min())
    expected[f"zero_miss_threshold.defect.{t}"] = lowest
    expected[f"zero_miss_threshold.defect.{t}.false_reject_rate"] = float(np.mean(scores[good] >= lowest))
f1, threshold, precision, recall = f1_max(labels, scores)
expected.update({"f1_max": f1, "f1_max.threshold": threshold, "f1_max.precision": precision, "f1_max.recall": recall})
lowest = float(scores[labels == 1].min())
expected["zero_miss_threshold"] = lowest
expected["zero_miss_threshold.false_reject_rate"] = float(np.mean(scores[good] >= lowest))
fpr, tpr, thr = roc_curve(labels, scores, drop_intermediate=False)
with open(os.path.join(OUT, "image_case_roc.csv"), "w") as f:
    f.write("fpr,tpr,threshold\n")
    for a, b, c in zip(fpr, tpr, thr):
        f.write(f"{float(a)!r},{float(b)!r},{float(c)!r}\n")
write_properties(os.path.join(OUT, "image_case_expected.properties"), expected)


# --- Pixel level: 8 maps of 48x32, blobs (some touching only diagonally) on 5 of them. ---
def pixel_case(name, quantum):
    n, h, w = 8, 32, 48
    masks = np.zeros((n, h, w), dtype=np.uint8)
    yy, xx = np.mgrid[0:h, 0:w]
    for i in range(3, n):
        for _ in range(rng.integers(1, 4)):
            cy, cx, r = rng.integers(4, h - 4), rng.integers(4, w - 4), rng.integers(1, 5)
            masks[i][(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = 1
    masks[3, 2, 2] = 1  # two single pixels touching at a corner: one 8-connected region
    masks[3, 3, 3] = 1
    maps = rng.normal(0.0, 1.0, (n, h, w)) + 1.5 * masks + 0.3 * rng.random((n, 1, 1))
    if quantum:
        maps = np.round(maps / quantum) * quantum
    maps = maps.astype(np.float32)
    maps.astype("<f4").tofile(os.path.join(OUT, f"{name}_maps.f32"))
    masks.tofile(os.path.join(OUT, f"{name}_masks.u8"))
    value, regions = aupro(maps, masks)
    result = {
        "source": versions, "images": n, "height": h, "width": w,
        "defect_images": [i for i in range(n) if masks[i].any()],
        "pixel_auroc": float(roc_auc_score(masks.ravel(), maps.ravel().astype(np.float64))),
        "aupro": value, "regions": regions,
    }
    write_properties(os.path.join(OUT, f"{name}_expected.properties"), result)


pixel_case("pixel_ties", 0.25)  # heavy ties across classes
pixel_case("pixel_continuous", None)
print("written to", os.path.normpath(OUT), "with", versions)
