package dev.otc.e2ee.router;

import java.util.function.BooleanSupplier;

/** Waits for a condition instead of sleeping a fixed time: tests stay fast when the machine is, and pass when not. */
final class Poll {

    static final long DEFAULT_TIMEOUT_MS = 15_000;

    private Poll() {
    }

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, DEFAULT_TIMEOUT_MS, condition);
    }

    static void until(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
