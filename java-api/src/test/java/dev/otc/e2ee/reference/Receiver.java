package dev.otc.e2ee.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A receiver of FORMAT.md sec. 5: finds the secret by the fingerprint in the KID, learns a KID only
 * from a frame that verified, keeps a replay window per KID and at most 1024 KIDs (LRU).
 * Retained secrets are managed by the caller (the grace period of sec. 6 is a clock the tests drive).
 */
public final class Receiver implements AutoCloseable {
    public static final int MAX_SENDERS = 1024;

    private final Suite suite;
    private final List<byte[]> masterKeys = new ArrayList<>();
    private final LinkedHashMap<Long, Entry> senders = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Entry> eldest) {
            if (size() > MAX_SENDERS) {
                eldest.getValue().keys.wipe();
                return true;
            }
            return false;
        }
    };

    private static final class Entry {
        final byte[] masterKey;
        final KeySchedule.KeyAndSalt keys;
        final ReplayWindow window = new ReplayWindow();

        Entry(byte[] masterKey, KeySchedule.KeyAndSalt keys) {
            this.masterKey = masterKey;
            this.keys = keys;
        }
    }

    public Receiver(Suite suite) {
        this.suite = suite;
    }

    /** Retains a secret (by its master key, copied). */
    public void addSecret(byte[] masterKey) {
        masterKeys.add(masterKey.clone());
    }

    /** Forgets a secret and every KID learnt under it. */
    public void removeSecret(byte[] masterKey) {
        for (var it = masterKeys.iterator(); it.hasNext(); ) {
            byte[] held = it.next();
            if (Arrays.equals(held, masterKey)) {
                senders.values().removeIf(e -> {
                    if (e.masterKey == held) {
                        e.keys.wipe();
                        return true;
                    }
                    return false;
                });
                Arrays.fill(held, (byte) 0);
                it.remove();
            }
        }
    }

    public int knownSenders() {
        return senders.size();
    }

    public byte[] unprotect(byte[] metadata, byte[] frame) throws FrameRejectedException {
        Header header = SFrame.parse(suite, frame);
        int fingerprint = Kid.fingerprint(header.kid());
        List<byte[]> candidates = new ArrayList<>();
        for (byte[] m : masterKeys) {
            if (Fingerprint.of(m) == fingerprint) {
                candidates.add(m);
            }
        }
        if (candidates.isEmpty()) {
            throw new FrameRejectedException(FrameRejectedException.Reason.SECRET_MISMATCH);
        }
        Entry known = senders.get(header.kid());
        if (known != null && known.window.isReplay(header.ctr())) {
            throw new FrameRejectedException(FrameRejectedException.Reason.REPLAYED);
        }
        for (byte[] master : candidates) {
            boolean fresh = known == null || known.masterKey != master;
            KeySchedule.KeyAndSalt keys = fresh ? derive(master, header.kid()) : known.keys;
            byte[] plaintext;
            try {
                plaintext = SFrame.unprotect(suite, keys, header, metadata, frame);
            } catch (FrameRejectedException e) {
                if (fresh) {
                    keys.wipe();
                }
                continue;
            }
            Entry entry = fresh ? new Entry(master, keys) : known;
            if (fresh) {
                if (known != null) {
                    known.keys.wipe();
                }
                senders.put(header.kid(), entry);
            }
            entry.window.accept(header.ctr());
            return plaintext;
        }
        throw new FrameRejectedException(FrameRejectedException.Reason.AUTHENTICATION_FAILED);
    }

    private KeySchedule.KeyAndSalt derive(byte[] master, long kid) {
        byte[] baseKey = BaseKey.derive(master, kid, suite);
        try {
            return KeySchedule.derive(suite, kid, baseKey);
        } finally {
            Arrays.fill(baseKey, (byte) 0);
        }
    }

    @Override
    public void close() {
        senders.values().forEach(e -> e.keys.wipe());
        senders.clear();
        masterKeys.forEach(m -> Arrays.fill(m, (byte) 0));
        masterKeys.clear();
    }

    @Override
    public String toString() {
        return "Receiver[suite=" + suite + ", secrets=" + masterKeys.size() + ", senders=" + senders.size() + "]";
    }
}
