package org.careguard;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;

/** Remote and local wipe ({@code cg_wipe_*}). */
public final class Wipe {
    private static final CareGuardNative C = CareGuardNative.LIB;

    private Wipe() {}

    /** {@code cg_local_wipe_reason}. */
    public static final int LOCAL_PIN_FAILURES = 1;
    public static final int LOCAL_USER_REQUEST = 2;

    /** The tombstone to store in place of the blob, and the order's counter to persist. */
    public record Outcome(byte[] tombstone, long acceptedCounter) {}

    /**
     * Verifies a signed wipe order for this device and this enrolment of it ({@code enrolment}:
     * the epoch drawn at random when the app enrolled, anew after every reset) and, if valid,
     * locks {@code vault} (may be null) and returns the tombstone. {@code lastAccepted} null if
     * none yet. Then: store the tombstone, persist the counter, delete messages and the device
     * secret from the Keystore.
     */
    public static Outcome verifyAndExecute(byte[] order, byte[] orgPublicKey, byte[] deviceId, long enrolment,
            Long lastAccepted, Vault vault, long now) {
        CgBytes tomb = new CgBytes();
        LongByReference counter = new LongByReference();
        LongByReference last = lastAccepted == null ? null : new LongByReference(lastAccepted);
        Pointer v = vault == null ? null : vault.handle();
        CareGuardException.check(C.cg_wipe_verify_and_execute(order, Args.len(order), orgPublicKey,
                Args.len(orgPublicKey), deviceId, Args.len(deviceId), enrolment, last, v, now, tomb, counter),
                "cg_wipe_verify_and_execute");
        return new Outcome(tomb.take(), counter.getValue());
    }

    /** A local wipe ({@link #LOCAL_PIN_FAILURES} or {@link #LOCAL_USER_REQUEST}). */
    public static byte[] local(int reason, Vault vault, long now) {
        CgBytes tomb = new CgBytes();
        CareGuardException.check(C.cg_wipe_local(reason, vault == null ? null : vault.handle(), now, tomb),
                "cg_wipe_local");
        return tomb.take();
    }

    /** Organisation side: signs an order (admin tools and tests). */
    public static byte[] signOrder(byte[] deviceId, long enrolment, long counter, long issuedAt, byte[] orgSeed) {
        CgBytes out = new CgBytes();
        CareGuardException.check(C.cg_wipe_order_sign(deviceId, Args.len(deviceId), enrolment, counter, issuedAt,
                orgSeed,
                Args.len(orgSeed), out), "cg_wipe_order_sign");
        return out.take();
    }

    /** Organisation side: the public key for a seed. */
    public static byte[] orgPublicKey(byte[] orgSeed) {
        CgBytes out = new CgBytes();
        CareGuardException.check(C.cg_wipe_org_public_key(orgSeed, Args.len(orgSeed), out),
                "cg_wipe_org_public_key");
        return out.take();
    }
}
