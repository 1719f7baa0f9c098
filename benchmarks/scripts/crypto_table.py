#!/usr/bin/env python3
"""Turns the JMH JSON of the frame-crypto benchmarks (one file per JDK) and the output of the
native otc_bench into the results table and target ratios of benchmarks/README.md.

usage: crypto_table.py JDK17.json JDK25.json OTC_BENCH.txt [OTC_BENCH.txt ...]
Several otc_bench outputs (e.g. before, between and after the JMH runs) give the median per cell.
otc_bench prints a header line naming its columns ("encrypt ns", "decrypt ns") and one line per size.
"""
import json
import statistics
import re
import sys

SIZES = [100, 1200, 10240, 102400]
VARIANTS = [
    ("FrameCryptorBenchmark", "ByteArray", "(a) FrameCryptor byte[]"),
    ("FrameCryptorBenchmark", "DirectBuffer", "(a) FrameCryptor direct ByteBuffer"),
    ("JnaFrameCryptorBenchmark", "", "(b) same C call via JNA"),
    ("JceAesGcmBenchmark", "", "(c) SunJCE AES-256-GCM"),
    ("BouncyCastleAesGcmBenchmark", "", "(d) Bouncy Castle AES-256-GCM"),
]


def load(path):
    scores = {}
    for r in json.load(open(path)):
        cls, method = r["benchmark"].split(".")[-2:]
        op = "encrypt" if method.startswith("encrypt") else "decrypt"
        shape = method[len(op):]
        scores[(cls, shape, op, int(r["params"]["size"]))] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"])
    return scores


def load_native(path):
    """Columns are found by the header line, split on runs of 2+ spaces ("encrypt ns", "decrypt ns")."""
    result = {}
    columns = None
    for line in open(path):
        if "encrypt ns" in line:
            columns = re.split(r"\s{2,}", line.strip())
            continue
        fields = line.split()
        if columns and len(fields) == len(columns) and fields[0].isdigit() and int(fields[0]) in SIZES:
            size = int(fields[0])
            result[("encrypt", size)] = float(fields[columns.index("encrypt ns")])
            result[("decrypt", size)] = float(fields[columns.index("decrypt ns")])
    return result


def fmt(value):
    return "-" if value is None else f"{value:,.0f}"


def main():
    jdk17, jdk25 = load(sys.argv[1]), load(sys.argv[2])
    runs = [load_native(path) for path in sys.argv[3:]]
    native = {key: statistics.median(run[key] for run in runs if key in run) for key in runs[0]}

    def score(data, variant, op, size):
        cls, shape, _ = variant
        entry = data.get((cls, shape, op, size))
        return None if entry is None else entry[0]

    for op in ("encrypt", "decrypt"):
        print(f"\n#### {op}, ns/frame (JDK 17 / JDK 25)\n")
        print("| variant | " + " | ".join(f"{s} B" for s in SIZES) + " |")
        print("|---|" + "---:|" * len(SIZES))
        print("| native only (otc_bench, C loop) | " + " | ".join(fmt(native.get((op, s))) for s in SIZES) + " |")
        for v in VARIANTS:
            cells = [f"{fmt(score(jdk17, v, op, s))} / {fmt(score(jdk25, v, op, s))}" for s in SIZES]
            print(f"| {v[2]} | " + " | ".join(cells) + " |")

    print("\n#### targets\n")
    print("| target | op | variant | JDK | value | met |")
    print("|---|---|---|---|---:|---|")
    for op in ("encrypt", "decrypt"):
        for v in VARIANTS[:2]:
            for jdk_name, data in (("17", jdk17), ("25", jdk25)):
                a100 = score(data, v, op, 100)
                n100 = native.get((op, 100))
                if a100 is not None and n100 is not None:
                    gap = a100 - n100
                    print(f"| (a) - native <= 60 ns at 100 B | {op} | {v[2]} | {jdk_name} | {gap:.0f} ns | {'yes' if gap <= 60 else 'NO'} |")
                for size in (100, 1200):
                    a, c = score(data, v, op, size), score(data, VARIANTS[3], op, size)
                    if a and c:
                        print(f"| (c)/(a) >= 1.2 at {size} B | {op} | {v[2]} | {jdk_name} | {c / a:.2f}x | {'yes' if c / a >= 1.2 else 'NO'} |")
                for size in SIZES:
                    a, d = score(data, v, op, size), score(data, VARIANTS[4], op, size)
                    if a and d:
                        print(f"| (d)/(a) >= 5 at {size} B | {op} | {v[2]} | {jdk_name} | {d / a:.1f}x | {'yes' if d / a >= 5 else 'NO'} |")


if __name__ == "__main__":
    main()
