package dev.otc.e2ee.internal.session;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers one object's listener events, in order, either directly on the SDK's callback thread
 * ({@link #inline}) or through a {@link SerialExecutor} on an application executor.
 *
 * <p>Whatever a listener throws is logged and swallowed here: an exception must never travel back
 * into native code (JavaCPP would turn it into a C++ exception on the SDK thread and abort the
 * JVM), and one faulty listener must not stop the events of others.
 */
public final class EventDispatcher {
  private static final System.Logger LOG = System.getLogger("dev.otc.e2ee.session");
  private static final long REPORT_INTERVAL_NANOS = 10_000_000_000L;

  private final String owner;
  private final SerialExecutor serial;
  private final AtomicLong failures = new AtomicLong();
  private volatile long lastReport;

  private EventDispatcher(String owner, Executor executor) {
    this.owner = owner;
    this.serial = executor == null ? null : new SerialExecutor(executor, this::listenerFailed);
  }

  /** Events run on the calling (SDK callback) thread. */
  public static EventDispatcher inline(String owner) {
    return new EventDispatcher(owner, null);
  }

  /** Events run on {@code executor}, one at a time, in order. */
  public static EventDispatcher on(Executor executor, String owner) {
    return new EventDispatcher(owner, executor);
  }

  /**
   * Whether events run before {@link #dispatch} returns, on the SDK thread. When false, anything
   * an event reads from native memory must be copied before it is dispatched.
   */
  public boolean isInline() {
    return serial == null;
  }

  /** Number of events queued and not yet started (always 0 inline). */
  public int pending() {
    return serial == null ? 0 : serial.pending();
  }

  /** Runs or queues {@code event}; never throws. Returns false if the executor refused it. */
  public boolean dispatch(Runnable event) {
    if (serial == null) {
      try {
        event.run();
      } catch (Throwable t) {
        listenerFailed(t);
      }
      return true;
    }
    try {
      serial.execute(event);
      return true;
    } catch (RejectedExecutionException e) {
      LOG.log(System.Logger.Level.WARNING, () -> "event of " + owner + " dropped: the executor refused it", e);
      return false;
    }
  }

  /**
   * Logs the first failure with its stack trace, then at most one summary per interval: a
   * listener that throws on every frame must not turn into a log flood at frame rate.
   */
  private void listenerFailed(Throwable t) {
    try {
      long n = failures.incrementAndGet();
      long now = System.nanoTime();
      if (n == 1) {
        lastReport = now;
        LOG.log(System.Logger.Level.WARNING, () -> "listener of " + owner + " threw; the SDK continues", t);
      } else if (now - lastReport > REPORT_INTERVAL_NANOS) {
        lastReport = now;
        LOG.log(System.Logger.Level.WARNING, () -> "listener of " + owner + " has thrown " + n
            + " times; latest: " + t);
      }
    } catch (Throwable ignored) {
      // A broken logging backend must not escape either.
    }
  }
}
