package dev.otc.e2ee.internal;

import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;

/**
 * Native copies of secret bytes. JNI's array pinning copies a {@code byte[]} into memory that is
 * freed without being cleared, so secrets and keys travel in a {@link BytePointer} instead: the
 * caller copies in, calls, and {@link #wipe(BytePointer)} clears and frees it.
 */
public final class SecretBytes {
  private SecretBytes() {}

  /** A native copy of {@code bytes} (capacity at least 1, so a zero-length secret is a valid pointer). */
  public static BytePointer copyOf(byte[] bytes) {
    BytePointer p = new BytePointer(Math.max(1, bytes.length));
    p.put(bytes, 0, bytes.length);
    return p;
  }

  /** A native copy of {@code bytes} followed by a NUL terminator, for {@code const char*} parameters. */
  public static BytePointer copyOfNulTerminated(byte[] bytes) {
    BytePointer p = new BytePointer(bytes.length + 1L);
    p.put(bytes, 0, bytes.length);
    p.put(bytes.length, (byte) 0);
    return p;
  }

  /** Native output buffer of {@code size} bytes, zero-initialised. */
  public static BytePointer allocate(int size) {
    BytePointer p = new BytePointer(Math.max(1, size));
    p.zero();
    return p;
  }

  /** Copies the first {@code length} bytes out into a new Java array. */
  public static byte[] toArray(BytePointer p, int length) {
    byte[] out = new byte[length];
    p.get(out, 0, length);
    return out;
  }

  /** Clears the native memory and frees it; null is a no-op. */
  public static void wipe(BytePointer p) {
    if (p != null && !p.isNull()) {
      p.zero();
      p.close();
    }
  }

  /** Clears a Java array; null is a no-op. */
  public static void wipe(byte[] a) {
    if (a != null) {
      Arrays.fill(a, (byte) 0);
    }
  }

  /** Clears a Java array; null is a no-op. */
  public static void wipe(char[] a) {
    if (a != null) {
      Arrays.fill(a, '\0');
    }
  }
}
