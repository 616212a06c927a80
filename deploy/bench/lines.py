#!/usr/bin/env python3
"""Inclusive instructions per source line of the advisor, through inlined frames.

callgrind_annotate names each instruction by its innermost inlined frame, so
in a release build the cost of one line of `read` or `judge` is scattered over
`Vec::from_iter`, `str::contains` and the like. This charges every
instruction (and every call's inclusive cost, at its call site) to each line of
the project on its inline stack, as `addr2line -i` gives it.

    valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file=cg.out \
      --toggle-collect='testscope::advisor::advise' \
      target/release/testscope advise --format json - < typical.txt
    deploy/bench/lines.py cg.out target/release/testscope [HOW_MANY] [SRC_DIR]

SRC_DIR is where the build found the sources (default: ./src/, run from the
repository the binary was built in).

Prints `instructions file:line function`, most first. A line's figure is
inclusive: it holds the lines it inlines and the calls it makes.
"""
import collections
import os
import re
import subprocess
import sys


def position(token, last):
    if token.startswith("0x"):
        return int(token, 16)
    if token == "*":
        return last
    if token[0] in "+-":
        return last + int(token)
    return int(token)


def costs_by_address(path, binary):
    objects, current, costs = {}, None, collections.Counter()
    last_addr = last_line = 0
    for line in open(path):
        line = line.rstrip("\n")
        m = re.match(r"^(ob|cob)=\((\d+)\)(?: (.*))?$", line)
        if m:
            kind, ident, name = m.groups()
            if name:
                objects[ident] = name
            if kind == "ob":
                current = objects[ident]
            continue
        if not line or not line[0] in "0123456789+-*":
            continue
        parts = line.split()
        last_addr = position(parts[0], last_addr)
        last_line = position(parts[1], last_line)
        if current and current.endswith(binary.rsplit("/", 1)[-1]):
            costs[last_addr] += int(parts[2])
    return costs


def main():
    path, binary = sys.argv[1], sys.argv[2]
    how_many = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    src = sys.argv[4] if len(sys.argv) > 4 else os.getcwd() + "/src/"
    costs = costs_by_address(path, binary)
    addrs = sorted(costs)
    out = subprocess.run(
        ["addr2line", "-i", "-f", "-C", "-a", "-e", binary] + [hex(a) for a in addrs],
        capture_output=True, text=True, check=True,
    ).stdout
    by_line = collections.Counter()
    for block in out.split("\n0x"):
        lines = block.strip().split("\n")
        addr = int(lines[0].removeprefix("0x"), 16)
        seen = set()
        for fn, loc in zip(lines[1::2], lines[2::2]):
            loc = re.sub(r" \(discriminator.*", "", loc)
            if src in loc and loc not in seen:
                seen.add(loc)
                by_line[f"{loc.split(src, 1)[1]}  {fn[:60]}"] += costs[addr]
    for key, n in by_line.most_common(how_many):
        print(n, key)


if __name__ == "__main__":
    main()
