package dev.otc.e2ee.internal;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Per-thread scratch of the frame calls, found with one thread-local look-up per frame: the native
 * addresses of the direct buffers last passed in each role, the direct buffers through which
 * {@code byte[]} frames reach native code, and the out-length cell of the JNI array path.
 *
 * <p>Why addresses are cached: the frame call passes raw addresses to native code
 * ({@code otc_frame_cryptor_encrypt_raw}), and asking JNI for a direct buffer's address costs a
 * native call of its own (~20 ns, measured with JMH). Applications pass the same buffers frame
 * after frame, so each role (metadata, input, output) remembers its last buffer and address; a
 * buffer is compared by identity and is strongly held, so a remembered address can never belong
 * to freed memory. The thread keeps those three buffers reachable until its next frame call with
 * other buffers.
 *
 * <p>Why {@code byte[]} frames are staged: the generated JNI code hands a Java array to C by pinning or copying the whole array on
 * every call, for each of the three arrays of a frame call; measured with JMH at 100-byte frames
 * that cost ~600 ns, twice the crypto itself. Copying the bytes into a direct buffer that C reads
 * in place costs a {@code memcpy}. Frames larger than {@link #MAX_STAGED} bytes take the JNI array
 * path, where the copy dominates either way and a per-thread buffer would only hold memory.
 *
 * <p>Each thread keeps at most three staging buffers of at most {@link #MAX_STAGED} bytes. They
 * hold the last frame's bytes (as JNI's own copies would) until the thread's next call overwrites
 * them; no key material ever passes through them.
 */
public final class FrameCallScratch {
  /** Largest metadata, input or output region staged (1 MiB). */
  public static final int MAX_STAGED = 1 << 20;

  public static final int METADATA = 0;
  public static final int INPUT = 1;
  public static final int OUTPUT = 2;

  private static final ThreadLocal<FrameCallScratch> LOCAL = ThreadLocal.withInitial(FrameCallScratch::new);

  private SizeTPointer outLength;
  private final ByteBuffer[] staged = new ByteBuffer[3];
  private final long[] stagedAddress = new long[3];
  private final ByteBuffer[] seen = new ByteBuffer[3];
  private final long[] seenAddress = new long[3];

  private FrameCallScratch() {}

  /** Whether a call with these region sizes is staged. */
  public static boolean fits(int metadataLength, int inputLength, int outputLength) {
    return metadataLength <= MAX_STAGED && inputLength <= MAX_STAGED && outputLength <= MAX_STAGED;
  }

  public static FrameCallScratch get() {
    return LOCAL.get();
  }

  /** The native size_t cell that receives the output length on the JNI array path. */
  public SizeTPointer outLength() {
    if (outLength == null) {
      outLength = new SizeTPointer(1);
    }
    return outLength;
  }

  /**
   * The native address of direct buffer {@code b}'s first byte (not of its position), remembered
   * for {@code role}. The caller keeps {@code b} reachable until its native call returns.
   */
  public long address(int role, ByteBuffer b) {
    if (seen[role] != b) {
      seenAddress[role] = DirectAddress.of(b);
      seen[role] = b;
    }
    return seenAddress[role];
  }

  /** Native address of this thread's staging buffer for {@code role} after {@link #stage} or {@link #staging}. */
  public long stagedAddress(int role) {
    return stagedAddress[role];
  }

  /** {@code src[off, off+len)} copied to the start of this thread's staging buffer for {@code role}. */
  public void stage(int role, byte[] src, int off, int len) {
    staging(role, len).put(0, src, off, len);
  }

  /** This thread's staging buffer for {@code role}, at least {@code capacity} bytes (position and limit unused). */
  public ByteBuffer staging(int role, int capacity) {
    ByteBuffer b = staged[role];
    if (b == null || b.capacity() < capacity) {
      int size = Math.min(MAX_STAGED, Math.max(2048, Integer.highestOneBit(Math.max(capacity - 1, 1)) << 1));
      b = ByteBuffer.allocateDirect(Math.max(size, capacity));
      staged[role] = b;
      stagedAddress[role] = DirectAddress.of(b);
    }
    return b;
  }
}
