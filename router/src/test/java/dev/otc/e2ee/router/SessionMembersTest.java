package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The session's membership bookkeeping on its own: each operation's result, its refusals, what it leaves behind. */
class SessionMembersTest {

    final RouterStats stats = new RouterStats();
    final RouterLimits limits = RouterLimits.builder().maxConnectionsPerSession(3).maxStreamsPerConnection(2)
            .maxStreamsPerSession(3).build();
    final SessionMembers members = new SessionMembers(true, limits, stats);
    long sequence;

    static SessionMember member(String id) {
        return new SessionMember(id, "data-" + id, 1000, null, null);
    }

    /** New members with these ids, joined in this order. */
    List<SessionMember> joined(String... ids) throws ProtocolException {
        List<SessionMember> list = new java.util.ArrayList<>();
        for (String id : ids) {
            SessionMember m = member(id);
            members.join(m);
            list.add(m);
        }
        return list;
    }

    RouterStream publish(SessionMember m, String name) throws ProtocolException {
        return publish(m, name, "");
    }

    RouterStream publish(SessionMember m, String name, String resume) throws ProtocolException {
        return members.publish(m, new SessionMembers.PublishRequest(7, name, true, true, 1, 16, resume), ++sequence, 5);
    }

    static List<String> ids(List<RouterStream> streams) {
        return streams.stream().map(s -> s.id).toList();
    }

    @Test
    void joinReturnsTheEarlierMembersAndLiveStreamsInOrderAndRefusesPastTheCap() throws Exception {
        SessionMember a = member("a");
        SessionMember b = member("b");
        SessionMember c = member("c");
        assertThat(members.join(a).others()).isEmpty();
        RouterStream s1 = publish(a, "one");
        RouterStream s2 = publish(a, "two");
        SessionMembers.Joined jb = members.join(b);
        assertThat(jb.others()).containsExactly(a);
        assertThat(ids(jb.streams())).containsExactly(s1.id, s2.id);
        assertThat(jb.streams().get(0).publisher).isSameAs(a);
        assertThat(jb.streams().get(0).e2ee).isTrue();
        assertThat(members.join(c).others()).containsExactly(a, b);

        assertThatThrownBy(() -> members.join(member("d")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code).isEqualTo(ErrorCodes.SESSION_FULL);
                    assertThat(e.fatal).isTrue();
                    assertThat(e).hasMessage("the session is full: it has its maximum of 3 connections");
                });
        assertThat(stats.refusals(LimitRefusal.CONNECTIONS_PER_SESSION)).isEqualTo(1);
        assertThat(members.members()).containsExactly(a, b, c);
    }

    @Test
    void publishLimitsRefuseBeforeAnyChange() throws Exception {
        List<SessionMember> m = joined("a", "b");
        SessionMember a = m.get(0);
        SessionMember b = m.get(1);
        publish(a, "1");
        publish(a, "2");
        assertThatThrownBy(() -> publish(a, "3")).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code).isEqualTo(ErrorCodes.STREAM_LIMIT);
            assertThat(e.fatal).isFalse();
            assertThat(e.context).isEqualTo("7");
            assertThat(e).hasMessage("stream limit: this connection already publishes 2 streams");
        });
        publish(b, "3");
        assertThatThrownBy(() -> publish(b, "4")).isInstanceOfSatisfying(ProtocolException.class, e ->
                assertThat(e).hasMessage("stream limit: the session already has 3 streams"));
        assertThat(stats.refusals(LimitRefusal.STREAMS_PER_CONNECTION)).isEqualTo(1);
        assertThat(stats.refusals(LimitRefusal.STREAMS_PER_SESSION)).isEqualTo(1);
        assertThat(members.streamsInOrder()).hasSize(3);
        assertThat(stats.streams()).isEqualTo(3);
        assertThat(members.publishedBy(a)).hasSize(2);
        assertThat(members.publishedBy(b)).hasSize(1);
    }

    @Test
    void aStreamIdIsResumedOnlyWhenTheSessionHadItAndNoLiveStreamHasIt() throws Exception {
        List<SessionMember> m = joined("a", "b");
        SessionMember a = m.get(0);
        SessionMember b = m.get(1);
        RouterStream live = publish(a, "cam");
        assertThat(publish(b, "x", live.id).id).as("a live stream's id is not taken").isNotEqualTo(live.id);
        assertThat(publish(b, "y", "made-up").id).as("an id the session never had").isNotEqualTo("made-up");
        members.unpublish(a, live.id);
        assertThat(publish(a, "again", live.id).id).isEqualTo(live.id);

        members.rememberStreamId("from-the-old-node");
        members.unpublish(b, members.publishedBy(b).get(0));
        assertThat(publish(b, "moved", "from-the-old-node").id).isEqualTo("from-the-old-node");
    }

    @Test
    void unpublishIsTheOwnersAndRemovesEverySubscriptionToTheStream() throws Exception {
        List<SessionMember> m = joined("a", "b", "c");
        SessionMember a = m.get(0);
        SessionMember b = m.get(1);
        SessionMember c = m.get(2);
        RouterStream st = publish(a, "cam");
        assertThat(members.subscribe(b, members.requireStream(st.id))).isTrue();
        assertThat(members.subscribe(b, st)).as("idempotent").isFalse();
        assertThat(members.subscribe(c, st)).isTrue();
        assertThat(st.subscribers).extracting(s -> s.subscriber).containsExactly(b, c);
        assertThat(members.subscription(b, st.id).stream).isSameAs(st);

        assertThatThrownBy(() -> members.unpublish(b, st.id)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code).isEqualTo(ErrorCodes.STREAM_NOT_FOUND);
            assertThat(e).hasMessage("no stream " + st.id + " published by this connection");
        });
        assertThat(members.unpublish(a, st.id)).isSameAs(st);
        assertThat(members.stream(st.id)).isNull();
        assertThat(st.subscribers).isEmpty();
        assertThat(members.subscriptionsOf(b)).isEmpty();
        assertThat(members.subscriptionsOf(c)).isEmpty();
        assertThat(members.publishedBy(a)).isEmpty();
        assertThat(stats.streams()).isZero();
        assertThatThrownBy(() -> members.requireStream(st.id)).isInstanceOfSatisfying(ProtocolException.class, e ->
                assertThat(e).hasMessage("no stream " + st.id));
        assertThatThrownBy(() -> members.unsubscribe(b, st.id)).isInstanceOfSatisfying(ProtocolException.class, e ->
                assertThat(e).hasMessage("not subscribed to stream " + st.id));
        assertThatThrownBy(() -> members.subscribe(b, st)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unsubscribeTakesOnlyThatSubscriberOffTheStream() throws Exception {
        List<SessionMember> m = joined("a", "b");
        SessionMember a = m.get(0);
        SessionMember b = m.get(1);
        RouterStream st = publish(a, "cam");
        members.subscribe(a, st);
        members.subscribe(b, st);
        members.unsubscribe(b, st.id);
        assertThat(st.subscribers).extracting(s -> s.subscriber).containsExactly(a);
        assertThat(members.subscription(b, st.id)).isNull();
        assertThat(members.subscriptionsOf(a)).containsExactly(st.id);
    }

    @Test
    void signalTargetsAreTheOthersOrTheNamedMember() throws Exception {
        List<SessionMember> m = joined("a", "b", "c");
        SessionMember a = m.get(0);
        SessionMember b = m.get(1);
        SessionMember c = m.get(2);
        assertThat(members.signalTargets(b, "")).containsExactly(a, c);
        assertThat(members.signalTargets(b, "c")).containsExactly(c);
        assertThat(members.signalTargets(b, "b")).containsExactly(b);
        assertThatThrownBy(() -> members.signalTargets(b, "zz")).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code).isEqualTo(ErrorCodes.NOT_CONNECTED);
            assertThat(e.context).isEqualTo("zz");
            assertThat(e).hasMessage("no connection zz in this session");
        });
    }

    @Test
    void leaveDestroysTheMembersStreamsAndDropsItsSubscriptionsOnce() throws Exception {
        List<SessionMember> m = joined("a", "b", "c");
        SessionMember a = m.get(0);
        SessionMember b = m.get(1);
        SessionMember c = m.get(2);
        RouterStream a1 = publish(a, "a1");
        RouterStream a2 = publish(a, "a2");
        RouterStream b1 = publish(b, "b1");
        members.subscribe(a, b1);     // the leaver subscribes to someone else's stream
        members.subscribe(a, a1);     // and to its own
        members.subscribe(b, a1);     // others subscribe to the leaver's streams
        members.subscribe(c, a2);
        members.subscribe(c, b1);

        SessionMembers.Left left = members.leave(a);
        assertThat(ids(left.destroyed())).containsExactly(a1.id, a2.id);
        assertThat(left.remaining()).containsExactly(b, c);
        assertThat(ids(members.streamsInOrder())).containsExactly(b1.id);
        assertThat(a1.subscribers).isEmpty();
        assertThat(a2.subscribers).isEmpty();
        assertThat(b1.subscribers).extracting(s -> s.subscriber).containsExactly(c);
        assertThat(members.subscriptionsOf(b)).isEmpty();
        assertThat(members.subscriptionsOf(c)).containsExactly(b1.id);
        assertThat(stats.streams()).isEqualTo(1);
        assertThat(members.members()).containsExactly(b, c);

        assertThat(members.leave(a)).as("leaves once").isNull();
        assertThatThrownBy(() -> publish(a, "late")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> members.signalTargets(a, "")).isInstanceOf(IllegalStateException.class);
        // A stranger with a member's id is not that member.
        assertThat(members.leave(member("b"))).isNull();
        assertThat(members.members()).containsExactly(b, c);

        members.leave(b);
        SessionMembers.Left last = members.leave(c);
        assertThat(last.destroyed()).isEmpty();
        assertThat(last.remaining()).isEmpty();
        assertThat(members.memberCount()).isZero();
        assertThat(members.streamsInOrder()).isEmpty();
        assertThat(stats.streams()).isZero();
    }
}
