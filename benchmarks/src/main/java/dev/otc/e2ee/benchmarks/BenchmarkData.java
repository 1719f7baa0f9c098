package dev.otc.e2ee.benchmarks;

import java.util.SplittableRandom;

/** Inputs shared by the frame-crypto benchmarks, so that every variant encrypts the same bytes. */
final class BenchmarkData {
    static final String SESSION_ID = "2_MX4xMjM0NTY3OH5-YmVuY2htYXJrfmZyYW1lLWNyeXB0bw";
    /** A benchmark-only secret: it protects nothing. */
    static final String SECRET = "benchmark secret, not a real one";
    /**
     * Clear metadata authenticated with every frame: 16 bytes, as native/bench/otc_bench passes, so
     * that the JMH numbers and the native-only ceiling measure the same work.
     */
    static final int METADATA_SIZE = 16;
    /** AAD of the bare AES-GCM baselines: what FrameCryptor authenticates, an ~11-byte SFrame header + metadata. */
    static final int BASELINE_AAD_SIZE = 11 + METADATA_SIZE;
    /** Upper bound of a pre-encrypted ring, in bytes, to keep the heap and the native memory modest. */
    private static final int RING_BYTES = 32 << 20;

    private BenchmarkData() {
    }

    static byte[] metadata() {
        byte[] m = new byte[METADATA_SIZE];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) (i + 1);
        }
        return m;
    }

    static byte[] plaintext(int size) {
        byte[] b = new byte[size];
        new SplittableRandom(size).nextBytes(b);
        return b;
    }

    /**
     * How many distinct frames a decrypt benchmark cycles through: many, so that caches do not
     * flatter the numbers, and never so many that the ring outgrows {@link #RING_BYTES}.
     */
    static int ringLength(int size) {
        return Math.max(64, Math.min(4096, RING_BYTES / Math.max(size, 1)));
    }
}
