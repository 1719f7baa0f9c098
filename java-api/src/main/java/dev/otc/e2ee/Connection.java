package dev.otc.e2ee;

import java.util.Objects;

/**
 * A client connected to a session, as the router announced it.
 *
 * @param id router-assigned connection id
 * @param data the connection data of the client's token (application-defined, may be empty)
 */
public record Connection(String id, String data) {
  public Connection {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(data, "data");
  }

  /** Why a connection left ({@code otc_connection_drop_reason}). */
  public enum DropReason {
    CLIENT_DISCONNECTED(1),
    NETWORK_LOST(2),
    FORCED(3),
    /** A reason number this version does not know. */
    UNKNOWN(-1);

    private final int code;

    DropReason(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    public static DropReason fromCode(int code) {
      for (DropReason r : values()) {
        if (r.code == code) {
          return r;
        }
      }
      return UNKNOWN;
    }
  }
}
