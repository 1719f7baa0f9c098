package dev.otc.e2ee.benchmarks;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * (b) otc_frame_cryptor_encrypt/decrypt, default suite, called through JNA direct mapping with
 * native memory for every buffer (no Java array is copied per call). Decrypt uses a ring of
 * pre-encrypted frames and a fresh receiver when it runs out, exactly as {@link FrameCryptorBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JnaFrameCryptorBenchmark {
    private static final int DEFAULT_SUITE = 0;

    @Param({"100", "1200", "10240", "102400"})
    public int size;

    private Pointer sender;
    private Pointer receiver;
    private Memory metadata;
    private Memory plaintext;
    private Memory out;
    private long outCapacity;
    private Memory outLen;

    private Memory ring;
    private Pointer[] frames;
    private long[] frameLengths;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        sender = OtcJna.otc_frame_cryptor_new(BenchmarkData.SESSION_ID, DEFAULT_SUITE);
        if (sender == null) {
            throw new IllegalStateException("otc_frame_cryptor_new failed");
        }
        byte[] secret = BenchmarkData.SECRET.getBytes(StandardCharsets.UTF_8);
        try {
            check(OtcJna.otc_frame_cryptor_set_encryption_secret(sender, secret, secret.length));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        metadata = new Memory(BenchmarkData.METADATA_SIZE);
        metadata.write(0, BenchmarkData.metadata(), 0, BenchmarkData.METADATA_SIZE);
        plaintext = new Memory(Math.max(size, 1));
        plaintext.write(0, BenchmarkData.plaintext(size), 0, size);
        outCapacity = size + OtcJna.otc_frame_cryptor_max_overhead(sender);
        out = new Memory(outCapacity);
        outLen = new Memory(Long.BYTES);

        int n = BenchmarkData.ringLength(size);
        ring = new Memory(n * outCapacity);
        frames = new Pointer[n];
        frameLengths = new long[n];
        for (int i = 0; i < n; i++) {
            // Views made once here, so that decrypt allocates no Pointer per call.
            frames[i] = ring.share(i * outCapacity, outCapacity);
            check(OtcJna.otc_frame_cryptor_encrypt(sender, metadata, BenchmarkData.METADATA_SIZE, plaintext, size,
                    frames[i], outCapacity, outLen));
            frameLengths[i] = outLen.getLong(0);
        }
        receiver = OtcJna.otc_frame_cryptor_new_sharing_keys(sender);
        next = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        OtcJna.otc_frame_cryptor_delete(receiver);
        OtcJna.otc_frame_cryptor_delete(sender);
    }

    private static void check(int status) {
        if (status != 0) {
            throw new IllegalStateException("otc status " + status);
        }
    }

    @Benchmark
    public long encrypt() {
        check(OtcJna.otc_frame_cryptor_encrypt(sender, metadata, BenchmarkData.METADATA_SIZE, plaintext, size,
                out, outCapacity, outLen));
        return outLen.getLong(0);
    }

    @Benchmark
    public long decrypt() {
        if (next == frames.length) {
            OtcJna.otc_frame_cryptor_delete(receiver);
            receiver = OtcJna.otc_frame_cryptor_new_sharing_keys(sender);
            next = 0;
        }
        int i = next++;
        check(OtcJna.otc_frame_cryptor_decrypt(receiver, metadata, BenchmarkData.METADATA_SIZE,
                frames[i], frameLengths[i], out, outCapacity, outLen));
        return outLen.getLong(0);
    }
}
