package dev.otc.e2ee.reference;

/** Why a receiver refused a frame: the four outcomes of FORMAT.md sec. 5. */
public final class FrameRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason { MALFORMED, SECRET_MISMATCH, AUTHENTICATION_FAILED, REPLAYED }

    private final Reason reason;

    public FrameRejectedException(Reason reason) {
        // Per-frame outcome: a stack trace would only cost time.
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
