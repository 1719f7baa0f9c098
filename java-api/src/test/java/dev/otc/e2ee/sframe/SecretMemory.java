package dev.otc.e2ee.sframe;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Native memory for key material crossing into the test-only C API: wiped and freed on close,
 * however the call ends. Never empty (JNA allocates no zero-length block): an empty input is one
 * byte passed with length 0, so the C side sees a non-NULL pointer as for any other input.
 */
final class SecretMemory implements AutoCloseable {
  private final Memory memory;

  private SecretMemory(int size) {
    memory = new Memory(Math.max(1, size));
    memory.clear();
  }

  static SecretMemory allocate(int size) {
    return new SecretMemory(size);
  }

  static SecretMemory copyOf(byte[] bytes) {
    SecretMemory m = new SecretMemory(bytes.length);
    m.memory.write(0, bytes, 0, bytes.length);
    return m;
  }

  Pointer pointer() {
    return memory;
  }

  byte[] toArray(long length) {
    return memory.getByteArray(0, (int) length);
  }

  @Override
  public void close() {
    memory.clear();
    memory.close();
  }
}
