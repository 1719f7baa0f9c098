package dev.otc.e2ee.router;

import java.util.Locale;

/**
 * Per-application E2EE policy: the Vonage "enable E2EE for your account first" switch, plus a mode that forces
 * every session of the application to be end-to-end encrypted.
 */
public enum E2eePolicy {
    /** {@code e2ee=true} is refused with 403. */
    OFF,
    /** Each session chooses with its {@code e2ee} flag (default). */
    ALLOWED,
    /** Every session is E2EE even when the request omits {@code e2ee}; an explicit {@code e2ee=false} is refused. */
    REQUIRED;

    public static E2eePolicy parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("E2EE policy must be off, allowed or required, not '" + value + "'");
        }
    }
}
