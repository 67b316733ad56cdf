#!/usr/bin/env python3
"""The corpus copied K times, for the benchmarks that scale with the number of files.

  bench/stage_corpus.py LIST K DEST [--dockerfile-names] [--mark-copies]

Copies every file LIST names (one path a line) K times into DEST: copy k of
directory d's file f at k/d/f, short relative paths, so that even 10 x 6,000
of them fit on one command line (ARG_MAX); DEST/list names them all.
--dockerfile-names: k/d/f.Dockerfile, a name a tree walk takes for a Dockerfile.
--mark-copies: each copy after the first ends with a comment of its own, so
that git stores K times the blobs, not one for every copy of a file.
"""
import argparse
import os
import shutil

parser = argparse.ArgumentParser()
parser.add_argument("listing")
parser.add_argument("copies", type=int)
parser.add_argument("dest")
parser.add_argument("--dockerfile-names", action="store_true")
parser.add_argument("--mark-copies", action="store_true")
args = parser.parse_args()
suffix = ".Dockerfile" if args.dockerfile_names else ""
dirs = {}
rel = []
for path in filter(None, open(args.listing).read().split("\n")):
    d = dirs.setdefault(os.path.dirname(path), [len(dirs), 0])
    rel.append((path, f"{d[0]}/{d[1]}{suffix}"))
    d[1] += 1
with open(os.path.join(args.dest, "list"), "w") as out:
    for k in range(args.copies):
        for src, r in rel:
            target = os.path.join(args.dest, str(k), r)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(src, target)
            if k and args.mark_copies:
                with open(target, "ab") as f:
                    f.write(f"\n# copy {k}\n".encode())
            out.write(f"{k}/{r}\n")
