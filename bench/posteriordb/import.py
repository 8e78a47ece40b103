#!/usr/bin/env python3
"""Copies each posterior of this folder from posteriordb and summarises its
reference draws.

For every folder NAME/ (a posteriordb posterior name, with NAME/model.bm
written by hand) this writes, from a posteriordb git directory:
  NAME/model.stan      posteriordb's Stan model, verbatim
  NAME/data.json       posteriordb's data, verbatim (unzipped)
  NAME/reference.json  {"variable": {"mean": m, "sd": s}, ...}: the mean and
                       standard deviation of posteriordb's reference draws
                       (all chains pooled), in bmc's names

Usage: bench/posteriordb/import.py [POSTERIORDB_GIT_DIR]
(default: $POSTERIORDB, else /work/.mirror/stan-dev+posteriordb/repo).
"""
import io
import json
import os
import statistics
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
DB = "posterior_database"

# A posterior without reference draws of its own whose distribution is that
# of another's: the centred eight schools is the non-centred one's posterior
# over (mu, tau, theta).  name -> (reference posterior, variables kept)
BORROWED = {
    "eight_schools-eight_schools_centered":
        ("eight_schools-eight_schools_noncentered", ("mu", "tau", "theta")),
}


def git_show(repo, path):
    return subprocess.run(["git", "-C", repo, "show", "HEAD:" + path],
                          check=True, capture_output=True).stdout


def unzip_one(blob):
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        (member,) = z.namelist()
        return z.read(member)


def base_name(stan_name):
    """'theta[3]' -> 'theta': the variable a draw column belongs to."""
    return stan_name.split("[", 1)[0]


def reference(repo, ref_name, keep):
    chains = json.loads(unzip_one(git_show(
        repo, f"{DB}/reference_posteriors/draws/draws/{ref_name}.json.zip")))
    out = {}
    for name in chains[0]:
        if keep and base_name(name) not in keep:
            continue
        draws = [x for chain in chains for x in chain[name]]
        # Stan's and bmc's element names agree: beta[1], f[11].
        out[name] = {"mean": statistics.fmean(draws), "sd": statistics.stdev(draws)}
    return out


def import_one(repo, name):
    info = json.loads(git_show(repo, f"{DB}/posteriors/{name}.json"))
    folder = os.path.join(HERE, name)
    stan = git_show(repo, f"{DB}/models/stan/{info['model_name']}.stan")
    data = unzip_one(git_show(repo, f"{DB}/data/data/{info['data_name']}.json.zip"))
    ref_name, keep = BORROWED.get(name, (info.get("reference_posterior_name"), None))
    ref = reference(repo, ref_name, keep)
    with open(os.path.join(folder, "model.stan"), "wb") as f:
        f.write(stan)
    with open(os.path.join(folder, "data.json"), "wb") as f:
        f.write(data)
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")


def main():
    repo = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "POSTERIORDB", "/work/.mirror/stan-dev+posteriordb/repo")
    names = sorted(d for d in os.listdir(HERE)
                   if os.path.isfile(os.path.join(HERE, d, "model.bm")))
    for name in names:
        import_one(repo, name)
        print(name)


if __name__ == "__main__":
    main()
