package dev.otc.e2ee.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Keeps a native handle alive while calls are in flight, so that {@code close()} racing with
 * other threads never frees memory that native code is still using.
 *
 * <p>Each call brackets its native work with {@link #acquire()} / {@link #release()} on one
 * thread (try/finally). {@link #close()} marks the guard closed at once (new calls get
 * {@link IllegalStateException}) and the native handle is freed by whichever thread is the last to
 * leave: the closer if nothing is in flight, otherwise the last releasing caller.
 *
 * <p>Why striped: frame calls run at per-frame rates on several threads at once (decrypts are
 * concurrent). A single in-flight counter would be one cache line written by every call of every
 * thread; here each thread counts in its own padded stripe (chosen by thread id), so the atomic
 * increment and decrement of a call stay uncontended. The protocol is a Dekker pair under Java's
 * sequentially consistent volatile accesses: a caller increments its stripe, then reads
 * {@code closed}; the closer writes {@code closed}, then sums the stripes. Either the caller sees
 * the guard closed (and backs out), or the closer's sum sees the caller and leaves the free to the
 * caller's release. The free itself is claimed by one compare-and-set, so it runs exactly once.
 * The sum is only exact because a call increments and decrements the same stripe (same thread).
 */
public final class HandleGuard {
  /** Longs between two stripes: 128 bytes, two cache lines (adjacent-line prefetch). */
  private static final int PAD = 16;
  private static final int STRIPES = stripes();
  private static final VarHandle FREED;

  static {
    try {
      FREED = MethodHandles.lookup().findVarHandle(HandleGuard.class, "freed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Calls in flight, per stripe; only the sum means anything. */
  private final AtomicLongArray inFlight = new AtomicLongArray(STRIPES * PAD);
  private volatile boolean closed;
  @SuppressWarnings("unused") // accessed through FREED
  private volatile boolean freed;
  private final Runnable free;
  private final String what;

  /**
   * @param what name used in exception messages ("FrameCryptor")
   * @param free frees the native handle; runs exactly once
   */
  public HandleGuard(String what, Runnable free) {
    this.what = what;
    this.free = free;
  }

  private static int stripes() {
    int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) << 1;
    return Math.min(64, Math.max(2, n));
  }

  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same number
  private static int stripe() {
    return ((int) Thread.currentThread().getId() & (STRIPES - 1)) * PAD;
  }

  /** @throws IllegalStateException if closed */
  public void acquire() {
    int i = stripe();
    inFlight.getAndIncrement(i);
    if (closed) {
      inFlight.getAndDecrement(i);
      tryFree();
      throw new IllegalStateException(what + " is closed");
    }
  }

  /** On the thread that called {@link #acquire()}. */
  public void release() {
    inFlight.getAndDecrement(stripe());
    if (closed) {
      tryFree();
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /** Idempotent and thread-safe. */
  public void close() {
    closed = true;
    tryFree();
  }

  private void tryFree() {
    long sum = 0;
    for (int i = 0; i < STRIPES * PAD; i += PAD) {
      sum += inFlight.get(i);
    }
    if (sum == 0 && FREED.compareAndSet(this, false, true)) {
      free.run();
    }
  }
}
