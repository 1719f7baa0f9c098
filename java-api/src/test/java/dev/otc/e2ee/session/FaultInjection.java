package dev.otc.e2ee.session;

import com.sun.jna.Library;
import dev.otc.e2ee.TestBuild;

/**
 * {@code otc_testing_inject_fault} (native/testing/include/otc/testing.h) for the Java tests.
 *
 * <p>Fault injection exists only in the test build of libotc, never in the shipped one nor in the
 * generated bindings: {@link TestBuild} opens the libotc JavaCPP loaded (the test build, so the
 * same fault counters the frame cryptors use).
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
    return TestBuild.open(Testing.class);
  }

  /** The C function's status (0: OTC_SUCCESS). */
  static int inject(int fault, int count) {
    return LIB.otc_testing_inject_fault(fault, count);
  }
}
