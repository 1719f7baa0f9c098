package dev.otc.e2ee.internal;

import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.bindings.global.otc;

/** Turns an {@code otc_status} other than success into the exception the public API documents. */
public final class NativeStatus {
  private NativeStatus() {}

  /** @throws OtcException carrying {@code status}, with {@code what} naming the failed call */
  public static void check(int status, String what) {
    if (status != otc.OTC_SUCCESS) {
      throw OtcException.of(status, what);
    }
  }
}
