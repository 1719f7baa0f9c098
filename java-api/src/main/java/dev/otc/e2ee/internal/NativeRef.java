package dev.otc.e2ee.internal;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.function.Supplier;

/**
 * The one way a Java object owns a native handle (sessions, publishers, subscribers, streams,
 * frame cryptors, SFrame contexts): a {@link HandleGuard} so that {@code close()} racing with calls
 * never frees memory native code is using, plus one process-wide {@link Cleaner} so that an owner
 * that becomes unreachable without being closed still has its native side freed.
 *
 * <p>Rules for owners: the {@code free} action must not reference the owner (or the owner could
 * never become unreachable), so it captures only handles and ids; every native call is bracketed
 * by {@link #acquire()} and {@link #release(Object)} with the owner passed to release, which keeps
 * the owner reachable (and so the cleaner idle) until the call has left native code; {@link
 * #close()} is the owner's {@code close()} and runs the free at most once, whichever of close and
 * the cleaner comes first.
 */
public final class NativeRef {
  private static final Cleaner CLEANER = Cleaner.create(r -> {
    Thread t = new Thread(r, "otc-native-cleaner");
    t.setDaemon(true);
    return t;
  });

  private final HandleGuard guard;
  private final Cleaner.Cleanable cleanable;

  /**
   * @param owner the object whose unreachability frees the handle
   * @param what name used in exception messages ("Session")
   * @param free frees the native side; runs exactly once; must not reference {@code owner}
   */
  public NativeRef(Object owner, String what, Runnable free) {
    this.guard = new HandleGuard(what, free);
    this.cleanable = CLEANER.register(owner, guard::close);
  }

  /** Before a native call. @throws IllegalStateException if closed */
  public void acquire() {
    guard.acquire();
  }

  /** After the native call, in a finally block, on the thread that acquired; {@code owner} is the owner. */
  public void release(Object owner) {
    guard.release();
    Reference.reachabilityFence(owner);
  }

  /**
   * {@code call} between {@link #acquire()} and {@link #release(Object)}: the form for control
   * calls. Per-frame paths bracket by hand instead, to allocate no lambda per frame.
   */
  public <T> T call(Object owner, Supplier<T> call) {
    acquire();
    try {
      return call.get();
    } finally {
      release(owner);
    }
  }

  /** {@link #call} for a call without a result (it throws on a failed status itself). */
  public void run(Object owner, Runnable call) {
    acquire();
    try {
      call.run();
    } finally {
      release(owner);
    }
  }

  public boolean isClosed() {
    return guard.isClosed();
  }

  /** Idempotent and thread-safe; the free runs once no call is in flight. */
  public void close() {
    cleanable.clean();
  }
}
