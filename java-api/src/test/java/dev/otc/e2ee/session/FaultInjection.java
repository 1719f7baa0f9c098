package dev.otc.e2ee.session;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Map;
import org.bytedeco.javacpp.Loader;

/**
 * {@code otc_testing_inject_fault} (native/testing/include/otc/testing.h) for the Java tests.
 *
 * <p>Fault injection exists only in the test build of libotc, never in the shipped one nor in the
 * generated bindings. java-api's surefire puts that build first on the class path, laid out as in a
 * natives jar (native/target/testing-natives, java-api/pom.xml), so JavaCPP loads it in place of
 * the shipped libotc.so.0 for every test of this module; this class opens the very file JavaCPP
 * loaded through JNA (the same path: the same loaded library, the same fault counters) and calls
 * the one test function it has in addition.
 */
final class FaultInjection {
  static final int ENCRYPT = 1; // OTC_TESTING_FAULT_ENCRYPT
  static final int DECRYPT = 2; // OTC_TESTING_FAULT_DECRYPT

  private interface Testing extends Library {
    int otc_testing_inject_fault(int fault, int count);
  }

  private static final Testing LIB = open();

  private FaultInjection() {}

  private static Testing open() {
    Loader.load(dev.otc.e2ee.bindings.global.otc.class);
    Map<String, String> loaded = Loader.getLoadedLibraries();
    String path = loaded.entrySet().stream()
        .filter(e -> e.getKey().startsWith("otc") || e.getKey().startsWith("libotc"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("JavaCPP has not loaded libotc: " + loaded));
    return Native.load(path, Testing.class);
  }

  /** The C function's status (0: OTC_SUCCESS). */
  static int inject(int fault, int count) {
    return LIB.otc_testing_inject_fault(fault, count);
  }
}
