package dev.otc.e2ee.internal.session;

/** Last line of defence in a native callback: logs what escaped, never rethrows. */
final class Guard {
  private static final System.Logger LOG = System.getLogger("dev.otc.e2ee.session");

  private Guard() {}

  static void swallow(String callback, Throwable t) {
    try {
      LOG.log(System.Logger.Level.ERROR, () -> "unexpected failure in native callback " + callback, t);
    } catch (Throwable ignored) {
      // Nothing may escape into native code, not even a logging failure.
    }
  }
}
