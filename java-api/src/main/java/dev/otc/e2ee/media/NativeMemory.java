package dev.otc.e2ee.media;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.Pointer;

/**
 * Direct-buffer addresses and direct-buffer views of native memory, through JavaCPP's protected
 * {@code Pointer} helpers (JNI's GetDirectBufferAddress / NewDirectByteBuffer). An instance is a
 * reusable cursor for {@link #view}: one per thread that makes views, never shared.
 */
final class NativeMemory extends Pointer {
  /** The native address of a direct buffer's first byte (whatever its position); 0 if not direct. */
  static long addressOf(Buffer buffer) {
    return getDirectBufferAddress(buffer);
  }

  /** A new direct buffer over {@code length} bytes at {@code address}; the memory is not owned. */
  ByteBuffer view(long address, long length) {
    this.address = address;
    this.position = 0;
    this.limit = length;
    this.capacity = length;
    try {
      return asByteBuffer();
    } finally {
      this.address = 0;
    }
  }

  /** Element size 1 (a byte cursor): Pointer's default would look this class up in the native library. */
  @Override
  public int sizeof() {
    return 1;
  }
}
