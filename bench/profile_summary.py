#!/usr/bin/env python
"""Summarise a py-spy raw (collapsed stacks) profile written by `bench/api.py --profile DIR`.

    .venv/bin/python bench/profile_summary.py DIR/participant_standing.txt [--top 30] [--match text]

Prints the share of samples in which each function is on the stack (inclusive) and on top (self),
plus the share of samples by package (where the innermost frame lives), which is what says whether
the time goes to GraphQL execution, the ORM, the driver or our own code.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<fn>.*?) \((?P<file>[^:]*)(?::\d+)?\)$")


def package(file: str) -> str:
    if "site-packages/" in file:
        return file.split("site-packages/")[1].split("/")[0]
    if "/work/" in file or file.startswith(("domain", "schema", "bench")):
        parts = file.split("/")
        for name in ("domain", "schema", "workers", "bench"):
            if name in parts:
                return name
    if "python3.11" in file:
        return "stdlib:" + file.split("python3.11/")[-1].split("/")[0]
    return file or "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--match", help="only stacks that contain this text")
    args = parser.parse_args()

    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    by_package: Counter[str] = Counter()
    total = 0
    for line in args.profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or (args.match and args.match not in stack):
            continue
        n = int(count)
        frames = stack.split(";")
        total += n
        names = []
        for frame in frames:
            m = FRAME.match(frame)
            fn, file = (m.group("fn"), m.group("file")) if m else (frame, "")
            names.append((f"{fn} ({file.split('site-packages/')[-1].replace('/work/main/', '')})", file))
        for name in dict.fromkeys(n for n, _ in names):
            inclusive[name] += n
        own[names[-1][0]] += n
        by_package[package(names[-1][1])] += n
    print(f"{total} samples")
    print("\nby package (innermost frame):")
    for name, n in by_package.most_common(15):
        print(f"  {100 * n / total:5.1f}%  {name}")
    print("\nself:")
    for name, n in own.most_common(args.top):
        print(f"  {100 * n / total:5.1f}%  {name}")
    print("\ninclusive:")
    for name, n in inclusive.most_common(args.top):
        print(f"  {100 * n / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
