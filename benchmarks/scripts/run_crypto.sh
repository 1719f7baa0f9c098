#!/bin/bash
# Runs the frame-crypto JMH benchmarks on JDK 17 and on Temurin 25, with the native-only otc_bench
# before, between and after them (the table takes its median), and prints the README tables.
# Build first: mvn -B -q -DskipTests -Dotc.sanitize.skip=true package -pl native,benchmarks -am
# Usage: benchmarks/scripts/run_crypto.sh [output-dir]   (from the repository root)
# JMH refuses to start while another JMH run holds /tmp/jmh.lock: run alone, on a quiet machine.
set -euo pipefail
out=${1:-benchmarks/target/crypto-results}
mkdir -p "$out"
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
otc_bench=native/target/cmake-release/otc_bench
# Short enough for a shared 2-core machine; one fork per benchmark, so every run starts cold.
jmh_args=(-f 1 -wi 3 -w 1s -i 5 -r 1s -rf json)
pattern='dev\.otc\.e2ee\.benchmarks\.[A-Za-z]+Benchmark\.'

"$otc_bench" 100000 > "$out/otc_bench-ipsec-1.txt"
"$jdk17" -jar benchmarks/target/benchmarks.jar "$pattern" "${jmh_args[@]}" -rff "$out/crypto-jdk17.json" | tee "$out/jdk17.txt"
"$otc_bench" 100000 > "$out/otc_bench-ipsec-2.txt"
"$jdk25" --enable-native-access=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar "$pattern" "${jmh_args[@]}" \
  -jvmArgsAppend --enable-native-access=ALL-UNNAMED -rff "$out/crypto-jdk25.json" | tee "$out/jdk25.txt"
"$otc_bench" 100000 > "$out/otc_bench-ipsec-3.txt"
python3 benchmarks/scripts/crypto_table.py "$out"
