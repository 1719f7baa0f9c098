package dev.otc.e2ee.internal.session;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on an application executor that may itself be
 * multi-threaded: the per-object ordering guarantee of the SDK's callbacks must survive the hop
 * onto the application's executor.
 *
 * <p>At most one drain task of this queue is in the target executor at any time. A drain runs a
 * bounded batch and then resubmits itself, so one busy object cannot monopolise a shared thread
 * pool.
 */
public final class SerialExecutor implements Executor {
  private static final int BATCH = 64;

  private final Executor target;
  private final TaskFailureHandler failureHandler;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private final Runnable drain = this::drain;
  private boolean scheduled;

  /** Receives what a task threw; must not throw itself. */
  @FunctionalInterface
  public interface TaskFailureHandler {
    void taskFailed(Throwable t);
  }

  public SerialExecutor(Executor target, TaskFailureHandler failureHandler) {
    this.target = Objects.requireNonNull(target, "target");
    this.failureHandler = Objects.requireNonNull(failureHandler, "failureHandler");
  }

  /**
   * Queues {@code task}.
   *
   * @throws RejectedExecutionException if the target executor refuses the drain (for example it
   *     was shut down); the queue is then emptied, since nothing would ever run it
   */
  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    synchronized (this) {
      tasks.add(task);
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    schedule();
  }

  /** Number of tasks waiting (not counting one that is running). */
  public synchronized int pending() {
    return tasks.size();
  }

  private void schedule() {
    try {
      target.execute(drain);
    } catch (RuntimeException e) {
      synchronized (this) {
        tasks.clear();
        scheduled = false;
      }
      throw e instanceof RejectedExecutionException ? e : new RejectedExecutionException(e);
    }
  }

  private void drain() {
    for (int i = 0; i < BATCH; i++) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
        if (next == null) {
          scheduled = false;
          return;
        }
      }
      try {
        next.run();
      } catch (Throwable t) {
        failureHandler.taskFailed(t);
      }
    }
    synchronized (this) {
      if (tasks.isEmpty()) {
        scheduled = false;
        return;
      }
    }
    try {
      schedule();
    } catch (RejectedExecutionException e) {
      failureHandler.taskFailed(e);
    }
  }
}
