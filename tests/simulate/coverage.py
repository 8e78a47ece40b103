#!/usr/bin/env python3
"""Fake data that fits back: `make simulate-check`.

For each case, REPS times from fixed seeds: `bmc simulate` draws one data
set with the parameters set to known values, `bmc run --data` fits it, and
the 94% HDI of each quantity either covers the value it was simulated
with or not.  With the data drawn from the model at those values, the
HDIs cover them about 94% of the time (the priors are wide against the
data, so the posterior's intervals are near their nominal coverage); a
case fails when the share covered leaves [LOW, HIGH], some 3 to 4
binomial standard errors around 0.94 for 200 replications.  A
simulation that drew the data from other values than those given (a
parameter drawn from its prior instead) covers them far less often.

    BMC=build/bmc tests/simulate/coverage.py [REPS]

Run from the repository root; exits 1 when a case fails.
"""
import json
import os
import subprocess
import sys
import tempfile

LOW, HIGH = 0.87, 0.99

# model, its other data, the values set, the quantities checked with the
# values they were simulated with
CASES = [
    ("models/ab_simulate.bm", ["-D", "trials=1000"], {"p_A": 0.12, "p_B": 0.15},
     {"p_A": 0.12, "p_B": 0.15, "diff": 0.03}),
    ("tests/simulate/poisson.bm", ["-D", "N=40"], {"lambda": 1.8}, {"lambda": 1.8}),
]


def bmc(*args):
    """Runs bmc; its stdout, or an exit with what went wrong."""
    run = subprocess.run([os.environ["BMC"], *args], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"bmc {' '.join(args)}: exit {run.returncode}\n{run.stderr}")
    return run.stdout


def coverage(model, data, values, truth, reps, scratch):
    """How many of reps fits cover each true value."""
    covered = dict.fromkeys(truth, 0)
    path = os.path.join(scratch, "data.json")
    items = [f"{k}={v}" for k, v in values.items()]
    for rep in range(reps):
        seed = str(1000 + rep)
        bmc("simulate", model, *data, *items, "--seed", seed, "--output", path)
        fit = json.loads(bmc("run", model, "--data", path, "--seed", seed, "--format", "json"))
        for name, value in truth.items():
            v = fit["variables"][name]
            covered[name] += v["hdi_low"] <= value <= v["hdi_high"]
    return covered


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    failed = 0
    with tempfile.TemporaryDirectory(prefix="bmc-simulate-") as scratch:
        for model, data, values, truth in CASES:
            covered = coverage(model, data, values, truth, reps, scratch)
            for name, n in covered.items():
                share = n / reps
                ok = LOW <= share <= HIGH
                failed += not ok
                print(f"{model:28} {name:8} = {truth[name]:<6} covered by the 94% HDI in {n:4}/{reps} "
                      f"fits ({share:.3f})  {'ok' if ok else 'FAIL: outside [%g, %g]' % (LOW, HIGH)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
