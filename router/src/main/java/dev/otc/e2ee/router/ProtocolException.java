package dev.otc.e2ee.router;

/** A message the router refuses; {@code code} is the OTC error number sent back in ERROR. */
final class ProtocolException extends Exception {
    final int code;
    final String context;
    final boolean fatal;

    ProtocolException(int code, String message, String context, boolean fatal) {
        super(message, null, false, false);
        this.code = code;
        this.context = context == null ? "" : context;
        this.fatal = fatal;
    }

    /** Malformed or unexpected input: ERROR 1030 and the connection closes. */
    static ProtocolException malformed(String message) {
        return new ProtocolException(ErrorCodes.PROTOCOL_ERROR, message, "", true);
    }

    /** A refused request; the connection stays open. */
    static ProtocolException refused(int code, String message, String context) {
        return new ProtocolException(code, message, context, false);
    }
}
