package dev.otc.e2ee.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a native handle alive while calls are in flight, so that {@code close()} racing with
 * other threads never frees memory that native code is still using.
 *
 * <p>Each call brackets its native work with {@link #acquire()} / {@link #release()} (two atomic
 * operations, no lock, so concurrent decrypts do not serialise on it). {@link #close()} marks the
 * guard closed at once (new calls get {@link IllegalStateException}) and the native handle is
 * freed by whichever thread is the last to leave: the closer if nothing is in flight, otherwise
 * the last releasing caller.
 */
public final class HandleGuard {
  private static final int CLOSED = Integer.MIN_VALUE;

  /** High bit: closed. Low bits: calls in flight. */
  private final AtomicInteger state = new AtomicInteger();
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

  /** @throws IllegalStateException if closed */
  public void acquire() {
    while (true) {
      int s = state.get();
      if ((s & CLOSED) != 0) {
        throw new IllegalStateException(what + " is closed");
      }
      if (state.compareAndSet(s, s + 1)) {
        return;
      }
    }
  }

  public void release() {
    if (state.decrementAndGet() == CLOSED) {
      free.run();
    }
  }

  public boolean isClosed() {
    return (state.get() & CLOSED) != 0;
  }

  /** Idempotent and thread-safe. */
  public void close() {
    while (true) {
      int s = state.get();
      if ((s & CLOSED) != 0) {
        return;
      }
      if (state.compareAndSet(s, s | CLOSED)) {
        if (s == 0) {
          free.run();
        }
        return;
      }
    }
  }
}
