package dev.otc.e2ee.router.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otc.e2ee.router.DevCredentials;
import dev.otc.e2ee.router.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POST /session/create of a routed session through one node's REST API, keeping what {@code MediaRouter.createSession}
 * drops: the status (a node without Redis answers 503) and the owner's media_server_url (which node the directory
 * placed the session on). For the multi-node tests and benchmarks.
 */
public final class SessionCreate {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The session's id and the media URL of the node that owns it. */
    public record Created(String sessionId, String mediaServerUrl) {
    }

    private SessionCreate() {
    }

    /** A REST token of the dev application, valid for a minute. */
    public static String restToken(DevCredentials creds) {
        return Tokens.restToken(creds.applicationId(), creds.privateKey(), Duration.ofMinutes(1));
    }

    /** The raw answer: status and body. */
    public static HttpResponse<String> post(HttpClient http, String restUrl, String restToken, boolean e2ee)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(restUrl + "/session/create"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + restToken)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("p2p.preference=disabled&e2ee=" + e2ee)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Expects 200 (IllegalStateException with the status and body otherwise) and reads the created session. */
    public static Created create(HttpClient http, String restUrl, String restToken, boolean e2ee)
            throws IOException, InterruptedException {
        HttpResponse<String> r = post(http, restUrl, restToken, e2ee);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("session/create answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode o = JSON.readTree(r.body()).get(0);
        return new Created(o.get("session_id").asText(), o.get("media_server_url").asText());
    }
}
