package dev.otc.e2ee.router;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A REST failure, rendered as {@code {"code","title","message","detail"}} (never HTML). */
final class ApiError extends Exception {
    final HttpResponseStatus status;
    final String detail;

    ApiError(HttpResponseStatus status, String message, String detail) {
        super(message, null, false, false);
        this.status = status;
        this.detail = detail;
    }

    static ApiError badRequest(String detail) {
        return new ApiError(HttpResponseStatus.BAD_REQUEST, "Invalid request.", detail);
    }
}
