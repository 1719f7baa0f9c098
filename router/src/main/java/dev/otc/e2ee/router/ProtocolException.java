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

    /**
     * What an exception that reached a media-port handler means for the client: the ProtocolException to
     * answer with (a decoder's is unwrapped; anything unexpected is logged and answered as malformed), or
     * null when the connection itself failed (I/O) and should just close. One rule for every handler of the
     * pipeline, before and after CONNECT.
     */
    static ProtocolException answerFor(Throwable cause, System.Logger log, String where) {
        Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                ? cause.getCause() : cause;
        if (c instanceof ProtocolException pe) {
            return pe;
        }
        if (c instanceof java.io.IOException) {
            return null;
        }
        log.log(System.Logger.Level.WARNING, "unexpected error on a media connection " + where, c);
        return malformed("router could not process the message");
    }

    /** A refused request; the connection stays open. */
    static ProtocolException refused(int code, String message, String context) {
        return new ProtocolException(code, message, context, false);
    }
}
