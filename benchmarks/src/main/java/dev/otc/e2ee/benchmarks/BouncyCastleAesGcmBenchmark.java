package dev.otc.e2ee.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
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
 * (d) Bare AES-256-GCM of Bouncy Castle's low-level API (pure Java AES engine, default GCM
 * multiplier), per frame with a fresh nonce. The key schedule and the GHASH tables are prepared once
 * (AEADParameters with a null key reuses them), the fair counterpart of the native core's prepared
 * cipher context. Decrypt cycles through a ring of frames sealed under distinct nonces.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BouncyCastleAesGcmBenchmark {
    private static final int TAG_BITS = 128;

    @Param({"100", "1200", "10240", "102400"})
    public int size;

    private GCMModeCipher encryptor;
    private GCMModeCipher decryptor;
    private GcmNonces nonces;
    private final byte[] nonce = new byte[12];
    private byte[] aad;
    private byte[] plaintext;
    private byte[] out;

    private byte[][] ring;
    private byte[][] ringNonces;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws InvalidCipherTextException {
        SplittableRandom random = new SplittableRandom(7);
        byte[] keyBytes = new byte[32];
        random.nextBytes(keyBytes);
        KeyParameter key = new KeyParameter(keyBytes);
        byte[] salt = new byte[12];
        random.nextBytes(salt);
        nonces = new GcmNonces(salt);
        aad = new byte[BenchmarkData.BASELINE_AAD_SIZE];
        random.nextBytes(aad);
        plaintext = BenchmarkData.plaintext(size);
        out = new byte[size + TAG_BITS / 8];

        encryptor = GCMBlockCipher.newInstance(AESEngine.newInstance());
        decryptor = GCMBlockCipher.newInstance(AESEngine.newInstance());
        int n = BenchmarkData.ringLength(size);
        ring = new byte[n][];
        ringNonces = new byte[n][];
        for (int i = 0; i < n; i++) {
            ringNonces[i] = new byte[12];
            nonces.next(ringNonces[i]);
            encryptor.init(true, new AEADParameters(i == 0 ? key : null, TAG_BITS, ringNonces[i], aad));
            ring[i] = new byte[encryptor.getOutputSize(size)];
            int len = encryptor.processBytes(plaintext, 0, size, ring[i], 0);
            encryptor.doFinal(ring[i], len);
        }
        decryptor.init(false, new AEADParameters(key, TAG_BITS, ringNonces[0], aad));
    }

    @Benchmark
    public int encrypt() throws InvalidCipherTextException {
        nonces.next(nonce);
        encryptor.init(true, new AEADParameters(null, TAG_BITS, nonce, aad));
        int len = encryptor.processBytes(plaintext, 0, size, out, 0);
        return len + encryptor.doFinal(out, len);
    }

    @Benchmark
    public int decrypt() throws InvalidCipherTextException {
        int i = next;
        next = i + 1 == ring.length ? 0 : i + 1;
        decryptor.init(false, new AEADParameters(null, TAG_BITS, ringNonces[i], aad));
        byte[] frame = ring[i];
        int len = decryptor.processBytes(frame, 0, frame.length, out, 0);
        return len + decryptor.doFinal(out, len);
    }
}
