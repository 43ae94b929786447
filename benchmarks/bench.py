"""Benchmark stance's inference on this machine, in one run, and write benchmarks/RESULTS.md.

    python benchmarks/bench.py [--model DIR] [--units 1000] [--repeats 2]

What it measures (docs/performance.md explains the choices):

- throughput, in units per second and in useful (non-padding) tokens per second, over ``--units``
  gold units of the corpus (quote + context, as classified), for transformers'
  ``pipeline("text-classification")`` with the same merged model at batch size 32 and for each
  stance backend (torch fp32, torch int8, ONNX Runtime fp32, ONNX Runtime int8);
- the machine's fp32 matrix-multiply rate (GFLOPS), the token-rate ceiling it implies for the
  model (linear-layer FLOPs per token) and each variant's fraction of that ceiling;
- macro-F1 of each stance backend on the test split and on ../shared/realnews (gold spans);
- end-to-end articles per second (extraction + classification) on the test articles;
- cold start (a fresh process importing stance and classifying the seed article) and that
  process's peak resident memory, with the ONNX cache warm and with it empty;
- the model's training time (``run_seconds``, else ``train_seconds``, of its metrics.json, or
  ``--measure-training``).

The timings are best-of-``--repeats`` wall-clock times; the machine's load average is recorded
beside them, since other processes on the machine slow every number down.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from stance.artifact import check_files, read_meta  # noqa: E402
from stance.model import StanceClassifier  # noqa: E402
from stance.runtime import read_config  # noqa: E402

PIPELINE_BATCH = 32
SEED_ARTICLE = ROOT / "seeds" / "000_a41ec2105ae844da.txt"
REALNEWS = ROOT.parent / "shared" / "realnews" / "realnews-dev.jsonl"
VARIANTS = {  # name in the table -> stance backend
    "stance torch fp32": "torch",
    "stance torch int8": "int8",
    "stance onnx fp32": "onnx",
    "stance onnx int8": "onnx-int8",
}
TARGETS = {"speedup": 3.0, "fp32_ceiling": 0.70, "f1_loss": 0.01, "articles_per_s": 20.0,
           "cold_start_s": 3.0, "peak_mb": 700.0}


@dataclass
class Run:
    name: str
    seconds: float
    units: int
    useful_tokens: int
    padded_tokens: int
    extra: dict = field(default_factory=dict)

    @property
    def units_per_s(self) -> float:
        return self.units / self.seconds

    @property
    def tokens_per_s(self) -> float:
        return self.useful_tokens / self.seconds


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.1f}] {message}", flush=True)


def best_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


# -- the machine ----------------------------------------------------------------------------------

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                flags = Path("/proc/cpuinfo").read_text()
                extras = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile")
                          if f" {f}" in flags]
                return f"{name} ({', '.join(extras)})"
    except OSError:
        pass
    return platform.processor() or platform.machine()


def physical_cores() -> int:
    try:
        import psutil

        return psutil.cpu_count(logical=False) or os.cpu_count() or 1
    except ImportError:
        return os.cpu_count() or 1


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for package in ("stance", "torch", "transformers", "tokenizers", "onnxruntime", "onnx", "numpy"):
        try:
            out[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            out[package] = "not installed"
    if out["stance"] == "not installed":
        import stance

        out["stance"] = f"{stance.__version__} (source checkout)"
    return out


def matmul_gflops(seconds: float = 1.5) -> dict[str, float]:
    """fp32 GEMM rate of torch (MKL / oneDNN) and numpy (OpenBLAS) on square matrices."""
    import torch

    rates = {}
    for n in (1024, 2048):
        a, b = torch.randn(n, n), torch.randn(n, n)
        an, bn = a.numpy(), b.numpy()
        for name, fn in ((f"torch {n}", lambda a=a, b=b: a @ b), (f"numpy {n}", lambda a=an, b=bn: a @ b)):
            for _ in range(3):
                fn()
            start, count = time.perf_counter(), 0
            while time.perf_counter() - start < seconds:
                fn()
                count += 1
            rates[name] = 2 * n**3 * count / (time.perf_counter() - start) / 1e9
    return rates


# -- the data -------------------------------------------------------------------------------------

def corpus_units(count: int, labels: list[str], context_chars: int) -> list:
    """The first ``count`` gold units of the corpus splits (test, dev, unseen, train), in file order,
    with the model's context."""
    from training.data import article_examples, read_articles

    units = []
    for split in ("test", "dev", "unseen", "train"):
        for article in read_articles(ROOT / "seeds" / f"{split}.jsonl", labels):
            units.extend(article_examples(article, context_chars))
        if len(units) >= count:
            break
    if len(units) < count:
        raise SystemExit(f"the corpus holds only {len(units)} units; ask for fewer with --units")
    return units[:count]


def token_counts(classifier: StanceClassifier, units: list) -> list[int]:
    return [len(e.ids) for e in classifier._encode([u.quote for u in units], [u.context for u in units])]


def padded(lengths: list[int], batch: int, *, sort: bool) -> int:
    order = sorted(lengths) if sort else lengths
    return sum(max(order[i:i + batch]) * len(order[i:i + batch]) for i in range(0, len(order), batch))


# -- the variants ---------------------------------------------------------------------------------

def run_pipeline(path: Path, units: list, lengths: list[int], max_length: int, repeats: int) -> Run:
    """transformers' text-classification pipeline on the same model (adapters merged)."""
    import torch
    from transformers import AutoTokenizer, pipeline

    from stance.runtime import _build_hf_model

    meta, kind = read_meta(path), check_files(path)
    model = _build_hf_model(path, kind, meta).inner
    tokenizer = AutoTokenizer.from_pretrained(path, use_fast=True)
    pipe = pipeline("text-classification", model=model, tokenizer=tokenizer, device=torch.device("cpu"))
    inputs = [{"text": u.quote, "text_pair": u.context} for u in units]
    options = {"batch_size": PIPELINE_BATCH, "truncation": "longest_first", "max_length": max_length}
    pipe(inputs[:PIPELINE_BATCH], **options)  # warm-up
    result: list = []
    seconds = best_time(lambda: result.__setitem__(slice(None), pipe(inputs, **options)), repeats)
    labels = [row["label"] for row in result]
    return Run("transformers pipeline fp32", seconds, len(units), sum(lengths),
               padded(lengths, PIPELINE_BATCH, sort=False), {"labels": labels})


def run_stance(name: str, classifier: StanceClassifier, units: list, lengths: list[int],
               repeats: int) -> Run:
    quotes, contexts = [u.quote for u in units], [u.context for u in units]
    classifier.predict_proba(quotes[:64], contexts[:64])  # warm-up
    probs: list = []
    seconds = best_time(lambda: probs.__setitem__(slice(None), classifier.predict_proba(quotes, contexts)),
                        repeats)
    labels = [classifier.labels[int(i)] for i in np.asarray(probs).argmax(axis=1)]
    return Run(name, seconds, len(units), sum(lengths), padded(lengths, classifier.batch_size, sort=True),
               {"labels": labels})


def macro_f1(classifier: StanceClassifier, file: Path) -> float:
    from training.data import article_examples, read_articles
    from training.metrics import macro_f1 as score

    labels = list(classifier.labels)
    examples = [e for a in read_articles(file, labels) for e in article_examples(a, classifier.context_chars)]
    probs = classifier.predict_proba([e.quote for e in examples], [e.context for e in examples])
    gold = [labels.index(e.label) for e in examples]
    return score(gold, list(probs.argmax(axis=1)), len(labels))


def end_to_end(classifier: StanceClassifier, repeats: int) -> tuple[float, int, int]:
    from stance import classify

    texts = [json.loads(line)["text"] for line in (ROOT / "seeds" / "test.jsonl").read_text().splitlines()
             if line.strip()]
    classify(texts[:2], model=classifier)  # warm-up
    found: list = []
    seconds = best_time(lambda: found.__setitem__(slice(None), classify(texts, model=classifier)), repeats)
    return len(texts) / seconds, len(texts), sum(len(r.units) for r in found)


COLD = """
import json, resource, sys, time
def peak_mb():  # VmHWM: this process's own peak (ru_maxrss would include the parent's, kept over exec)
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
import stance
imported = time.perf_counter()
result = stance.classify(open(sys.argv[1], encoding="utf-8").read(), backend=sys.argv[2])
done = time.perf_counter()
print(json.dumps({"import_s": imported - start, "classify_s": done - imported, "units": len(result.units),
                  "torch": "torch" in sys.modules, "backend": stance.api._by_backend[sys.argv[2]].backend,
                  "peak_mb": peak_mb()}))
"""


def cold_start(model: Path, backend: str, repeats: int, cache: str | None = None) -> dict:
    """A fresh interpreter: import stance, classify the seed article; wall time and peak RSS."""
    env = {**os.environ, "STANCE_MODEL": str(model)}
    if cache is not None:
        env["STANCE_CACHE"] = cache
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD, str(SEED_ARTICLE), backend], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=600)
        wall = time.perf_counter() - start
        if out.returncode != 0:
            raise SystemExit(f"cold start ({backend}) failed:\n{out.stderr[-2000:]}")
        runs.append({**json.loads(out.stdout.strip().splitlines()[-1]), "wall_s": wall})
    return min(runs, key=lambda r: r["wall_s"])


def training_seconds(model: Path, measure: bool) -> tuple[float | None, str]:
    if measure:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "training.train", "--config", "configs/default.yaml",
                            "--output_dir", tmp, "--no-progress"], cwd=ROOT, check=True)
            return time.perf_counter() - start, "measured now (configs/default.yaml)"
    metrics = model / "metrics.json"
    if metrics.exists():
        data = json.loads(metrics.read_text())
        where = metrics.relative_to(ROOT) if metrics.is_relative_to(ROOT) else metrics
        if "run_seconds" in data:  # the whole run: corpus reading, training, final scoring
            return float(data["run_seconds"]), (f"run_seconds of {where}: the whole run; "
                                                f"its training loop took {data['train_seconds']:.0f} s")
        if "train_seconds" in data:
            return float(data["train_seconds"]), f"train_seconds of {where}"
    return None, "unknown (no train_seconds in metrics.json)"


# -- the report -----------------------------------------------------------------------------------

def mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "default")
    parser.add_argument("--units", type=int, default=1000, help="units for the throughput runs (>= 1000)")
    parser.add_argument("--repeats", type=int, default=2, help="timed repeats; the best counts")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--realnews", type=Path, default=REALNEWS)
    parser.add_argument("--measure-training", action="store_true",
                        help="train configs/default.yaml now and time it (minutes)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args(argv)
    model = args.model.resolve()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    started = time.strftime("%Y-%m-%d %H:%M")
    loads = [os.getloadavg()[0]]
    log(f"model {model}")

    config = read_config(model)
    from stance.encoder import flops_per_token

    try:
        flops = flops_per_token(config)
    except KeyError:
        flops = 21.2e6
    classifiers = {name: StanceClassifier.from_pretrained(model, backend=backend, device="cpu",
                                                          batch_size=args.batch_size)
                   for name, backend in VARIANTS.items()}  # ONNX graphs exported here if not cached
    reference = classifiers["stance torch fp32"]
    units = corpus_units(args.units, list(reference.labels), reference.context_chars)
    lengths = token_counts(reference, units)
    log(f"{len(units)} units, {sum(lengths)} tokens (mean {np.mean(lengths):.1f}, max {max(lengths)})")

    gemm = matmul_gflops()
    log("GEMM " + ", ".join(f"{k} {v:.1f}" for k, v in gemm.items()))
    runs = [run_pipeline(model, units, lengths, reference.max_length, args.repeats)]
    log(f"pipeline {runs[-1].units_per_s:.1f} units/s")
    for name, classifier in classifiers.items():
        runs.append(run_stance(name, classifier, units, lengths, args.repeats))
        log(f"{name} {runs[-1].units_per_s:.1f} units/s")
    gemm_after = matmul_gflops()
    loads.append(os.getloadavg()[0])
    machine_gflops = max(max(gemm.values()), max(gemm_after.values()))
    ceiling = machine_gflops * 1e9 / flops

    f1: dict[str, dict[str, float]] = {}
    sets = {"test": ROOT / "seeds" / "test.jsonl"}
    if args.realnews.exists():
        sets["realnews-dev"] = args.realnews
    for name, classifier in classifiers.items():
        f1[name] = {s: macro_f1(classifier, file) for s, file in sets.items()}
        log(f"{name} macro-F1 {f1[name]}")

    fast_name = "stance onnx int8"
    fp32_name = "stance torch fp32"
    e2e = {name: end_to_end(classifiers[name], args.repeats) for name in (fast_name, fp32_name)}
    log(f"end to end {e2e}")
    loads.append(os.getloadavg()[0])
    del classifiers

    cold = {"auto (default), ONNX cache warm": cold_start(model, "auto", 3),
            "torch fp32": cold_start(model, "torch", 3)}
    with tempfile.TemporaryDirectory() as empty:
        cold["auto, ONNX cache empty (first use: export)"] = cold_start(model, "auto", 1, cache=empty)
    log(f"cold start {cold}")
    train_s, train_source = training_seconds(model, args.measure_training)
    loads.append(os.getloadavg()[0])

    report = render(model, units, lengths, runs, gemm, gemm_after, machine_gflops, flops, ceiling, f1,
                    e2e, cold, train_s, train_source, loads, started, fast_name, fp32_name)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


def render(model, units, lengths, runs, gemm, gemm_after, machine_gflops, flops, ceiling, f1, e2e, cold,
           train_s, train_source, loads, started, fast_name, fp32_name) -> str:
    pipeline_run = runs[0]
    by_name = {r.name: r for r in runs}
    v = versions()
    rel = model.relative_to(ROOT) if model.is_relative_to(ROOT) else model
    lines = [
        "# stance inference benchmark",
        "",
        f"Written by `python benchmarks/bench.py --model {rel}` on {started}. Every number comes",
        "from that one run on this machine; docs/performance.md explains what was measured and why.",
        "",
        "## Machine",
        "",
        f"- CPU: {cpu_model()}; {physical_cores()} physical cores, {os.cpu_count()} logical",
        f"- Load average (1 min) during the run: {', '.join(f'{x:.1f}' for x in loads)} "
        "(other processes share the cores; all times are best of the repeats)",
        "- " + ", ".join(f"{k} {val}" for k, val in v.items()),
        f"- fp32 matrix multiply: {machine_gflops:.1f} GFLOPS (best of "
        + ", ".join(f"{k}: {a:.1f}/{gemm_after[k]:.1f}" for k, a in gemm.items())
        + " before/after the throughput runs)",
        f"- Model: {rel}: {flops / 1e6:.2f} MFLOP per token (linear layers) -> token-rate ceiling "
        f"{ceiling:,.0f} tokens/s at {machine_gflops:.1f} GFLOPS",
        "",
        f"## Throughput ({len(units)} corpus units, {sum(lengths):,} useful tokens, mean "
        f"{np.mean(lengths):.1f} per unit)",
        "",
        "| variant | units/s | useful tokens/s | x pipeline | of ceiling | padding | agrees with fp32 | "
        "macro-F1 test | macro-F1 realnews |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    fp32_labels = by_name[fp32_name].extra["labels"]
    for run in runs:
        agree = np.mean([a == b for a, b in zip(run.extra["labels"], fp32_labels, strict=True)])
        scores = f1.get(run.name, {})
        lines.append(
            f"| {run.name} | {run.units_per_s:.1f} | {run.tokens_per_s:,.0f} | "
            f"{run.units_per_s / pipeline_run.units_per_s:.2f} | {run.tokens_per_s / ceiling:.0%} | "
            f"{1 - run.useful_tokens / run.padded_tokens:.1%} | {agree:.1%} | "
            f"{scores.get('test', float('nan')):.4f} | {scores.get('realnews-dev', float('nan')):.4f} |"
        )
    lines += [
        "",
        "Padding: the share of computed tokens that are padding (the pipeline pads each batch of 32 in "
        "input order; stance sorts by token count first). Macro-F1 uses the gold spans "
        "(training.data.article_examples + predict_proba). 'agrees with fp32': same label as stance "
        "torch fp32.",
        "",
        "## End to end, cold start, memory, training",
        "",
        "| measure | value |",
        "| --- | ---: |",
    ]
    for name, (rate, articles, found) in e2e.items():
        lines.append(f"| articles/s end to end, {name} ({articles} test articles, {found} units) | "
                     f"{rate:.1f} |")
    for name, c in cold.items():
        lines.append(f"| cold start, {name}: wall s (import / classify), backend, torch imported | "
                     f"{c['wall_s']:.2f} ({c['import_s']:.2f} / {c['classify_s']:.2f}), {c['backend']}, "
                     f"{c['torch']} |")
        lines.append(f"| peak resident memory, {name} | {c['peak_mb']:.0f} MB |")
    train = "unknown" if train_s is None else f"{train_s:.0f} s ({train_s / 60:.1f} min)"
    lines.append(f"| training time of the model ({train_source}) | {train} |")

    fast, fp32 = by_name[fast_name], by_name[fp32_name]
    default_cold = cold["auto (default), ONNX cache warm"]
    worst_loss = max(f1[fp32_name][s] - f1[fast_name][s] for s in f1[fp32_name])
    best_fp32 = max(fp32.tokens_per_s, by_name["stance onnx fp32"].tokens_per_s) / ceiling
    lines += [
        "",
        "## Targets (issue 7)",
        "",
        "| target | measured | met |",
        "| --- | ---: | :---: |",
        f"| stance (default: {fast_name}) >= {TARGETS['speedup']:.0f}x the pipeline's throughput | "
        f"{fast.units_per_s / pipeline_run.units_per_s:.2f}x | "
        f"{mark(fast.units_per_s / pipeline_run.units_per_s >= TARGETS['speedup'])} |",
        f"| fp32 >= {TARGETS['fp32_ceiling']:.0%} of the token-rate ceiling (best fp32 backend) | "
        f"{best_fp32:.0%} | {mark(best_fp32 >= TARGETS['fp32_ceiling'])} |",
        f"| fast path loses <= {TARGETS['f1_loss']} macro-F1 (test, realnews) | "
        + ", ".join(f"{f1[fp32_name][s] - f1[fast_name][s]:+.4f}" for s in f1[fp32_name])
        + f" | {mark(worst_loss <= TARGETS['f1_loss'])} |",
        f"| >= {TARGETS['articles_per_s']:.0f} articles/s end to end (default backend) | "
        f"{e2e[fast_name][0]:.1f} | {mark(e2e[fast_name][0] >= TARGETS['articles_per_s'])} |",
        f"| cold start <= {TARGETS['cold_start_s']:.0f} s (default backend, cache warm) | "
        f"{default_cold['wall_s']:.2f} s | {mark(default_cold['wall_s'] <= TARGETS['cold_start_s'])} |",
        f"| peak memory <= {TARGETS['peak_mb']:.0f} MB (that process) | {default_cold['peak_mb']:.0f} MB | "
        f"{mark(default_cold['peak_mb'] <= TARGETS['peak_mb'])} |",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
