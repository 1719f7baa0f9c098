package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Many clients join, publish, subscribe, signal, unpublish and leave one session at once, from several threads, over
 * real sockets to a router with several event loops; the connections are spread over those loops, so membership
 * changes really run concurrently. Afterwards every observer's view (built from the events it was sent), the
 * router's own bookkeeping and its REST stream list must agree: no stream whose publisher is gone, no subscriber
 * entry for a member that left or a stream that ended, and no event out of order on the way (a stream of an unknown
 * connection, a connection dropped while its streams live, anything created twice or destroyed unknown, SUBSCRIBED
 * after the stream ended, a frame before SUBSCRIBED or after STREAM_DESTROYED).
 */
class MembershipConcurrencyTest {

    static final int OBSERVERS = 3;
    static final int WORKERS = 6;
    static final int ROUNDS = 8;
    /** Workers whose last connection stays, with one stream each. */
    static final int SURVIVORS = 2;
    static final long TIMEOUT_MS = 60_000;

    MediaRouter router;
    String sid;
    final List<Observer> observers = new ArrayList<>();
    final List<TestClient> survivors = new CopyOnWriteArrayList<>();
    /** Survivor -> the stream it still publishes. */
    final Map<TestClient, String> survivorStreams = new ConcurrentHashMap<>();
    /** Survivors' connection id -> the stream it still publishes. */
    final Map<String, String> surviving = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        router = MediaRouter.builder().ioThreads(4).start();
        sid = router.createSession(false);
    }

    @AfterEach
    void stop() throws IOException {
        for (Observer o : observers) {
            o.close();
        }
        for (TestClient c : survivors) {
            c.close();
        }
        router.close();
    }

    String token(Role role) {
        return router.generateClientToken(sid, role, Duration.ofMinutes(5), null);
    }

    /** A subscriber present for the whole test: it keeps the membership it is told about and subscribes to every
     *  stream it sees, so streams that end have subscribers to be taken off. */
    static final class Observer implements Runnable {
        final TestClient client;
        final String id;
        final Set<String> connections = ConcurrentHashMap.newKeySet();
        /** Stream id -> publisher's connection id. */
        final Map<String, String> streams = new ConcurrentHashMap<>();
        /** Streams between their SUBSCRIBED and their STREAM_DESTROYED: the only ones whose frames may arrive. */
        private final Set<String> subscribed = new HashSet<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicLong frames = new java.util.concurrent.atomic.AtomicLong();
        private final Thread thread;
        private volatile boolean closing;

        Observer(TestClient client, String id) throws IOException {
            this.client = client;
            this.id = id;
            client.socket().setSoTimeout((int) TIMEOUT_MS * 2);   // idle stretches are not failures here
            this.thread = new Thread(this, "observer-" + id);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        @Override
        public void run() {
            try {
                while (!closing) {
                    apply(client.next());
                }
            } catch (IOException e) {
                if (!closing) {
                    violations.add("observer " + id + " lost its connection: " + e);
                }
            }
        }

        private void apply(TestClient.Message m) throws IOException {
            TestClient.Reader r = m.reader();
            switch (m.type()) {
                case Wire.CONNECTION_CREATED -> {
                    String c = r.str();
                    if (!connections.add(c)) {
                        violations.add("CONNECTION_CREATED twice for " + c);
                    }
                }
                case Wire.CONNECTION_DROPPED -> {
                    String c = r.str();
                    if (!connections.remove(c)) {
                        violations.add("CONNECTION_DROPPED for unknown " + c);
                    }
                    if (streams.containsValue(c)) {
                        violations.add("CONNECTION_DROPPED for " + c + " while its streams live");
                    }
                }
                case Wire.STREAM_CREATED -> {
                    String st = r.str();
                    String publisher = r.str();
                    if (!connections.contains(publisher)) {
                        violations.add("STREAM_CREATED " + st + " of unknown connection " + publisher);
                    }
                    if (streams.put(st, publisher) != null) {
                        violations.add("STREAM_CREATED twice for " + st);
                    }
                    client.subscribe(st);
                }
                case Wire.STREAM_DESTROYED -> {
                    String st = r.str();
                    if (streams.remove(st) == null) {
                        violations.add("STREAM_DESTROYED for unknown " + st);
                    }
                    subscribed.remove(st);
                }
                case Wire.SUBSCRIBED -> {
                    String st = r.str();
                    if (!streams.containsKey(st)) {
                        violations.add("SUBSCRIBED to " + st + " after its STREAM_DESTROYED");
                    }
                    subscribed.add(st);
                }
                case Wire.MEDIA_FRAME -> {
                    String st = r.str();
                    if (!subscribed.contains(st)) {
                        violations.add("MEDIA_FRAME of " + st + " before its SUBSCRIBED or after its STREAM_DESTROYED");
                    }
                    frames.incrementAndGet();
                }
                case Wire.ERROR -> {
                    TestClient.Error e = TestClient.error(m);
                    // Subscribing to a stream that ended meanwhile is the only refusal expected.
                    if (e.code() != ErrorCodes.STREAM_NOT_FOUND) {
                        violations.add("ERROR " + e.code() + " " + e.message());
                    }
                }
                default -> {
                    // SIGNAL: not membership.
                }
            }
        }

        void close() throws IOException {
            closing = true;
            client.close();
        }
    }

    /** One worker: ROUNDS connections in turn, each publishing, subscribing, signalling, sending a little audio,
     *  sometimes unpublishing, then leaving (DISCONNECT or a plain socket close); survivors keep their last one. */
    void work(int w) throws Exception {
        Random random = new Random(w);
        for (int round = 0; round < ROUNDS; round++) {
            boolean last = round == ROUNDS - 1;
            boolean survive = last && w < SURVIVORS;
            TestClient c = TestClient.open(router.mediaUrl());
            try {
                TestClient.Connected me = c.handshake(token(Role.PUBLISHER));
                String stream = c.publishAndWait(round + 1, "w" + w + "r" + round, false);
                List<String> known = new ArrayList<>(observers.get(0).streams.keySet());
                if (!known.isEmpty()) {
                    String target = known.get(random.nextInt(known.size()));
                    c.subscribe(target);
                    // SUBSCRIBED, or ERROR 1601 when the stream ended meanwhile: both name the stream.
                    TestClient.Message answer = c.nextMatching(m -> m.type() == Wire.SUBSCRIBED
                            && m.reader().str().equals(target) || m.type() == Wire.ERROR);
                    if (answer.type() == Wire.ERROR) {
                        TestClient.Error e = TestClient.error(answer);
                        assertThat(e.code()).isEqualTo(ErrorCodes.STREAM_NOT_FOUND);
                        assertThat(e.context()).isEqualTo(target);
                    }
                }
                c.signal("", "round", Integer.toString(round));
                for (int f = 0; f < 3; f++) {
                    c.sendMessage(TestClient.mediaFrame(stream, Wire.MEDIA_AUDIO, 0, f, f, new byte[40]));
                }
                if (!survive && round % 3 == 0) {
                    c.streamCommand(Wire.UNPUBLISH, stream);
                    c.nextMatching(m -> m.type() == Wire.STREAM_DESTROYED && m.reader().str().equals(stream));
                }
                if (survive) {
                    surviving.put(me.connectionId(), stream);
                    survivors.add(c);
                    survivorStreams.put(c, stream);
                    c = null;
                } else if (random.nextBoolean()) {
                    c.sendMessage(new byte[] {(byte) Wire.DISCONNECT});
                    assertThat(c.closedByPeer()).isTrue();
                }
            } finally {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    Set<String> restStreamIds() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create(router.restUrl() + "/v2/project/" + router.applicationId()
                        + "/session/" + sid + "/stream"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + router.generateRestToken()).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        for (JsonNode item : new ObjectMapper().readTree(resp.body()).get("items")) {
            ids.add(item.get("id").asText());
        }
        return ids;
    }

    @Test
    void concurrentJoinsPublishesSubscriptionsAndLeavesLeaveOneConsistentMembership() throws Exception {
        for (int i = 0; i < OBSERVERS; i++) {
            TestClient c = TestClient.open(router.mediaUrl());
            Observer o = new Observer(c, c.handshake(token(Role.SUBSCRIBER)).connectionId());
            observers.add(o);
        }
        observers.forEach(Observer::start);

        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                done.add(pool.submit(() -> {
                    work(worker);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(TIMEOUT_MS * 3, TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(surviving).hasSize(SURVIVORS);

        Set<String> members = new HashSet<>(surviving.keySet());
        observers.forEach(o -> members.add(o.id));
        Set<String> streams = new HashSet<>(surviving.values());
        RouterSession session = router.core().sessions.get(sid);

        Poll.until("the router's counts settle", TIMEOUT_MS, () -> router.stats().connections() == members.size()
                && router.stats().streams() == streams.size());
        for (Observer o : observers) {
            Set<String> others = new HashSet<>(members);
            others.remove(o.id);
            Poll.until("observer " + o.id + " sees the final membership", TIMEOUT_MS,
                    () -> o.connections.equals(others) && o.streams.keySet().equals(streams));
            for (String st : streams) {
                assertThat(o.streams.get(st)).isIn(surviving.keySet());
            }
        }
        // Every observer subscribes to every stream it sees: the surviving streams end up with all of them.
        List<String> observerIds = observers.stream().map(o -> o.id).toList();
        Poll.until("observers subscribed to the surviving streams", TIMEOUT_MS, () -> streams.stream().allMatch(st -> {
            RouterStream s = session.stream(st);
            return s != null && s.subscribers.stream().map(sub -> sub.subscriber.connectionId()).toList()
                    .containsAll(observerIds);
        }));
        // The workers' own frames may all have gone before an observer subscribed (a slow observer
        // thread): one more frame per surviving stream now reaches every observer.
        for (Map.Entry<TestClient, String> e : survivorStreams.entrySet()) {
            e.getKey().sendMessage(TestClient.mediaFrame(e.getValue(), Wire.MEDIA_AUDIO, 0, 3, 3, new byte[40]));
        }
        for (Observer o : observers) {
            Poll.until("observer " + o.id + " got a frame", TIMEOUT_MS, () -> o.frames.get() > 0);
        }

        assertThat(restStreamIds()).isEqualTo(streams);
        assertThat(session.streamsInOrder()).extracting(st -> st.id).containsExactlyInAnyOrderElementsOf(streams);
        List<SessionMember> live = session.members();
        assertThat(live).extracting(SessionMember::connectionId).containsExactlyInAnyOrderElementsOf(members);
        for (RouterStream st : session.streamsInOrder()) {
            assertThat(live).contains(st.publisher);
            for (Subscription sub : st.subscribers) {
                assertThat(live).as("subscriber of " + st.id).contains(sub.subscriber);
                assertThat(session.subscriptionsOf(sub.subscriber)).contains(st.id);
            }
        }
        for (SessionMember m : live) {
            assertThat(streams).as("subscriptions of " + m.connectionId()).containsAll(session.subscriptionsOf(m));
            List<String> published = session.publishedBy(m);
            if (surviving.containsKey(m.connectionId())) {
                assertThat(published).containsExactly(surviving.get(m.connectionId()));
            } else {
                assertThat(published).isEmpty();
            }
        }
        for (Observer o : observers) {
            assertThat(o.violations).as("events seen by observer " + o.id).isEmpty();
            assertThat(o.frames.get()).as("frames forwarded to observer " + o.id).isPositive();
        }
        assertThat(router.stats().protocolErrors()).isZero();
    }
}
