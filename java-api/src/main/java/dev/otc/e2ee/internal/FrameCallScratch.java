package dev.otc.e2ee.internal;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Per-thread scratch of the frame calls: the native out-length cell every call needs (a native
 * allocation per frame would cost more than the crypto), and the direct buffers through which
 * {@code byte[]} frames reach native code, allocated on first use. One thread-local look-up per
 * frame serves both.
 *
 * <p>Why {@code byte[]} frames are staged: the generated JNI code hands a Java array to C by pinning or copying the whole array on
 * every call, for each of the three arrays of a frame call; measured with JMH at 100-byte frames
 * that cost ~600 ns, twice the crypto itself. Copying the bytes into a direct buffer that C reads
 * in place costs a {@code memcpy}. Frames larger than {@link #MAX_STAGED} bytes take the JNI array
 * path, where the copy dominates either way and a per-thread buffer would only hold memory.
 *
 * <p>Each thread keeps at most three buffers of at most {@link #MAX_STAGED} bytes. They hold the
 * last frame's bytes (as JNI's own copies would) until the thread's next call overwrites them;
 * no key material ever passes through them.
 */
public final class FrameCallScratch {
  /** Largest metadata, input or output region staged (1 MiB). */
  public static final int MAX_STAGED = 1 << 20;

  private static final ThreadLocal<FrameCallScratch> LOCAL = ThreadLocal.withInitial(FrameCallScratch::new);

  private final SizeTPointer outLength = new SizeTPointer(1);
  private ByteBuffer metadata;
  private ByteBuffer input;
  private ByteBuffer output;

  private FrameCallScratch() {}

  /** Whether a call with these region sizes is staged. */
  public static boolean fits(int metadataLength, int inputLength, int outputLength) {
    return metadataLength <= MAX_STAGED && inputLength <= MAX_STAGED && outputLength <= MAX_STAGED;
  }

  public static FrameCallScratch get() {
    return LOCAL.get();
  }

  /** The native size_t cell that receives a frame call's output length. */
  public SizeTPointer outLength() {
    return outLength;
  }

  /** {@code src} copied into this thread's metadata buffer, positioned at 0 with limit = length. */
  public ByteBuffer metadata(byte[] src) {
    metadata = ensure(metadata, src.length);
    metadata.clear();
    metadata.put(src).flip();
    return metadata;
  }

  /** {@code src[off, off+len)} copied into this thread's input buffer, positioned at 0 with limit = len. */
  public ByteBuffer input(byte[] src, int off, int len) {
    input = ensure(input, len);
    input.clear();
    input.put(src, off, len).flip();
    return input;
  }

  /** This thread's output buffer with exactly {@code capacity} bytes remaining. */
  public ByteBuffer output(int capacity) {
    output = ensure(output, capacity);
    output.clear().limit(capacity);
    return output;
  }

  private static ByteBuffer ensure(ByteBuffer buffer, int needed) {
    if (buffer != null && buffer.capacity() >= needed) {
      return buffer;
    }
    int size = Math.min(MAX_STAGED, Math.max(2048, Integer.highestOneBit(Math.max(needed - 1, 1)) << 1));
    return ByteBuffer.allocateDirect(Math.max(size, needed));
  }
}
