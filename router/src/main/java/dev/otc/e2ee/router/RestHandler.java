package dev.otc.e2ee.router;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.NetUtil;

/**
 * The Vonage Video REST subset (router/README.md lists it). Requests are small and verifying an RS256 signature
 * takes tens of microseconds, so everything runs on the REST event loop.
 */
final class RestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final System.Logger LOG = System.getLogger(RestHandler.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PROJECT = Pattern.compile("^/v2/project/([^/]+)/(.*)$");
    private static final Pattern STREAMS = Pattern.compile("^session/([^/]+)/stream/?$");
    private static final Pattern STREAM = Pattern.compile("^session/([^/]+)/stream/([^/]+)$");
    /** Features that need the router to see decoded media; under E2EE it cannot. */
    private static final Map<String, String> MEDIA_FEATURES = Map.of(
            "archive", "Archiving",
            "broadcast", "Live streaming broadcast",
            "dial", "SIP interconnect",
            "render", "Experience Composer",
            "connect", "Audio Connector");
    private static final DateTimeFormatter CREATE_DT =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss zzz yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final RouterCore core;
    /** False on the metrics port: only {@code /metrics} there. */
    private final boolean serveApi;
    /** False on the REST port when metrics have a port of their own. */
    private final boolean serveMetrics;

    RestHandler(RouterCore core, boolean serveApi, boolean serveMetrics) {
        this.core = core;
        this.serveApi = serveApi;
        this.serveMetrics = serveMetrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        CompletionStage<FullHttpResponse> answer;
        try {
            answer = route(ctx, req);
        } catch (ApiError e) {
            answer = CompletableFuture.completedFuture(error(e.status, e.getMessage(), e.detail));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // Most answers are ready now; those that ask the directory (several nodes) complete on a Redis thread and are
        // written from the channel's event loop. The request is released when this returns: nothing below reads it.
        answer.whenComplete((resp, err) -> {
            FullHttpResponse r = resp != null ? resp : errorFor(err);
            if (ctx.executor().inEventLoop()) {
                write(ctx, r, keepAlive);
            } else {
                ctx.executor().execute(() -> write(ctx, r, keepAlive));
            }
        });
    }

    private static FullHttpResponse errorFor(Throwable err) {
        Throwable c = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        if (c instanceof ApiError e) {
            return error(e.status, e.getMessage(), e.detail);
        }
        if (c instanceof io.lettuce.core.RedisException) {
            LOG.log(System.Logger.Level.WARNING, () -> "session directory unavailable: " + c.getMessage());
            return error(HttpResponseStatus.SERVICE_UNAVAILABLE, "Session directory unavailable.",
                    "the router nodes' shared directory (Redis) cannot be reached: new sessions cannot be placed "
                            + "now; sessions already running are not affected. Retry later.");
        }
        LOG.log(System.Logger.Level.WARNING, "REST request failed", c);
        return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal error.", "the router failed to handle the request");
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse resp, boolean keepAlive) {
        HttpUtil.setKeepAlive(resp, keepAlive);
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
        if (keepAlive) {
            ctx.writeAndFlush(resp);
        } else {
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static CompletionStage<FullHttpResponse> now(FullHttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private CompletionStage<FullHttpResponse> route(ChannelHandlerContext ctx, FullHttpRequest req) throws ApiError {
        if (req.decoderResult().isFailure()) {
            throw ApiError.badRequest("malformed HTTP request");
        }
        String path = new QueryStringDecoder(req.uri()).path();
        HttpMethod method = req.method();
        if (path.equals("/metrics") && serveMetrics) {
            requireMethod(method, HttpMethod.GET);
            checkMetricsAccess(ctx, req);
            return now(text(core.stats.toPrometheus()));
        }
        if (!serveApi) {
            throw new ApiError(HttpResponseStatus.NOT_FOUND, "Not found.", "this port serves GET /metrics only");
        }
        if (path.equals("/session/create")) {
            requireMethod(method, HttpMethod.POST);
            authenticate(req);
            return createSession(req);
        }
        if (path.equals("/node/drain")) {
            requireMethod(method, HttpMethod.POST);
            authenticate(req);
            return now(drain());
        }
        Matcher m = PROJECT.matcher(path);
        if (m.matches()) {
            authenticate(req);
            if (!m.group(1).equals(core.app.id())) {
                throw new ApiError(HttpResponseStatus.FORBIDDEN, "Forbidden.",
                        "the project id in the path is not the application your token was signed for");
            }
            return project(req, m.group(2));
        }
        throw new ApiError(HttpResponseStatus.NOT_FOUND, "Not found.", "no such endpoint: " + method + " " + path);
    }

    private CompletionStage<FullHttpResponse> project(FullHttpRequest req, String rest) throws ApiError {
        String feature = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        if (MEDIA_FEATURES.containsKey(feature)) {
            requireMethod(req.method(), HttpMethod.POST);
            return mediaFeature(req, feature);
        }
        Matcher m = STREAMS.matcher(rest);
        if (m.matches()) {
            requireMethod(req.method(), HttpMethod.GET);
            return session(m.group(1)).thenApply(s -> {
                ArrayNode items = JSON.createArrayNode();
                s.streams().forEach(items::add);
                ObjectNode body = JSON.createObjectNode();
                body.put("count", items.size());
                body.set("items", items);
                return json(HttpResponseStatus.OK, body);
            });
        }
        m = STREAM.matcher(rest);
        if (m.matches()) {
            String streamId = m.group(2);
            requireMethod(req.method(), HttpMethod.GET);
            return session(m.group(1)).thenApply(s -> {
                for (ObjectNode st : s.streams()) {
                    if (st.path("id").asText().equals(streamId)) {
                        return json(HttpResponseStatus.OK, st);
                    }
                }
                throw new java.util.concurrent.CompletionException(new ApiError(HttpResponseStatus.NOT_FOUND,
                        "Not found.", "no stream " + streamId + " in this session"));
            });
        }
        throw new ApiError(HttpResponseStatus.NOT_FOUND, "Not found.", "no such endpoint: " + req.method() + " /v2/project/{appId}/" + rest);
    }

    private static ObjectNode streamJson(RouterStream st) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", st.id);
        o.put("videoType", st.hasVideo ? "camera" : null);
        o.put("name", st.name);
        o.set("layoutClassList", JSON.createArrayNode());
        return o;
    }

    private CompletionStage<FullHttpResponse> mediaFeature(FullHttpRequest req, String feature) throws ApiError {
        JsonNode body;
        try {
            body = JSON.readTree(req.content().toString(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("the body is not valid JSON");
        }
        JsonNode sid = body == null ? null : body.get("sessionId");
        if (sid == null || !sid.isTextual() || sid.asText().isEmpty()) {
            throw ApiError.badRequest("sessionId is required");
        }
        String name = MEDIA_FEATURES.get(feature);
        return session(sid.asText()).thenApply(s -> {
            ApiError e = s.e2ee()
                    ? new ApiError(HttpResponseStatus.CONFLICT, name + " is not available for an end-to-end encrypted session.",
                            name + " needs the router to decode the session's media, which end-to-end encryption prevents: "
                                    + "the router only ever sees encrypted frames. Create the session without e2ee to use it.")
                    : new ApiError(HttpResponseStatus.NOT_IMPLEMENTED, name + " is not implemented.",
                            name + " is not implemented by this router (it forwards media only).");
            throw new java.util.concurrent.CompletionException(e);
        });
    }

    /** What REST answers need about a session: whether it is E2EE, and its streams as REST JSON in creation order. */
    private record SessionView(boolean e2ee, List<ObjectNode> streams) {
    }

    /**
     * The session from this node's memory, or (several nodes) from the directory when another node holds it; fails
     * with 404 when unknown.
     */
    private CompletionStage<SessionView> session(String id) {
        RouterSession s = core.sessions.get(id);
        if (s != null && s.applicationId.equals(core.app.id())) {
            List<ObjectNode> streams = new java.util.ArrayList<>();
            for (RouterStream st : s.streamsInOrder()) {
                streams.add(streamJson(st));
            }
            return CompletableFuture.completedFuture(new SessionView(s.e2ee, streams));
        }
        ApiError notFound = new ApiError(HttpResponseStatus.NOT_FOUND, "Not found.", "no session " + id + " for this application");
        NodeDirectory d = core.directory;
        if (d == null) {
            return CompletableFuture.failedFuture(notFound);
        }
        return d.lookup(id).thenApply(remote -> {
            if (remote == null) {
                throw new java.util.concurrent.CompletionException(notFound);
            }
            List<ObjectNode> streams = new java.util.ArrayList<>();
            for (JsonNode st : remote.streams()) {
                ObjectNode o = JSON.createObjectNode();
                o.put("id", st.path("id").asText());
                o.set("videoType", st.path("videoType"));
                o.put("name", st.path("name").asText());
                o.set("layoutClassList", JSON.createArrayNode());
                streams.add(o);
            }
            return new SessionView(remote.meta().e2ee(), streams);
        });
    }

    /** {@code POST /node/drain}: several nodes only (a single router has nowhere to send its clients). */
    private FullHttpResponse drain() throws ApiError {
        Runnable drain = core.drainRequest;
        if (core.directory == null || drain == null) {
            throw new ApiError(HttpResponseStatus.CONFLICT, "Not part of a directory.",
                    "draining moves clients to other router nodes; this router runs alone (no --redis)");
        }
        drain.run();
        ObjectNode o = JSON.createObjectNode();
        o.put("node_id", core.directory.nodeId());
        o.put("draining", true);
        return json(HttpResponseStatus.ACCEPTED, o);
    }

    private CompletionStage<FullHttpResponse> createSession(FullHttpRequest req) throws ApiError {
        String body = req.content().toString(StandardCharsets.UTF_8);
        Map<String, List<String>> form = new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters();
        MediaMode mode = switch (param(form, "p2p.preference", "")) {
            case "" -> null;
            case "disabled", "routed" -> MediaMode.ROUTED;
            case "enabled", "relayed" -> MediaMode.RELAYED;
            default -> throw ApiError.badRequest("p2p.preference must be disabled (routed) or enabled (relayed)");
        };
        boolean archiveAlways = switch (param(form, "archiveMode", "manual")) {
            case "manual" -> false;
            case "always" -> true;
            default -> throw ApiError.badRequest("archiveMode must be manual or always");
        };
        Boolean e2ee = switch (param(form, "e2ee", "")) {
            case "" -> null;
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiError.badRequest("e2ee must be true or false");
        };
        String location = param(form, "location", "");
        if (location.equals("null")) {
            location = "";
        }
        if (!location.isEmpty() && !NetUtil.isValidIpV4Address(location) && !NetUtil.isValidIpV6Address(location)) {
            throw ApiError.badRequest("location must be an IP address");
        }
        E2eePolicy policy = core.app.policy();
        boolean encrypted;
        switch (policy) {
            case OFF -> {
                if (Boolean.TRUE.equals(e2ee)) {
                    throw new ApiError(HttpResponseStatus.FORBIDDEN, "End-to-end encryption is not enabled.",
                            "E2EE is not enabled for this application: the router's E2EE policy is 'off'");
                }
                encrypted = false;
            }
            case REQUIRED -> {
                if (Boolean.FALSE.equals(e2ee)) {
                    throw new ApiError(HttpResponseStatus.FORBIDDEN, "End-to-end encryption is required.",
                            "this application requires E2EE for every session (policy 'required'): e2ee=false is refused");
                }
                encrypted = true;
                // Under 'required' a request that names no media mode means routed: E2EE is only possible routed.
                if (mode == null) {
                    mode = MediaMode.ROUTED;
                }
            }
            default -> encrypted = Boolean.TRUE.equals(e2ee);
        }
        if (mode == null) {
            mode = MediaMode.RELAYED;
        }
        if (encrypted && mode == MediaMode.RELAYED) {
            throw ApiError.badRequest("end-to-end encryption requires the routed media mode (p2p.preference=disabled)");
        }
        if (encrypted && archiveAlways) {
            throw ApiError.badRequest("end-to-end encrypted sessions cannot be archived: archiveMode=always is refused");
        }
        if (archiveAlways && mode == MediaMode.RELAYED) {
            throw ApiError.badRequest("archiveMode=always requires the routed media mode (p2p.preference=disabled)");
        }
        NodeDirectory d = core.directory;
        if (d != null) {
            // Several nodes: the directory picks the least loaded live node; that node creates the session in its
            // memory at the first CONNECT.
            NodeDirectory.SessionMeta meta = new NodeDirectory.SessionMeta(encrypted, mode, archiveAlways,
                    location.isEmpty() ? null : location, System.currentTimeMillis());
            String id = core.newId("2_");
            return d.createSession(id, meta).thenApply(p -> {
                if (p == null) {
                    throw new java.util.concurrent.CompletionException(new ApiError(HttpResponseStatus.TOO_MANY_REQUESTS,
                            "Too many sessions.", "every live router node has its maximum of sessions"));
                }
                return created(id, meta.e2ee(), meta.mode(), meta.archiveAlways(), meta.location(), meta.createdMs(),
                        p.mediaUrl());
            });
        }
        RouterSession s = core.createSession(encrypted, mode, archiveAlways, location.isEmpty() ? null : location);
        if (s == null) {
            throw new ApiError(HttpResponseStatus.TOO_MANY_REQUESTS, "Too many sessions.",
                    "this application has its maximum of " + core.config.limits().maxSessions()
                            + " live sessions; sessions expire after being empty for "
                            + core.config.limits().sessionEmptyTimeout().toSeconds() + " s");
        }
        return now(created(s.id, s.e2ee, s.mediaMode, s.archiveAlways, s.location, s.createdMs, core.mediaUrl));
    }

    private FullHttpResponse created(String id, boolean e2ee, MediaMode mode, boolean archiveAlways, String location,
                                     long createdMs, String mediaUrl) {
        ObjectNode o = JSON.createObjectNode();
        o.put("session_id", id);
        o.put("application_id", core.app.id());
        o.put("project_id", core.app.id());
        o.put("create_dt", CREATE_DT.format(Instant.ofEpochMilli(createdMs)));
        o.put("media_server_url", mediaUrl);
        o.put("e2ee", e2ee);
        o.put("media_mode", mode.apiValue());
        o.put("archive_mode", archiveAlways ? "always" : "manual");
        if (location != null) {
            o.put("location", location);
        }
        ArrayNode arr = JSON.createArrayNode();
        arr.add(o);
        return json(HttpResponseStatus.OK, arr);
    }

    private static String param(Map<String, List<String>> form, String name, String dflt) {
        List<String> v = form.get(name);
        return v == null || v.isEmpty() ? dflt : v.get(0);
    }

    private void authenticate(FullHttpRequest req) throws ApiError {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiError(HttpResponseStatus.UNAUTHORIZED, "Unauthorized.",
                    "an 'Authorization: Bearer <JWT>' header signed with the application's private key is required");
        }
        try {
            core.jwts.verifyRest(auth.substring(7).trim(), core.app);
        } catch (TokenException e) {
            throw new ApiError(HttpResponseStatus.UNAUTHORIZED, "Unauthorized.", e.getMessage());
        }
    }

    /**
     * With a metrics token, the bearer token decides, from any address. Without one, only loopback peers (unless
     * metrics are public): behind a reverse proxy on the same host every request comes from loopback, so set a token
     * or a metrics port of their own there (router/README.md).
     */
    private void checkMetricsAccess(ChannelHandlerContext ctx, FullHttpRequest req) throws ApiError {
        byte[] expected = core.config.metricsToken();
        if (expected != null) {
            String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
            byte[] given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
            boolean ok = java.security.MessageDigest.isEqual(given, expected);
            java.util.Arrays.fill(given, (byte) 0);
            if (!ok) {
                throw new ApiError(HttpResponseStatus.UNAUTHORIZED, "Unauthorized.",
                        "/metrics requires 'Authorization: Bearer <metrics token>' (see --metrics-token-file)");
            }
            return;
        }
        if (!core.config.metricsFromAnyAddress() && !isLoopback(ctx)) {
            throw new ApiError(HttpResponseStatus.FORBIDDEN, "Forbidden.",
                    "metrics are served to loopback clients only (see --metrics-public and --metrics-token-file)");
        }
    }

    private static void requireMethod(HttpMethod actual, HttpMethod expected) throws ApiError {
        if (!actual.equals(expected)) {
            throw new ApiError(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed.",
                    "use " + expected + " for this endpoint");
        }
    }

    private static boolean isLoopback(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
    }

    static FullHttpResponse error(HttpResponseStatus status, String message, String detail) {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", status.code());
        o.put("title", status.reasonPhrase());
        o.put("message", message);
        o.put("detail", detail);
        return json(status, o);
    }

    private static FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return r;
    }

    private static FullHttpResponse text(String body) {
        ByteBuf b = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, b);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A malformed HTTP request or a reset connection: nothing useful to answer on this channel.
        ctx.close();
    }
}
