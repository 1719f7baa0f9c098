package dev.otc.e2ee.router;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts media connections that have not completed CONNECT, router-wide and per remote address, so unauthenticated
 * peers cannot hold more than a bounded share of the router (each holds at most one pre-auth message buffer and a
 * handshake timer). Connections accept far less often than frames flow, so one lock is enough.
 */
final class PendingConnections {

    private final int maxTotal;
    private final int maxPerAddress;
    private final RouterStats stats;
    private int total;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();

    PendingConnections(int maxTotal, int maxPerAddress, RouterStats stats) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.stats = stats;
    }

    /** @return null when admitted (release later), else the limit that refused it */
    synchronized LimitRefusal tryAcquire(InetAddress address) {
        if (total >= maxTotal) {
            return LimitRefusal.PRE_AUTH_CONNECTIONS;
        }
        int n = perAddress.getOrDefault(address, 0);
        if (n >= maxPerAddress) {
            return LimitRefusal.PRE_AUTH_CONNECTIONS_PER_ADDRESS;
        }
        perAddress.put(address, n + 1);
        total++;
        stats.pendingConnectionOpened();
        return null;
    }

    synchronized void release(InetAddress address) {
        Integer n = perAddress.get(address);
        if (n == null) {
            throw new IllegalStateException("release without acquire");
        }
        if (n == 1) {
            perAddress.remove(address);
        } else {
            perAddress.put(address, n - 1);
        }
        total--;
        stats.pendingConnectionClosed();
    }

    int maxTotal() {
        return maxTotal;
    }

    int maxPerAddress() {
        return maxPerAddress;
    }
}
