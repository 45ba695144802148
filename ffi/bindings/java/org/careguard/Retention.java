package org.careguard;

import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.LongByReference;
import java.util.ArrayList;
import java.util.List;

/** Automatic deletion ({@code cg_retention_*}, {@code cg_clock_now}). */
public final class Retention {
    private static final CareGuardNative C = CareGuardNative.LIB;

    private Retention() {}

    /** A policy; null fields are unset (left to the organisation default). */
    public record Policy(Long afterSend, Long afterRead, Long transcriptionHoldMax) {
        CareGuardNative.CgRetentionPolicy toNative() {
            CareGuardNative.CgRetentionPolicy p = new CareGuardNative.CgRetentionPolicy();
            fill(p);
            return p;
        }

        void fill(CareGuardNative.CgRetentionPolicy p) {
            p.has_after_send = (byte) (afterSend != null ? 1 : 0);
            p.after_send = afterSend != null ? afterSend : 0;
            p.has_after_read = (byte) (afterRead != null ? 1 : 0);
            p.after_read = afterRead != null ? afterRead : 0;
            p.has_transcription_hold_max = (byte) (transcriptionHoldMax != null ? 1 : 0);
            p.transcription_hold_max = transcriptionHoldMax != null ? transcriptionHoldMax : 0;
        }

        /** This policy over {@code organisation}. */
        public Policy mergedOver(Policy organisation) {
            CareGuardNative.CgRetentionPolicy out = new CareGuardNative.CgRetentionPolicy();
            CareGuardException.check(C.cg_retention_policy_merge(toNative(), organisation.toNative(), out),
                    "cg_retention_policy_merge");
            return new Policy(out.has_after_send != 0 ? out.after_send : null,
                    out.has_after_read != 0 ? out.after_read : null, out.transcription_hold_max);
        }

        /** The expiry to seal into an envelope sent at {@code sentAt}, or 0 for none. */
        public long expiresAt(long sentAt) {
            ByteByReference has = new ByteByReference();
            LongByReference at = new LongByReference();
            CareGuardException.check(C.cg_retention_expires_at(toNative(), sentAt, has, at),
                    "cg_retention_expires_at");
            return has.getValue() != 0 ? at.getValue() : 0;
        }
    }

    /** A stored message as the sweeper sees it ({@code expiresAt}/{@code readAt} 0 = unset). */
    public record Message(long id, long expiresAt, long readAt, Policy policy, boolean clinical,
            boolean transcribed) {}

    /** A message held for transcription; open it at {@code openTime} to show it. */
    public record Held(long id, long dueAt, long holdUntil, long openTime) {}

    /** What to delete, what is held, when to wake (0 = nothing scheduled). */
    public record Sweep(long[] delete, long[] deletedUntranscribed, List<Held> awaiting, long nextWake) {}

    /** The anti-rollback clock: {@code highWater[0]} is read and advanced (persist it). */
    public static long trustedNow(long[] highWater, long deviceNow) {
        LongByReference hw = new LongByReference(highWater[0]);
        LongByReference now = new LongByReference();
        CareGuardException.check(C.cg_clock_now(hw, deviceNow, now, null), "cg_clock_now");
        highWater[0] = hw.getValue();
        return now.getValue();
    }

    /** Runs the sweeper at trusted time {@code now}. */
    public static Sweep sweep(List<Message> messages, long now) {
        CareGuardNative.CgRetentionMessage first = null;
        if (!messages.isEmpty()) {
            first = new CareGuardNative.CgRetentionMessage();
            CareGuardNative.CgRetentionMessage[] array =
                    (CareGuardNative.CgRetentionMessage[]) first.toArray(messages.size());
            for (int i = 0; i < array.length; i++) {
                Message m = messages.get(i);
                CareGuardNative.CgRetentionMessage n = array[i];
                n.id = m.id();
                n.has_expires_at = (byte) (m.expiresAt() != 0 ? 1 : 0);
                n.expires_at = m.expiresAt();
                n.has_read_at = (byte) (m.readAt() != 0 ? 1 : 0);
                n.read_at = m.readAt();
                n.policy = m.policy().toNative();
                n.clinical = (byte) (m.clinical() ? 1 : 0);
                n.transcribed = (byte) (m.transcribed() ? 1 : 0);
                n.write();
            }
        }
        CareGuardNative.CgSweep out = new CareGuardNative.CgSweep();
        CareGuardException.check(C.cg_retention_sweep(first, new SizeT(messages.size()), now, out),
                "cg_retention_sweep");
        try {
            long[] delete = out.delete_ids == null ? new long[0]
                    : out.delete_ids.getLongArray(0, (int) out.delete_len.longValue());
            long[] untranscribed = out.deleted_untranscribed_ids == null ? new long[0]
                    : out.deleted_untranscribed_ids.getLongArray(0, (int) out.deleted_untranscribed_len.longValue());
            List<Held> held = new ArrayList<>();
            for (int i = 0; i < out.awaiting_len.longValue(); i++) {
                long[] h = out.awaiting.getLongArray(i * 32L, 4);
                held.add(new Held(h[0], h[1], h[2], h[3]));
            }
            return new Sweep(delete, untranscribed, held, out.has_next_wake != 0 ? out.next_wake : 0);
        } finally {
            C.cg_sweep_free(out);
        }
    }
}
