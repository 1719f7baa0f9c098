package dev.otc.e2ee.internal.session;

import java.nio.charset.StandardCharsets;
import org.bytedeco.javacpp.BytePointer;

/**
 * C strings to and from Java. The C API speaks UTF-8 everywhere; JavaCPP's plain
 * {@code getString()} would use the JVM's default charset.
 */
public final class NativeText {
  private NativeText() {}

  /** The NUL-terminated UTF-8 text at {@code p}; "" for NULL. Valid pointers only (callback arguments). */
  public static String read(BytePointer p) {
    if (p == null || p.isNull()) {
      return "";
    }
    return p.getString(StandardCharsets.UTF_8);
  }

  /**
   * A native NUL-terminated strict UTF-8 copy of {@code s}; the caller closes it.
   *
   * @throws IllegalArgumentException if {@code s} holds an unpaired surrogate (never sent as '?')
   */
  public static BytePointer utf8(String s) {
    byte[] bytes = Text.utf8(s, "text");
    BytePointer p = new BytePointer(bytes.length + 1L);
    p.put(bytes, 0, bytes.length);
    p.put(bytes.length, (byte) 0);
    return p;
  }

  /**
   * Reads a string that native code wrote into {@code buffer} (NUL-terminated within its
   * capacity). JavaCPP's {@code getString()} would read up to the capacity, NULs included.
   */
  public static String readBuffer(BytePointer buffer) {
    byte[] bytes = new byte[(int) buffer.capacity()];
    buffer.position(0).get(bytes);
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
