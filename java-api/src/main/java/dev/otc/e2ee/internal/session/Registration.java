package dev.otc.e2ee.internal.session;

import org.bytedeco.javacpp.Pointer;

/**
 * A registry id and the callback struct that carries it, for one {@code otc_*_new} call (which
 * copies the struct). Closing frees the struct only; the id stays bound until unregistered.
 */
public final class Registration<S extends Pointer> implements AutoCloseable {
  public final long id;
  public final S callbacks;

  Registration(long id, S callbacks) {
    this.id = id;
    this.callbacks = callbacks;
  }

  @Override
  public void close() {
    callbacks.close();
  }
}
