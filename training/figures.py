"""PNG figures of an evaluation report: confusion matrices and reliability diagrams."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _confusion_png(matrix: list[list[int]], labels: list[str], title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = np.asarray(matrix)
    fig, ax = plt.subplots(figsize=(4, 3.6), dpi=120)
    ax.imshow(data, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    for (i, j), value in np.ndenumerate(data):
        ax.text(j, i, str(value), ha="center", va="center",
                color="white" if value > data.max() / 2 else "black")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _reliability_png(bins: list[dict], title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3.6), dpi=120)
    centers = [(b["low"] + b["high"]) / 2 for b in bins]
    ax.bar(centers, [b["accuracy"] if b["count"] else 0 for b in bins], width=0.09,
           edgecolor="black", label="accuracy")
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_figures(report: dict, out_dir: Path) -> dict[str, dict[str, str]]:
    """Write both figures for every set; return their file names per set."""
    written: dict[str, dict[str, str]] = {}
    for name, result in report["sets"].items():
        confusion = f"confusion_{name}.png"
        reliability = f"reliability_{name}.png"
        _confusion_png(result["confusion"], report["labels"], f"confusion: {name}",
                       out_dir / confusion)
        _reliability_png(result["reliability"], f"reliability: {name} (ECE {result['ece']:.3f})",
                         out_dir / reliability)
        written[name] = {"confusion matrix": confusion, "reliability diagram": reliability}
    return written
