package org.careguard;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The PIN vault ({@code cg_vault}): an unlocked master key that locks itself after an
 * idle timeout. Thread-safe (calls serialise natively); {@link #close()} wipes it.
 */
public final class Vault implements AutoCloseable {
    private static final CareGuardNative C = CareGuardNative.LIB;
    private Pointer handle;

    /** Argon2id parameters. */
    public record KdfParams(int mKib, int tCost, int pCost) {
        CareGuardNative.CgKdfParams toNative() {
            CareGuardNative.CgKdfParams p = new CareGuardNative.CgKdfParams();
            p.m_kib = mKib;
            p.t_cost = tCost;
            p.p_cost = pCost;
            return p;
        }

        static KdfParams fromNative(CareGuardNative.CgKdfParams p) {
            return new KdfParams(p.m_kib, p.t_cost, p.p_cost);
        }

        /** 64 MiB, t = 3, p = 1. */
        public static KdfParams defaults() {
            CareGuardNative.CgKdfParams p = new CareGuardNative.CgKdfParams();
            CareGuardException.check(C.cg_kdf_params_default(p), "cg_kdf_params_default");
            return fromNative(p);
        }

        /** Measures the device (slow: run once, off the UI thread). */
        public static KdfParams calibrate(long targetMs, int maxMKib) {
            CareGuardNative.CgKdfParams p = new CareGuardNative.CgKdfParams();
            CareGuardException.check(C.cg_kdf_params_calibrate(targetMs, maxMKib, p), "cg_kdf_params_calibrate");
            return fromNative(p);
        }
    }

    /** A blob's public state. {@code wipeReason} is 0 (none), 1 PIN failures, 2 remote order, 3 user. */
    public record BlobStatus(boolean wiped, boolean deviceBound, int failures, long lastAttemptAt, KdfParams params,
            int wipeReason, long wipedAt) {}

    /** A vault together with the blob the app must persist. */
    public record Opened(Vault vault, byte[] blob) {}

    /**
     * The app's vault blob storage, written by compare-and-swap: replace the stored blob
     * with {@code newBlob} only if it is byte for byte {@code expected} (atomically; return
     * true only once the write is durable), else write nothing and return false. Anything
     * it throws (a full disk) counts as "not stored": the PIN is then not checked.
     */
    @FunctionalInterface
    public interface BlobStore {
        boolean compareAndSwap(byte[] expected, byte[] newBlob) throws Exception;
    }

    /** A refused unlock, with what the lock screen needs. */
    public static final class UnlockException extends CareGuardException {
        private static final long serialVersionUID = 1L;
        public final int failures;
        public final int remaining;
        /** Unix seconds of the earliest next attempt, or 0. */
        public final long retryAt;

        UnlockException(int status, CareGuardNative.CgUnlockInfo info) {
            super(status, "cg_vault_unlock");
            failures = info.failures;
            remaining = info.remaining;
            retryAt = info.retry_at;
        }
    }

    private Vault(Pointer handle) {
        this.handle = handle;
    }

    Pointer handle() {
        if (handle == null) {
            throw new IllegalStateException("vault is closed");
        }
        return handle;
    }

    /** Reads a stored blob's public state (no PIN needed). */
    public static BlobStatus status(byte[] blob) {
        CareGuardNative.CgBlobStatus s = new CareGuardNative.CgBlobStatus();
        CareGuardException.check(C.cg_vault_status(blob, Args.len(blob), s), "cg_vault_status");
        return new BlobStatus(s.wiped != 0, s.device_bound != 0, s.failures, s.last_attempt_at,
                KdfParams.fromNative(s.params), s.wipe_reason, s.wiped_at);
    }

    /**
     * Creates a vault under {@code pin} and the 32-byte {@code deviceSecret} from the
     * Android Keystore (null for none). {@code params} null means the default.
     */
    public static Opened create(char[] pin, byte[] deviceSecret, KdfParams params, long idleTimeout, long now) {
        byte[] pinBytes = Args.pinBytes(pin);
        try {
            PointerByReference vault = new PointerByReference();
            CgBytes blob = new CgBytes();
            CareGuardException.check(C.cg_vault_create(pinBytes, Args.len(pinBytes), deviceSecret,
                    Args.len(deviceSecret), params == null ? null : params.toNative(), idleTimeout, now, vault,
                    blob), "cg_vault_create");
            return new Opened(new Vault(vault.getValue()), blob.take());
        } finally {
            Args.wipe(pinBytes);
        }
    }

    /**
     * Unlocks a stored blob; pass the blob just read from storage, never a cached copy.
     * {@code store} is called first to swap {@code blob} for the blob that already counts
     * this attempt; only if it returns true is the PIN checked. If it returns false the
     * call throws {@code STALE_BLOB} (read the blob again and retry); if it throws, the
     * call throws {@code PERSIST_FAILED} with the store's exception as suppressed. On
     * success persist {@link Opened#blob()} too (the counter reset).
     *
     * @throws UnlockException on a wrong PIN, a lockout or a reached limit
     */
    public static Opened unlock(byte[] blob, char[] pin, byte[] deviceSecret, long idleTimeout, long now,
            BlobStore store) {
        byte[] pinBytes = Args.pinBytes(pin);
        try {
            Throwable[] thrown = {null};
            CareGuardNative.PersistFn persist = (context, expected, expectedLen, data, len) -> {
                // Nothing may escape to JNA, which would return 0 to C: only a true from
                // the store is success.
                try {
                    return store.compareAndSwap(expected.getByteArray(0, (int) expectedLen.longValue()),
                            data.getByteArray(0, (int) len.longValue())) ? CareGuardNative.PERSIST_STORED
                                    : CareGuardNative.PERSIST_STALE;
                } catch (Throwable t) {
                    thrown[0] = t;
                    return -1;
                }
            };
            PointerByReference vault = new PointerByReference();
            CgBytes reset = new CgBytes();
            CareGuardNative.CgUnlockInfo info = new CareGuardNative.CgUnlockInfo();
            int status = C.cg_vault_unlock(blob, Args.len(blob), pinBytes, Args.len(pinBytes), deviceSecret,
                    Args.len(deviceSecret), null, idleTimeout, now, persist, null, vault, reset, info);
            if (status == Status.WRONG_PIN || status == Status.LOCKED_OUT || status == Status.WIPE_REQUIRED) {
                throw new UnlockException(status, info);
            }
            if (status != Status.OK) {
                CareGuardException e = new CareGuardException(status, "cg_vault_unlock");
                if (thrown[0] != null) {
                    e.addSuppressed(thrown[0]);
                }
                throw e;
            }
            return new Opened(new Vault(vault.getValue()), reset.take());
        } finally {
            Args.wipe(pinBytes);
        }
    }

    /** Records activity; throws {@code VAULT_LOCKED} if it locked itself. */
    public void touch(long now) {
        CareGuardException.check(C.cg_vault_touch(handle(), now), "cg_vault_touch");
    }

    /** The idle check for the app's timer: returns whether the vault is (now) locked. */
    public boolean lockIfIdle(long now) {
        ByteByReference locked = new ByteByReference();
        LongByReference locksAt = new LongByReference();
        CareGuardException.check(C.cg_vault_lock_if_idle(handle(), now, locked, locksAt), "cg_vault_lock_if_idle");
        return locked.getValue() != 0;
    }

    /** Locks now, wiping the master key. */
    public void lock() {
        CareGuardException.check(C.cg_vault_lock(handle()), "cg_vault_lock");
    }

    /** Re-wraps under a new PIN; returns the new blob to persist atomically. */
    public byte[] changePin(char[] newPin, byte[] deviceSecret, KdfParams params, long now) {
        byte[] pinBytes = Args.pinBytes(newPin);
        try {
            CgBytes out = new CgBytes();
            CareGuardException.check(C.cg_vault_change_pin(handle(), pinBytes, Args.len(pinBytes), deviceSecret,
                    Args.len(deviceSecret), params == null ? null : params.toNative(), now, out),
                    "cg_vault_change_pin");
            return out.take();
        } finally {
            Args.wipe(pinBytes);
        }
    }

    /** Encrypts a secret under the vault (destroyed with it). */
    public byte[] wrapSecret(String label, byte[] secret, long now) {
        byte[] l = Args.utf8(label);
        CgBytes out = new CgBytes();
        CareGuardException.check(C.cg_vault_wrap_secret(handle(), l, Args.len(l), secret, Args.len(secret), now,
                out), "cg_vault_wrap_secret");
        return out.take();
    }

    /** Reverses {@link #wrapSecret}; wipe the result when done. */
    public byte[] unwrapSecret(String label, byte[] wrapped, long now) {
        byte[] l = Args.utf8(label);
        CgBytes out = new CgBytes();
        CareGuardException.check(C.cg_vault_unwrap_secret(handle(), l, Args.len(l), wrapped, Args.len(wrapped),
                now, out), "cg_vault_unwrap_secret");
        return out.take();
    }

    /** Wipes the master key and releases the handle. */
    @Override
    public void close() {
        if (handle != null) {
            C.cg_vault_free(handle);
            handle = null;
        }
    }
}
