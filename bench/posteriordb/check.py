#!/usr/bin/env python3
"""Runs bmc on every posterior of models.tsv with each metric and seed, and
writes a table of what each run cost and whether it found the reference.

Per posterior, variant and seed (4 chains, bmc's defaults otherwise):
  div    divergences after warm-up
  rhat   the largest R-hat over the reference's variables
  ess    the smallest bulk ESS over the posterior's params (models.tsv)
  grad/ess  gradient evaluations of all chains, warm-up included, per ess
  ok     every reference variable's mean within 4 MCSE + 0.1 reference sd
         of the reference mean (the count that are not, otherwise)

Usage: bench/posteriordb/check.py [--bmc build/bmc] [--seeds 1,2,3]
         [--variant NAME=ARGS]... [--only NAME,...] [--out METRIC.md] [-- ARGS]
       bench/posteriordb/check.py --from LOG... [--out METRIC.md]
Variants default to diag, dense and auto (--metric NAME); ARGS after --
go to every run.  --from rebuilds the table from the lines a run printed
(each run's row), such as an interrupted run's.
"""
import argparse
import json
import math
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOL_MCSE = 4.0
TOL_SD = 0.1


def read_models():
    rows = []
    with open(os.path.join(HERE, "models.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, params = line.split()
            rows.append((name, params.split(",")))
    return rows


def base_name(name):
    return name.split("[", 1)[0]


def run_one(bmc, name, params, args, seed):
    folder = os.path.join(HERE, name)
    cmd = [bmc, "run", os.path.join(folder, "model.bm"),
           "--data", os.path.join(folder, "data.json"),
           "--format", "json", "--seed", str(seed)] + args
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        return {"error": res.stderr.strip().splitlines()[-1] if res.stderr else str(res.returncode)}
    out = json.loads(res.stdout)
    with open(os.path.join(folder, "reference.json")) as f:
        ref = json.load(f)
    var = out["variables"]
    ess = min(v["ess_bulk"] for k, v in var.items() if base_name(k) in params)
    rhat = max(var[k]["r_hat"] for k in ref)
    off = sum(1 for k, r in ref.items()
              if not abs(var[k]["mean"] - r["mean"]) <= TOL_MCSE * var[k]["mcse_mean"] + TOL_SD * r["sd"])
    s = out["sampler"]
    return {"div": s["divergences"], "rhat": rhat, "ess": ess,
            "grads": s["gradient_evals"], "off": off, "metric": s.get("metric", "?")}


def parse_row(line):
    """A row of the every-run table back into (name, variant, seed, result)."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    name, vname, seed, metric, stats = cells
    if stats == "error":
        return name, vname, seed, {"error": "error"}
    div, rhat, ess, gpe, ok = [x.strip() for x in stats.split("/")]
    off = 0 if ok == "ok" else int(ok.split()[0])
    ess = float(ess)
    return name, vname, seed, {"div": int(div), "rhat": float(rhat), "ess": ess,
                               "grads": float(gpe) * ess, "off": off, "metric": metric}


def cell(r):
    if "error" in r:
        return "error"
    gpe = r["grads"] / r["ess"] if r["ess"] > 0 else math.inf
    ok = "ok" if r["off"] == 0 else f"{r['off']} off"
    return f"{r['div']} / {r['rhat']:.3f} / {r['ess']:.0f} / {gpe:.0f} / {ok}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bmc", default=os.path.join(HERE, "..", "..", "build", "bmc"))
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--variant", action="append", default=[])
    p.add_argument("--only", default="")
    p.add_argument("--out", default=os.path.join(HERE, "METRIC.md"))
    p.add_argument("--from", dest="logs", nargs="+", default=[])
    p.add_argument("extra", nargs="*")
    a = p.parse_args()
    variants = [v.split("=", 1) for v in a.variant] or \
        [[m, f"--metric {m}"] for m in ("diag", "dense", "auto")]
    seeds = [int(s) for s in a.seeds.split(",")]
    only = set(a.only.split(",")) - {""}
    lines = ["| posterior | variant | seed | metric | div / max R-hat / min ESS / grad per ESS / means |",
             "| --- | --- | --- | --- | --- |"]
    summary = {}
    for log in a.logs:
        with open(log) as f:
            for line in f:
                if line.startswith("| ") and not line.startswith("| posterior") and line.count("|") == 6:
                    name, vname, seed, r = parse_row(line)
                    if vname not in [v for v, _ in variants]:
                        variants.append([vname, ""])
                    summary.setdefault((name, vname), []).append(r)
                    lines.append(line.rstrip("\n"))
    if a.logs:
        variants = [v for v in variants if any(k[1] == v[0] for k in summary)]
        a.seeds = "as logged"
    for name, params in ([] if a.logs else read_models()):
        if only and name not in only:
            continue
        for vname, vargs in variants:
            for seed in seeds:
                r = run_one(a.bmc, name, params, shlex.split(vargs) + a.extra, seed)
                summary.setdefault((name, vname), []).append(r)
                line = f"| {name} | {vname} | {seed} | {r.get('metric', '-')} | {cell(r)} |"
                lines.append(line)
                print(line, flush=True)
    # Per posterior and variant over the seeds: divergences summed, the
    # worst R-hat, the median gradient evaluations per ESS.
    table = ["| posterior | " + " | ".join(v for v, _ in variants) + " |",
             "| --- |" + " --- |" * len(variants)]
    names = sorted({n for n, _ in summary})
    for name in names:
        cells = []
        for vname, _ in variants:
            rs = [r for r in summary[(name, vname)] if "error" not in r]
            if not rs:
                cells.append("error")
                continue
            gpe = sorted(r["grads"] / r["ess"] if r["ess"] > 0 else math.inf for r in rs)
            off = sum(r["off"] for r in rs)
            cells.append(f"{sum(r['div'] for r in rs)} / {max(r['rhat'] for r in rs):.3f} / "
                         f"{gpe[len(gpe) // 2]:.0f} / {'ok' if off == 0 else str(off) + ' off'}")
        table.append(f"| {name} | " + " | ".join(cells) + " |")
    with open(a.out, "w") as f:
        f.write("# Metric check on posteriordb\n\n"
                f"`bench/posteriordb/check.py`, seeds {a.seeds}, 4 chains, bmc's defaults"
                + (f", extra arguments `{' '.join(a.extra)}`" if a.extra else "") + ".\n\n"
                "Per posterior and variant over the seeds: divergences (all seeds), the worst "
                "R-hat, the median gradient evaluations (warm-up included) per smallest bulk ESS, "
                f"and whether every mean was within {TOL_MCSE:g} MCSE + {TOL_SD:g} reference sd "
                "of posteriordb's reference.\n\n")
        f.write("\n".join(table) + "\n\n## Every run\n\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
