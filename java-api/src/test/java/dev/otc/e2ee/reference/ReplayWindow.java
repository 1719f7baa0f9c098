package dev.otc.e2ee.reference;

/**
 * FORMAT.md sec. 5 step 4: the last 1024 counters of one KID. A counter is a replay when it was
 * accepted already or lies more than 1023 below the highest accepted one. Counters are unsigned.
 */
public final class ReplayWindow {
    public static final int SIZE = 1024;

    private final boolean[] seen = new boolean[SIZE];
    private boolean empty = true;
    private long highest;

    public boolean isReplay(long ctr) {
        if (empty || Long.compareUnsigned(ctr, highest) > 0) {
            return false;
        }
        long below = highest - ctr;
        return Long.compareUnsigned(below, SIZE - 1) > 0 || seen[slot(ctr)];
    }

    /** Records a verified counter that {@link #isReplay} accepted. */
    public void accept(long ctr) {
        if (empty) {
            empty = false;
            highest = ctr;
        } else if (Long.compareUnsigned(ctr, highest) > 0) {
            long advance = ctr - highest;
            if (Long.compareUnsigned(advance, SIZE) >= 0) {
                java.util.Arrays.fill(seen, false);
            } else {
                // Slots of the counters the window slides over now stand for the new ones, unseen.
                for (long c = highest + 1; c != ctr + 1; c++) {
                    seen[slot(c)] = false;
                }
            }
            highest = ctr;
        }
        seen[slot(ctr)] = true;
    }

    private static int slot(long ctr) {
        return (int) (ctr & (SIZE - 1));
    }
}
