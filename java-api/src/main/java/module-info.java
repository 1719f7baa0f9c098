/**
 * The otc-e2ee Java API: {@code dev.otc.e2ee} (sessions, publishers, subscribers, the frame
 * cryptor) and {@code dev.otc.e2ee.media} (raw video and audio: frames, capturers, renderers, the
 * audio device). The raw SFrame layer with caller-chosen KIDs and counters is not shipped: it is
 * test-only, in the test build of libotc and this module's tests. The implementation packages
 * ({@code dev.otc.e2ee.internal*}) and the generated JavaCPP bindings ({@code dev.otc.e2ee.bindings},
 * required but not re-exported) are not part of the API: on the module path applications cannot
 * reach them. On the class path (where this descriptor is ignored) nothing changes.
 */
module dev.otc.e2ee {
  requires org.bytedeco.javacpp;
  requires dev.otc.e2ee.bindings;

  exports dev.otc.e2ee;
  exports dev.otc.e2ee.media;
}
