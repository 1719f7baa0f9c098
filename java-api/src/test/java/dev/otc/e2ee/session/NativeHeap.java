package dev.otc.e2ee.session;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

/**
 * Bytes the C allocator has handed out and not yet got back ({@code mallinfo2().uordblks},
 * glibc 2.33+), read through JNA. Unlike RSS it does not move when the JVM touches more of its
 * reserved heap, code cache or metaspace, so it shows leaks of the native SDK (and of OpenSSL,
 * which allocates through the same malloc) with far less noise.
 */
final class NativeHeap {
  private NativeHeap() {}

  /** {@code struct mallinfo2}: ten size_t fields. */
  @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
      "fordblks", "keepcost"})
  public static final class MallInfo2 extends Structure implements Structure.ByValue {
    public long arena;
    public long ordblks;
    public long smblks;
    public long hblks;
    public long hblkhd;
    public long usmblks;
    public long fsmblks;
    public long uordblks;
    public long fordblks;
    public long keepcost;
  }

  interface LibC extends Library {
    MallInfo2 mallinfo2();
  }

  private static final LibC C = Native.load("c", LibC.class);

  /** Bytes in use: small-block allocations plus mmap'ed large blocks. */
  static long inUse() {
    MallInfo2 m = C.mallinfo2();
    return m.uordblks + m.hblkhd;
  }
}
