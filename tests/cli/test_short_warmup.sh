#!/bin/sh
# test_short_warmup.sh -- a warm-up of 30 iterations on a regression whose
# coefficients are correlated (posteriordb's kidiq-kidscore_momiq: the
# child's score on the mother's uncentred IQ, corr(beta) = -0.99) still
# gives chains that agree and find the posterior, seed after seed.  Its
# one slow window is drawn while the chain is still on its way to the
# posterior; a metric from those draws' spread alone was orders of
# magnitude too small along the ridge, and the chains barely moved
# (R-hat 1.06 to 1.5 on three of these four seeds).
#
# Expected values come from outside bmc: posteriordb's reference draws
# (bench/posteriordb/kidiq-kidscore_momiq/reference.json).
#
# Needs BMC (the binary under test) and python3 (to read JSON).
# Prints "N passed, N failed" last and exits non-zero when anything failed.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

post=bench/posteriordb/kidiq-kidscore_momiq
for seed in 1 2 3 4; do
    if runs "kidiq --tune 30, seed $seed" 0 run "$post/model.bm" --data "$post/data.json" \
            --seed $seed --tune 30 --format json; then
        pycheck "kidiq --tune 30, seed $seed: R-hat and means" "$tmp/out" "$post/reference.json" <<'PY'
import json, sys
var = json.load(open(sys.argv[1]))["variables"]
ref = json.load(open(sys.argv[2]))
for k, r in ref.items():
    v = var[k]
    if not v["r_hat"] < 1.05:
        print(f"{k}: R-hat {v['r_hat']:.3f}")
    # ESS is a few hundred at least: MCSE is under 0.1 sd
    if not abs(v["mean"] - r["mean"]) < 0.3 * r["sd"]:
        print(f"{k}: mean {v['mean']:.4g}, reference {r['mean']:.4g} (sd {r['sd']:.3g})")
PY
    fi
done

finish
