package dev.otc.e2ee.internal;

import java.nio.ByteBuffer;

/**
 * Per-thread direct buffers through which {@code byte[]} frames reach native code.
 *
 * <p>Why: the generated JNI code hands a Java array to C by pinning or copying the whole array on
 * every call, for each of the three arrays of a frame call; measured with JMH at 100-byte frames
 * that cost ~600 ns, twice the crypto itself. Copying the bytes into a direct buffer that C reads
 * in place costs a {@code memcpy}. Frames larger than {@link #MAX_STAGED} bytes take the JNI array
 * path, where the copy dominates either way and a per-thread buffer would only hold memory.
 *
 * <p>Each thread keeps at most three buffers of at most {@link #MAX_STAGED} bytes. They hold the
 * last frame's bytes (as JNI's own copies would) until the thread's next call overwrites them;
 * no key material ever passes through them.
 */
public final class ArrayStaging {
  /** Largest metadata, input or output region staged (1 MiB). */
  public static final int MAX_STAGED = 1 << 20;

  private static final ThreadLocal<ArrayStaging> LOCAL = ThreadLocal.withInitial(ArrayStaging::new);

  private ByteBuffer metadata = ByteBuffer.allocateDirect(64);
  private ByteBuffer input = ByteBuffer.allocateDirect(2048);
  private ByteBuffer output = ByteBuffer.allocateDirect(2048);

  private ArrayStaging() {}

  /** Whether a call with these region sizes is staged. */
  public static boolean fits(int metadataLength, int inputLength, int outputLength) {
    return metadataLength <= MAX_STAGED && inputLength <= MAX_STAGED && outputLength <= MAX_STAGED;
  }

  public static ArrayStaging get() {
    return LOCAL.get();
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
    if (buffer.capacity() >= needed) {
      return buffer;
    }
    int size = Math.min(MAX_STAGED, Integer.highestOneBit(Math.max(needed - 1, 1)) << 1);
    return ByteBuffer.allocateDirect(Math.max(size, needed));
  }
}
