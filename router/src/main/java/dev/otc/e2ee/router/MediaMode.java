package dev.otc.e2ee.router;

import java.util.Locale;

/** Vonage media modes. This router has no peer-to-peer path: in both modes media flows through it. */
public enum MediaMode {
    ROUTED, RELAYED;

    public String apiValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
