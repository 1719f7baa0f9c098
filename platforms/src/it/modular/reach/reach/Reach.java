package reach;

/** Reaches for the implementation and the generated bindings: neither is exported to applications. */
public class Reach {
  static Object implementation() {
    return dev.otc.e2ee.internal.NativeRef.class;
  }

  static Object bindings() {
    return dev.otc.e2ee.bindings.global.otc.class;
  }
}
