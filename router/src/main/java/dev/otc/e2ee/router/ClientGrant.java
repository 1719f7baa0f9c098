package dev.otc.e2ee.router;

/** What a verified client token grants: a session, a role, the connection data the application attached. */
record ClientGrant(String sessionId, Role role, String connectionData) {
}
