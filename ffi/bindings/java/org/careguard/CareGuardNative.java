package org.careguard;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * Raw JNA mapping of ffi/include/careguard.h, one method per C function. Apps use
 * {@link KeyRing}, {@link Vault} and {@link Wipe} instead. Every {@code int} return
 * value is a {@code cg_status}; C {@code bool} maps to {@code byte}; {@code size_t}
 * to {@link SizeT}.
 */
public interface CareGuardNative extends Library {
    /** Loaded from {@code libcareguard_ffi.so} (on Android: jniLibs/ABI/). */
    CareGuardNative LIB = Native.load("careguard_ffi", CareGuardNative.class);

    /** {@code cg_persist_fn}: return 0 only once the blob is durably stored. */
    interface PersistFn extends Callback {
        int invoke(Pointer context, Pointer blob, SizeT blobLen);
    }

    /** {@code cg_kdf_params}. */
    @Structure.FieldOrder({"m_kib", "t_cost", "p_cost"})
    class CgKdfParams extends Structure {
        public int m_kib;
        public int t_cost;
        public int p_cost;
    }

    /** {@code cg_blob_status}. */
    @Structure.FieldOrder({"wiped", "device_bound", "failures", "last_attempt_at", "params", "wipe_reason", "wiped_at"})
    class CgBlobStatus extends Structure {
        public byte wiped;
        public byte device_bound;
        public int failures;
        public long last_attempt_at;
        public CgKdfParams params;
        public int wipe_reason;
        public long wiped_at;
    }

    /** {@code cg_unlock_info}. */
    @Structure.FieldOrder({"failures", "remaining", "retry_at"})
    class CgUnlockInfo extends Structure {
        public int failures;
        public int remaining;
        public long retry_at;
    }

    /** {@code cg_seal_options}. */
    @Structure.FieldOrder({"content_type", "content_type_len", "expires_at", "pad"})
    class CgSealOptions extends Structure {
        public Pointer content_type;
        public SizeT content_type_len = new SizeT();
        public long expires_at;
        public byte pad;
    }

    /** {@code cg_envelope_info}. */
    @Structure.FieldOrder({"message_id", "created_at", "expires_at", "padded", "content_type"})
    class CgEnvelopeInfo extends Structure {
        public byte[] message_id = new byte[16];
        public long created_at;
        public long expires_at;
        public byte padded;
        public byte[] content_type = new byte[129];
    }

    String cg_version();

    String cg_status_name(int status);

    String cg_last_error_message();

    void cg_bytes_free(CgBytes bytes);

    void cg_string_free(Pointer text);

    int cg_key_generate(CgBytes out);

    // key ring and envelopes
    int cg_keyring_new(PointerByReference out);

    int cg_keyring_insert(Pointer keyring, int keyId, byte[] key, SizeT keyLen);

    int cg_keyring_insert_vault_kek(Pointer keyring, Pointer vault, int keyId, long now);

    int cg_keyring_remove(Pointer keyring, int keyId, ByteByReference outRemoved);

    int cg_keyring_sealing_key_id(Pointer keyring, ByteByReference outFound, IntByReference outKeyId);

    int cg_key_id_derive(byte[] key, SizeT keyLen, IntByReference out);

    void cg_keyring_free(Pointer keyring);

    int cg_envelope_seal(Pointer keyring, byte[] payload, SizeT payloadLen, byte[] conversationId,
            SizeT conversationIdLen, byte[] senderId, SizeT senderIdLen, CgSealOptions options, long now,
            CgBytes out);

    int cg_envelope_open(Pointer keyring, byte[] envelope, SizeT envelopeLen, byte[] conversationId,
            SizeT conversationIdLen, byte[] senderId, SizeT senderIdLen, long now, CgBytes outPayload,
            CgEnvelopeInfo outInfo);

    // vault
    int cg_kdf_params_default(CgKdfParams out);

    int cg_kdf_params_calibrate(long targetMs, int maxMKib, CgKdfParams out);

    int cg_vault_status(byte[] blob, SizeT blobLen, CgBlobStatus out);

    int cg_vault_create(byte[] pin, SizeT pinLen, byte[] deviceSecret, SizeT deviceSecretLen, CgKdfParams params,
            long idleTimeout, long now, PointerByReference outVault, CgBytes outBlob);

    int cg_vault_unlock(byte[] blob, SizeT blobLen, byte[] pin, SizeT pinLen, byte[] deviceSecret,
            SizeT deviceSecretLen, Pointer policy, long idleTimeout, long now, PersistFn persist, Pointer context,
            PointerByReference outVault, CgBytes outBlob, CgUnlockInfo outInfo);

    int cg_vault_touch(Pointer vault, long now);

    int cg_vault_lock_if_idle(Pointer vault, long now, ByteByReference outLocked, LongByReference outLocksAt);

    int cg_vault_lock(Pointer vault);

    int cg_vault_change_pin(Pointer vault, byte[] newPin, SizeT newPinLen, byte[] deviceSecret,
            SizeT deviceSecretLen, CgKdfParams params, long now, CgBytes outBlob);

    int cg_vault_wrap_secret(Pointer vault, byte[] label, SizeT labelLen, byte[] secret, SizeT secretLen, long now,
            CgBytes out);

    int cg_vault_unwrap_secret(Pointer vault, byte[] label, SizeT labelLen, byte[] wrapped, SizeT wrappedLen,
            long now, CgBytes out);

    void cg_vault_free(Pointer vault);

    // wipe
    int cg_wipe_verify_and_execute(byte[] order, SizeT orderLen, byte[] orgPublicKey, SizeT orgPublicKeyLen,
            byte[] deviceId, SizeT deviceIdLen, LongByReference lastAccepted, Pointer vault, long now,
            CgBytes outTombstone, LongByReference outAcceptedCounter);

    int cg_wipe_local(int reason, Pointer vault, long now, CgBytes outTombstone);

    int cg_wipe_order_sign(byte[] deviceId, SizeT deviceIdLen, long counter, long issuedAt, byte[] orgSeed,
            SizeT orgSeedLen, CgBytes out);

    int cg_wipe_org_public_key(byte[] orgSeed, SizeT orgSeedLen, CgBytes out);
}
