package dev.otc.e2ee.benchmarks;

import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
 * (c) Bare AES-256-GCM of the JDK's SunJCE provider, per frame: {@code Cipher.init} with a fresh
 * nonce, a header-sized AAD, {@code doFinal} into a caller-owned array. No SFrame header, no key
 * lookup, no replay check: a lower bound for what pure Java can do with the JDK alone. Decrypt
 * cycles through a ring of frames sealed under distinct nonces, like the FrameCryptor benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JceAesGcmBenchmark {
    private static final int TAG_BITS = 128;

    @Param({"100", "1200", "10240", "102400"})
    public int size;

    private Cipher cipher;
    private SecretKeySpec key;
    private GcmNonces nonces;
    private final byte[] nonce = new byte[12];
    private byte[] aad;
    private byte[] plaintext;
    private byte[] out;

    private byte[][] ring;
    private byte[][] ringNonces;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(7);
        byte[] keyBytes = new byte[32];
        random.nextBytes(keyBytes);
        key = new SecretKeySpec(keyBytes, "AES");
        byte[] salt = new byte[12];
        random.nextBytes(salt);
        nonces = new GcmNonces(salt);
        aad = new byte[BenchmarkData.BASELINE_AAD_SIZE];
        random.nextBytes(aad);
        plaintext = BenchmarkData.plaintext(size);
        out = new byte[size + TAG_BITS / 8];
        cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");

        int n = BenchmarkData.ringLength(size);
        ring = new byte[n][];
        ringNonces = new byte[n][];
        for (int i = 0; i < n; i++) {
            ringNonces[i] = new byte[12];
            nonces.next(ringNonces[i]);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ringNonces[i]));
            cipher.updateAAD(aad);
            ring[i] = cipher.doFinal(plaintext);
        }
    }

    @Benchmark
    public int encrypt() throws GeneralSecurityException {
        nonces.next(nonce);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(plaintext, 0, size, out, 0);
    }

    @Benchmark
    public int decrypt() throws GeneralSecurityException {
        int i = next;
        next = i + 1 == ring.length ? 0 : i + 1;
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ringNonces[i]));
        cipher.updateAAD(aad);
        return cipher.doFinal(ring[i], 0, ring[i].length, out, 0);
    }
}
