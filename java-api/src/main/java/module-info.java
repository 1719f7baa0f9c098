/**
 * The otc-e2ee Java API: {@code dev.otc.e2ee} (sessions, publishers, subscribers, the frame
 * cryptor) and {@code dev.otc.e2ee.sframe} (low-level SFrame for test vectors and independent
 * implementations). The implementation packages ({@code dev.otc.e2ee.internal*}) and the
 * generated JavaCPP bindings ({@code dev.otc.e2ee.bindings}, required but not re-exported) are not
 * part of the API: on the module path applications cannot reach them. On the class path (where
 * this descriptor is ignored) nothing changes.
 */
module dev.otc.e2ee {
  requires org.bytedeco.javacpp;
  requires dev.otc.e2ee.bindings;

  exports dev.otc.e2ee;
  exports dev.otc.e2ee.sframe;
}
