#!/usr/bin/env python3
"""Turns the JMH JSON of the frame-crypto benchmarks and the output of the native otc_bench into
the results tables and target ratios of benchmarks/README.md (targets of issue 9).

usage: crypto_table.py OUT_DIR     (the folder run_issue9.sh wrote)
Every JMH cell is the median of its measurement iterations (rawData), not JMH's mean: the machine
is shared, and one disturbed iteration should not move a cell. otc_bench cells are the median of
the otc_bench runs made before, between and after the JMH runs (each the best of its rounds).
"""
import glob
import json
import os
import re
import statistics
import sys

SIZES = [100, 1200, 10240, 102400]
VARIANTS = [
    ("FrameCryptorBenchmark", "ByteArray", "Java API byte[]"),
    ("FrameCryptorBenchmark", "DirectBuffer", "Java API direct ByteBuffer"),
    ("JnaFrameCryptorBenchmark", "", "same C call via JNA"),
    ("JceAesGcmBenchmark", "", "bare SunJCE AES-256-GCM"),
    ("BouncyCastleAesGcmBenchmark", "", "bare Bouncy Castle AES-256-GCM"),
]


def load(path):
    scores = {}
    try:
        results = json.load(open(path))
    except (OSError, ValueError):  # absent, or a run still writing it
        return scores
    for r in results:
        cls, method = r["benchmark"].split(".")[-2:]
        op = "encrypt" if method.startswith("encrypt") else "decrypt"
        shape = method[len(op):]
        raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
        entry = {"median": statistics.median(raw), "min": min(raw), "max": max(raw), "threads": r["threads"]}
        for name, m in r.get("secondaryMetrics", {}).items():
            if name == "gc.alloc.rate.norm":
                entry["alloc"] = m["score"]
        scores[(cls, shape, op, int(r["params"]["size"]))] = entry
    return scores


def load_native(path):
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


def native_median(out, engine):
    runs = [load_native(p) for p in sorted(glob.glob(f"{out}/otc_bench-{engine}-*.txt"))]
    return {k: statistics.median(r[k] for r in runs if k in r) for k in runs[0]} if runs else {}


def fmt(v):
    return "-" if v is None else f"{v:,.0f}"


def med(data, v, op, size):
    e = data.get((v[0], v[1], op, size))
    return None if e is None else e["median"]


def main():
    out = sys.argv[1]
    j17, j25 = load(f"{out}/crypto-jdk17.json"), load(f"{out}/crypto-jdk25.json")
    j25o = load(f"{out}/crypto-jdk25-openssl.json")
    t2 = load(f"{out}/decrypt-t2-jdk25.json")
    gc = load(f"{out}/gc-jdk25.json")
    nat = {e: native_median(out, e) for e in ("ipsec", "openssl", "hot-ipsec", "hot-openssl")}

    for op in ("encrypt", "decrypt"):
        print(f"\n#### {op}, ns per frame, ipsec-mb engine: JDK 17 / JDK 25 (median of 5 x 1 s)\n")
        print("| | " + " | ".join(f"{s:,} B" for s in SIZES) + " |")
        print("|---|" + "---:|" * len(SIZES))
        print("| native only, hot (otc_bench 20000 30 0 1024) | " + " | ".join(fmt(nat["hot-ipsec"].get((op, s))) for s in SIZES) + " |")
        print("| native only, cold (otc_bench 100000) | " + " | ".join(fmt(nat["ipsec"].get((op, s))) for s in SIZES) + " |")
        for v in VARIANTS:
            print(f"| {v[2]} | " + " | ".join(f"{fmt(med(j17, v, op, s))} / {fmt(med(j25, v, op, s))}" for s in SIZES) + " |")
        if j25o:
            print(f"\n#### {op}, ns per frame, OTC_AES_ENGINE=openssl, JDK 25\n")
            print("| | " + " | ".join(f"{s:,} B" for s in SIZES) + " |")
            print("|---|" + "---:|" * len(SIZES))
            print("| native only, hot | " + " | ".join(fmt(nat["hot-openssl"].get((op, s))) for s in SIZES) + " |")
            print("| native only, cold | " + " | ".join(fmt(nat["openssl"].get((op, s))) for s in SIZES) + " |")
            for v in VARIANTS[:3]:
                print(f"| {v[2]} | " + " | ".join(fmt(med(j25o, v, op, s)) for s in SIZES) + " |")

    # Faster JDK for SunJCE: the one with the lower sum of medians.
    def jce_sum(d):
        return sum(med(d, VARIANTS[3], op, s) or 1e18 for op in ("encrypt", "decrypt") for s in SIZES)
    fast_name, fast = ("25", j25) if jce_sum(j25) <= jce_sum(j17) else ("17", j17)
    print(f"\n#### targets (ipsec-mb engine; SunJCE and Bouncy Castle ratios on JDK {fast_name}, the faster for SunJCE)\n")
    print("| target | op | Java API | value | met |")
    print("|---|---|---|---:|---|")
    goals_jce = {100: 2.5, 1200: 1.5, 10240: 1.0, 102400: 1.0}
    goals_bc = {100: 10, 10240: 50, 102400: 50}
    for op in ("encrypt", "decrypt"):
        for v in VARIANTS[:2]:
            for s, g in goals_jce.items():
                a, c = med(fast, v, op, s), med(fast, VARIANTS[3], op, s)
                if a and c:
                    print(f"| vs SunJCE >= {g}x at {s:,} B | {op} | {v[2]} | {c / a:.2f}x | {'yes' if c / a >= g else 'no'} |")
            for s, g in goals_bc.items():
                a, d = med(fast, v, op, s), med(fast, VARIANTS[4], op, s)
                if a and d:
                    print(f"| vs Bouncy Castle >= {g}x at {s:,} B | {op} | {v[2]} | {d / a:.1f}x | {'yes' if d / a >= g else 'no'} |")
            for name, d in (("17", j17), ("25", j25)):
                a, n = med(d, v, op, 100), nat["hot-ipsec"].get((op, 100))
                if a and n:
                    print(f"| <= +30 ns over native (hot) at 100 B, JDK {name} | {op} | {v[2]} | {a - n:+.0f} ns | {'yes' if a - n <= 30 else 'no'} |")
    if t2:
        print("\n#### 2 threads decrypting, JDK 25 (frames/s = threads / time per frame)\n")
        print("| | " + " | ".join(f"{s:,} B" for s in SIZES) + " |")
        print("|---|" + "---:|" * len(SIZES))
        for v in VARIANTS[:2]:
            cells = []
            for s in SIZES:
                one, two = med(j25, v, "decrypt", s), med(t2, v, "decrypt", s)
                if one and two:
                    cells.append(f"{1e9 / one / 1e6:.2f} M -> {2e9 / two / 1e6:.2f} M ({one / two * 2:.2f}x)")
                else:
                    cells.append("-")
            print(f"| {v[2]} | " + " | ".join(cells) + " |")
    if gc:
        print("\n#### allocation per frame, JDK 25 (-prof gc, gc.alloc.rate.norm)\n")
        print("| | " + " | ".join(f"{op} {s:,} B" for op in ("encrypt", "decrypt") for s in (100, 102400)) + " |")
        print("|---|" + "---:|" * 4)
        for v in VARIANTS[:2]:
            cells = []
            for op in ("encrypt", "decrypt"):
                for s in (100, 102400):
                    e = gc.get((v[0], v[1], op, s))
                    cells.append("-" if e is None or "alloc" not in e else f"{e['alloc']:.3f} B/op")
            print(f"| {v[2]} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
