package dev.otc.e2ee.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the bare AES-256-GCM baselines (c) and (d) share, so that they measure the same thing: a
 * fresh nonce per frame, a header-sized AAD, output into a caller-owned array; no SFrame header, no
 * key lookup, no replay check. Decrypt cycles through a ring of frames sealed under distinct
 * nonces, like the FrameCryptor benchmark. A subclass only prepares its cipher and seals/opens.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class BareAesGcmBenchmark {
    static final int TAG_BITS = 128;

    @Param({"100", "1200", "10240", "102400"})
    public int size;

    private GcmNonces nonces;
    private final byte[] nonce = new byte[12];
    /** The AAD of every frame. */
    protected byte[] aad;
    private byte[] plaintext;
    private byte[] out;

    private byte[][] ring;
    private byte[][] ringNonces;
    private int next;

    /** Prepares the cipher(s) for {@code key} (AES-256); {@link #aad} is set. */
    protected abstract void prepare(byte[] key) throws Exception;

    /** Seals {@code in[0, len)} under {@code nonce} and {@link #aad} into {@code out}; returns the bytes written. */
    protected abstract int seal(byte[] nonce, byte[] in, int len, byte[] out) throws Exception;

    /** Opens {@code in[0, len)} (ciphertext and tag) into {@code out}; returns the bytes written. */
    protected abstract int open(byte[] nonce, byte[] in, int len, byte[] out) throws Exception;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        byte[] keyBytes = new byte[32];
        random.nextBytes(keyBytes);
        byte[] salt = new byte[12];
        random.nextBytes(salt);
        nonces = new GcmNonces(salt);
        aad = new byte[BenchmarkData.BASELINE_AAD_SIZE];
        random.nextBytes(aad);
        plaintext = BenchmarkData.plaintext(size);
        out = new byte[size + TAG_BITS / 8];
        prepare(keyBytes);

        int n = BenchmarkData.ringLength(size);
        ring = new byte[n][];
        ringNonces = new byte[n][];
        for (int i = 0; i < n; i++) {
            ringNonces[i] = new byte[12];
            nonces.next(ringNonces[i]);
            ring[i] = new byte[size + TAG_BITS / 8];
            seal(ringNonces[i], plaintext, size, ring[i]);
        }
    }

    @Benchmark
    public int encrypt() throws Exception {
        nonces.next(nonce);
        return seal(nonce, plaintext, size, out);
    }

    @Benchmark
    public int decrypt() throws Exception {
        int i = next;
        next = i + 1 == ring.length ? 0 : i + 1;
        return open(ringNonces[i], ring[i], ring[i].length, out);
    }
}
