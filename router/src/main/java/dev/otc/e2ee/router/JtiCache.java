package dev.otc.e2ee.router;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * REST token ids already used, each kept until the token could no longer be accepted anyway, so a captured token
 * cannot be replayed within its lifetime. Memory is bounded: past {@code capacity} entries the oldest is forgotten
 * (and counted) rather than refusing new tokens, because only the holder of the application key can mint tokens, and
 * an application busier than the cache must keep working; a forgotten id is then replayable for the rest of its
 * (short, bounded) lifetime.
 */
final class JtiCache {

    /** Longer ids are refused: an entry's size must stay small for the bound above to mean something. */
    static final int MAX_JTI_CHARS = 256;

    private final int capacity;
    private final RouterStats stats;
    /** Insertion order; value: epoch millis after which the id can be forgotten. */
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    JtiCache(int capacity, RouterStats stats) {
        this.capacity = capacity;
        this.stats = stats;
    }

    /** @return true the first time {@code jti} is seen while remembered, false for a replay */
    synchronized boolean firstUse(String jti, long keepUntilMs, long nowMs) {
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        // Entries are roughly in expiry order (lifetimes are bounded), so expired ones gather at the head.
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() >= nowMs) {
                break;
            }
            it.remove();
        }
        Long until = seen.get(jti);
        if (until != null && until >= nowMs) {
            return false;
        }
        seen.put(jti, keepUntilMs);
        if (seen.size() > capacity) {
            it = seen.entrySet().iterator();
            it.next();
            it.remove();
            stats.jtiForgotten();
        }
        return true;
    }

    synchronized int size() {
        return seen.size();
    }
}
