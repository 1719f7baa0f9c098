#!/bin/bash
# The measurement session of issue 9 (lean frame call, ipsec-mb engine), in one go (~23 min):
# otc_bench around every JMH run (both engines), the full crypto table on JDK 17 and Temurin 25,
# the native-backed benchmarks again with OTC_AES_ENGINE=openssl, a 2-thread decrypt run and a
# -prof gc run. Load averages are logged between the steps (load.txt).
# Build first: mvn -B -q -DskipTests -Dotc.sanitize.skip=true package -pl native,benchmarks -am
# Usage: benchmarks/scripts/run_issue9.sh output-dir   (from the repository root)
set -euo pipefail
out=$1
mkdir -p "$out"
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
otc_bench=native/target/cmake-release/otc_bench
jar=benchmarks/target/benchmarks.jar
jmh=(-f 1 -wi 3 -w 1s -i 5 -r 1s -rf json)
all='dev\.otc\.e2ee\.benchmarks\.[A-Za-z]+Benchmark\.'
nat='dev\.otc\.e2ee\.benchmarks\.(FrameCryptor|JnaFrameCryptor)Benchmark\.'
j25=("$jdk25" --enable-native-access=ALL-UNNAMED -jar "$jar")
j25args=(-jvmArgsAppend --enable-native-access=ALL-UNNAMED)
step=0
native() {
  step=$((step + 1))
  "$otc_bench" 100000 > "$out/otc_bench-ipsec-$step.txt"
  OTC_AES_ENGINE=openssl "$otc_bench" 100000 > "$out/otc_bench-openssl-$step.txt"
}
load() { echo "$(date -u +%H:%M:%S) $1 $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"; }

load start; native
load jdk17; "$jdk17" -jar "$jar" "$all" "${jmh[@]}" -rff "$out/crypto-jdk17.json" > "$out/jdk17.txt"
native
load jdk25; "${j25[@]}" "$all" "${jmh[@]}" "${j25args[@]}" -rff "$out/crypto-jdk25.json" > "$out/jdk25.txt"
native
load jdk25-openssl
OTC_AES_ENGINE=openssl "${j25[@]}" "$nat" "${jmh[@]}" "${j25args[@]}" -rff "$out/crypto-jdk25-openssl.json" > "$out/jdk25-openssl.txt"
native
load jdk25-t2
"${j25[@]}" 'FrameCryptorBenchmark\.decrypt' "${jmh[@]}" -t 2 "${j25args[@]}" -rff "$out/decrypt-t2-jdk25.json" > "$out/decrypt-t2-jdk25.txt"
load jdk25-gc
"${j25[@]}" 'FrameCryptorBenchmark\.' -p size=100,102400 -f 1 -wi 2 -w 1s -i 3 -r 1s -rf json -prof gc "${j25args[@]}" \
  -rff "$out/gc-jdk25.json" > "$out/gc-jdk25.txt"
native
load end
