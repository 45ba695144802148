package org.careguard;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * Key-encryption keys by id, and envelope seal/open ({@code cg_keyring}). The newest
 * key seals; every key opens. Thread-safe: share one ring; {@link #close()} once.
 */
public final class KeyRing implements AutoCloseable {
    private static final CareGuardNative C = CareGuardNative.LIB;
    private Pointer handle;

    /** An opened envelope: the plaintext and its authenticated header. */
    public record Opened(byte[] payload, byte[] messageId, long createdAt, long expiresAt, boolean padded,
            String contentType) {}

    public KeyRing() {
        PointerByReference out = new PointerByReference();
        CareGuardException.check(C.cg_keyring_new(out), "cg_keyring_new");
        handle = out.getValue();
    }

    Pointer handle() {
        if (handle == null) {
            throw new IllegalStateException("key ring is closed");
        }
        return handle;
    }

    /** Adds a 32-byte key under {@code keyId}; it becomes the sealing key. */
    public void insert(int keyId, byte[] key) {
        CareGuardException.check(C.cg_keyring_insert(handle(), keyId, key, Args.len(key)), "cg_keyring_insert");
    }

    /** Adds the vault's key {@code keyId} (never leaves native code; destroyed by a wipe). */
    public void insertVaultKek(Vault vault, int keyId, long now) {
        CareGuardException.check(C.cg_keyring_insert_vault_kek(handle(), vault.handle(), keyId, now),
                "cg_keyring_insert_vault_kek");
    }

    /** Removes (and wipes) a key; returns whether it was there. */
    public boolean remove(int keyId) {
        ByteByReference removed = new ByteByReference();
        CareGuardException.check(C.cg_keyring_remove(handle(), keyId, removed), "cg_keyring_remove");
        return removed.getValue() != 0;
    }

    /** The id new envelopes are sealed under, if any. */
    public OptionalInt sealingKeyId() {
        ByteByReference found = new ByteByReference();
        IntByReference id = new IntByReference();
        CareGuardException.check(C.cg_keyring_sealing_key_id(handle(), found, id), "cg_keyring_sealing_key_id");
        return found.getValue() != 0 ? OptionalInt.of(id.getValue()) : OptionalInt.empty();
    }

    /**
     * Seals {@code payload}, bound to a conversation and sender (give the same ids to
     * open). {@code expiresAt} 0 means no expiry; {@code contentType} may be null.
     */
    public byte[] seal(byte[] payload, byte[] conversationId, byte[] senderId, String contentType, long expiresAt,
            boolean pad, long now) {
        CareGuardNative.CgSealOptions options = new CareGuardNative.CgSealOptions();
        byte[] type = contentType == null ? new byte[0] : contentType.getBytes(StandardCharsets.UTF_8);
        Memory typeMemory = null;
        if (type.length > 0) {
            typeMemory = new Memory(type.length);
            typeMemory.write(0, type, 0, type.length);
        }
        options.content_type = typeMemory;
        options.content_type_len = new SizeT(type.length);
        options.expires_at = expiresAt;
        options.pad = (byte) (pad ? 1 : 0);
        CgBytes out = new CgBytes();
        CareGuardException.check(C.cg_envelope_seal(handle(), payload, Args.len(payload), conversationId,
                Args.len(conversationId), senderId, Args.len(senderId), options, now, out), "cg_envelope_seal");
        return out.take();
    }

    /** Opens an envelope at {@code now}; the caller should wipe {@code payload} when done. */
    public Opened open(byte[] envelope, byte[] conversationId, byte[] senderId, long now) {
        CgBytes out = new CgBytes();
        CareGuardNative.CgEnvelopeInfo info = new CareGuardNative.CgEnvelopeInfo();
        CareGuardException.check(C.cg_envelope_open(handle(), envelope, Args.len(envelope), conversationId,
                Args.len(conversationId), senderId, Args.len(senderId), now, out, info), "cg_envelope_open");
        byte[] payload = out.take();
        int n = 0;
        while (n < info.content_type.length && info.content_type[n] != 0) {
            n++;
        }
        return new Opened(payload, info.message_id.clone(), info.created_at, info.expires_at, info.padded != 0,
                new String(info.content_type, 0, n, StandardCharsets.US_ASCII));
    }

    /** A key id derived from the key itself. */
    public static int deriveKeyId(byte[] key) {
        IntByReference out = new IntByReference();
        CareGuardException.check(C.cg_key_id_derive(key, Args.len(key), out), "cg_key_id_derive");
        return out.getValue();
    }

    /** Wipes the keys and releases the ring. */
    @Override
    public void close() {
        if (handle != null) {
            C.cg_keyring_free(handle);
            handle = null;
        }
    }
}
