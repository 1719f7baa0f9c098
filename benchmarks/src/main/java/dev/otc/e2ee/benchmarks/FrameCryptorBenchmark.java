package dev.otc.e2ee.benchmarks;

import dev.otc.e2ee.CipherSuite;
import dev.otc.e2ee.FrameCryptor;
import java.nio.ByteBuffer;
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
 * (a) The Java API's FrameCryptor, default suite, per frame: the byte[] API with caller-owned
 * arrays (no allocation per call) and the direct ByteBuffer API.
 *
 * <p>Decrypting honestly needs frames the receiver has not seen: replay protection refuses a frame
 * twice. The sender pre-encrypts a ring of distinct frames (counters 0..n-1) during setup; the
 * receiver decrypts them in order, and when the ring is used up it is replaced by a fresh receiver
 * ({@code shareKeys()}: no KDF, but it must learn the KID again on its first frame). That switch is
 * inside the measurement, amortised over the ring (at least 64 frames, 4096 for small frames), as a
 * real receiver pays it once per new sender. The direct-buffer decrypt reads the ring from one
 * direct buffer whose position and limit move frame by frame, as a receiver reading from a
 * receive arena does; a new buffer object per frame would add the per-thread address look-up
 * of {@code FrameCryptor} (~20 ns). JMH runs each benchmark method in a trial of its own,
 * so the byte[] and the direct-buffer decrypt never share a receiver.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameCryptorBenchmark {
    @Param({"100", "1200", "10240", "102400"})
    public int size;

    private FrameCryptor sender;
    private FrameCryptor receiver;
    private byte[] plaintext;
    private byte[] out;
    private final byte[] metadata = BenchmarkData.metadata();

    private ByteBuffer directPlaintext;
    private ByteBuffer directOut;
    private final ByteBuffer directMetadata =
            ByteBuffer.allocateDirect(BenchmarkData.METADATA_SIZE).put(BenchmarkData.metadata()).flip();

    private byte[][] ring;
    /** The ring's frames back to back in one direct buffer, read through one view whose position and limit move. */
    private ByteBuffer directFrames;
    private int[] frameOffsets;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        sender = FrameCryptor.builder().sessionId(BenchmarkData.SESSION_ID).cipherSuite(CipherSuite.DEFAULT).build();
        sender.setEncryptionSecret(BenchmarkData.SECRET);
        plaintext = BenchmarkData.plaintext(size);
        out = new byte[size + sender.maxOverhead()];
        directPlaintext = ByteBuffer.allocateDirect(size).put(plaintext).flip();
        directOut = ByteBuffer.allocateDirect(size + sender.maxOverhead());

        int n = BenchmarkData.ringLength(size);
        ring = new byte[n][];
        frameOffsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            ring[i] = sender.encrypt(metadata, plaintext);
            frameOffsets[i + 1] = frameOffsets[i] + ring[i].length;
        }
        ByteBuffer arena = ByteBuffer.allocateDirect(frameOffsets[n]);
        for (byte[] frame : ring) {
            arena.put(frame);
        }
        directFrames = arena.clear();
        receiver = sender.shareKeys();
        next = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        receiver.close();
        sender.close();
    }

    private int nextFrameIndex() {
        if (next == ring.length) {
            receiver.close();
            receiver = sender.shareKeys();
            next = 0;
        }
        return next++;
    }

    @Benchmark
    public int encryptByteArray() {
        return sender.encrypt(metadata, plaintext, 0, size, out, 0);
    }

    @Benchmark
    public int encryptDirectBuffer() {
        directMetadata.rewind();
        directPlaintext.rewind();
        directOut.clear();
        return sender.encrypt(directMetadata, directPlaintext, directOut);
    }

    @Benchmark
    public int decryptByteArray() {
        byte[] frame = ring[nextFrameIndex()];
        return receiver.decrypt(metadata, frame, 0, frame.length, out, 0);
    }

    @Benchmark
    public int decryptDirectBuffer() {
        int i = nextFrameIndex();
        ByteBuffer frame = directFrames;
        frame.clear().limit(frameOffsets[i + 1]).position(frameOffsets[i]);
        directMetadata.rewind();
        directOut.clear();
        return receiver.decrypt(directMetadata, frame, directOut);
    }
}
