package dev.otc.e2ee.internal;

import java.nio.Buffer;
import org.bytedeco.javacpp.Pointer;

/**
 * The native address of a direct buffer (its first byte, whatever its position), through JavaCPP's
 * {@code Pointer.getDirectBufferAddress}: JNI's {@code GetDirectBufferAddress}, no object made.
 * That method is protected, hence this subclass, which is never instantiated.
 */
final class DirectAddress extends Pointer {
  private DirectAddress() {}

  /** 0 for a buffer that is not direct. */
  static long of(Buffer buffer) {
    return getDirectBufferAddress(buffer);
  }
}
