package dev.otc.e2ee.router;

/** A JWT that does not authorize the call. The message names the check that failed, never the token itself. */
final class TokenException extends Exception {
    TokenException(String message) {
        super(message, null, false, false);
    }
}
