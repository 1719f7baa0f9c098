package dev.otc.e2ee.router;

import java.util.Locale;

/** A client token's role, with the wire number of the CONNECTED message (docs/PROTOCOL.md). */
public enum Role {
    PUBLISHER(1, true, true),
    SUBSCRIBER(2, false, true),
    MODERATOR(3, true, true),
    PUBLISHERONLY(4, true, false);

    private final int wireCode;
    private final boolean canPublish;
    private final boolean canSubscribe;

    Role(int wireCode, boolean canPublish, boolean canSubscribe) {
        this.wireCode = wireCode;
        this.canPublish = canPublish;
        this.canSubscribe = canSubscribe;
    }

    public int wireCode() {
        return wireCode;
    }

    public boolean canPublish() {
        return canPublish;
    }

    public boolean canSubscribe() {
        return canSubscribe;
    }

    /** The claim value, as the Vonage SDK writes it. */
    public String claimValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for a value that is not one of the four roles */
    public static Role fromClaim(String value) {
        if (value != null) {
            for (Role r : values()) {
                if (r.claimValue().equals(value)) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("unknown role '" + value + "' (publisher, subscriber, moderator, publisheronly)");
    }
}
