package dev.otc.e2ee.internal.session;

import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.bytedeco.javacpp.Pointer;

/**
 * Maps the {@code user_data} value of a callback struct to the Java object it belongs to.
 *
 * <p>JavaCPP allows only ten live instances per callback class, so every native object shares one
 * static callback per signature and carries a registry id (not an address) in {@code user_data}.
 * Ids are never reused, so a late callback for a closed object finds nothing instead of another
 * object.
 *
 * <p>Targets are held weakly: the registry never keeps a session, publisher or subscriber alive.
 * Each target is a field of its owner, so it lives exactly as long as the owner; an owner the
 * application no longer references is collected, and its {@link dev.otc.e2ee.internal.NativeRef}
 * cleaner deletes the native object (no callback starts after that) and unregisters the id. A
 * callback that comes for an id whose target was just collected finds nothing and is dropped.
 */
public final class CallbackRegistry<T> {
  /** Shared across registries so an id identifies one object in the whole process. */
  private static final AtomicLong NEXT_ID = new AtomicLong(1);

  private final ConcurrentHashMap<Long, WeakReference<T>> targets = new ConcurrentHashMap<>();

  /**
   * A fresh id (never 0, which is NULL in C) with no target yet: the id must go into the callback
   * struct before the native object exists, and the Java object needs the native handle. Calls
   * for an id not yet bound are ignored.
   */
  public static long reserve() {
    return NEXT_ID.getAndIncrement();
  }

  public void bind(long id, T target) {
    targets.put(id, new WeakReference<>(target));
  }

  public void unregister(long id) {
    targets.remove(id);
  }

  /** The target for a callback's {@code user_data}; null if unknown or already unregistered. */
  public T lookup(Pointer userData) {
    if (userData == null) {
      return null;
    }
    WeakReference<T> ref = targets.get(userData.address());
    return ref == null ? null : ref.get();
  }

  /**
   * The whole body of a native callback: finds the target of {@code userData} and, if there is
   * one, hands it to {@code event}. Catches {@link Throwable} because anything escaping into
   * JavaCPP's generated code aborts the JVM; {@code callback} names the entry point in the log.
   * Only building {@code event} itself happens before this guard, so entry points pass a plain
   * lambda and do all reading of native arguments inside it.
   */
  public void dispatch(Pointer userData, String callback, Consumer<? super T> event) {
    try {
      T target = lookup(userData);
      if (target != null) {
        event.accept(target);
      }
    } catch (Throwable t) {
      Guard.swallow(callback, t);
    }
  }

  /** A null or NULL-valued callback argument as Java null. */
  public static <P extends Pointer> P orNull(P p) {
    return p == null || p.isNull() ? null : p;
  }

  /** Whether a callback argument points at something. */
  public static boolean present(Pointer p) {
    return p != null && !p.isNull();
  }

  /** Number of registered ids, collected or not, until unregistered (for leak checks). */
  public int size() {
    return targets.size();
  }

  /** A {@code void*} whose value is {@code id}; it points to nothing and is never dereferenced. */
  public static Pointer userData(long id) {
    return new IdPointer(id);
  }

  private static final class IdPointer extends Pointer {
    IdPointer(long id) {
      this.address = id;
    }
  }
}
