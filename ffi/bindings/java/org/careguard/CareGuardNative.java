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

    /** {@code CG_PERSIST_STORED}: the only value a {@link PersistFn} returns on success. */
    int PERSIST_STORED = 0x53544F52;
    /** {@code CG_PERSIST_STALE}: the stored blob was not {@code expected}; nothing was written. */
    int PERSIST_STALE = 0x5354414C;

    /**
     * {@code cg_persist_fn}: a compare-and-swap from {@code expected} to {@code blob};
     * returns {@link #PERSIST_STORED} only once the blob is durably stored. JNA returns 0
     * to C when a callback throws, which careguard treats as a failure; use
     * {@link Vault#unlock}, which catches everything its store throws.
     */
    interface PersistFn extends Callback {
        int invoke(Pointer context, Pointer expected, SizeT expectedLen, Pointer blob, SizeT blobLen);
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

    /** {@code cg_finding}. */
    @Structure.FieldOrder({"kind", "rule", "start", "end", "start_utf16", "end_utf16", "confidence", "subject"})
    class CgFinding extends Structure {
        public String kind;
        public String rule;
        public SizeT start;
        public SizeT end;
        public SizeT start_utf16;
        public SizeT end_utf16;
        public float confidence;
        public String subject;
    }

    /** {@code cg_recipient_trust}. */
    @Structure.FieldOrder({"verification", "key_changed"})
    class CgRecipientTrust extends Structure {
        public int verification;
        public byte key_changed;
    }

    /** {@code cg_policy_context}. */
    @Structure.FieldOrder({"conversation", "platform_approved", "emergency", "recipients", "recipients_len"})
    class CgPolicyContext extends Structure {
        public int conversation;
        public byte platform_approved;
        public byte emergency;
        public Pointer recipients;
        public SizeT recipients_len = new SizeT();
    }

    /** {@code cg_decision_summary}. */
    @Structure.FieldOrder({"verdict", "reasons_len", "suggestion"})
    class CgDecisionSummary extends Structure {
        public int verdict;
        public SizeT reasons_len;
        public Pointer suggestion;
    }

    /** {@code cg_reason}. */
    @Structure.FieldOrder({"code", "guidance", "message"})
    class CgReason extends Structure {
        public Pointer code;
        public Pointer guidance;
        public Pointer message;
    }

    /** {@code cg_retention_policy}. */
    @Structure.FieldOrder({"has_after_send", "after_send", "has_after_read", "after_read",
            "has_transcription_hold_max", "transcription_hold_max"})
    class CgRetentionPolicy extends Structure {
        public byte has_after_send;
        public long after_send;
        public byte has_after_read;
        public long after_read;
        public byte has_transcription_hold_max;
        public long transcription_hold_max;
    }

    /** {@code cg_retention_message}. */
    @Structure.FieldOrder({"id", "has_expires_at", "expires_at", "has_read_at", "read_at", "policy", "clinical",
            "transcribed"})
    class CgRetentionMessage extends Structure {
        public long id;
        public byte has_expires_at;
        public long expires_at;
        public byte has_read_at;
        public long read_at;
        public CgRetentionPolicy policy;
        public byte clinical;
        public byte transcribed;
    }

    /** {@code cg_sweep}. */
    @Structure.FieldOrder({"delete_ids", "delete_len", "deleted_untranscribed_ids", "deleted_untranscribed_len",
            "awaiting", "awaiting_len", "has_next_wake", "next_wake"})
    class CgSweep extends Structure {
        public Pointer delete_ids;
        public SizeT delete_len;
        public Pointer deleted_untranscribed_ids;
        public SizeT deleted_untranscribed_len;
        public Pointer awaiting;
        public SizeT awaiting_len;
        public byte has_next_wake;
        public long next_wake;
    }

    /** {@code cg_card_info}. */
    @Structure.FieldOrder({"staff_id", "display_name", "device_id", "created_at", "expires_at", "attested"})
    class CgCardInfo extends Structure {
        public Pointer staff_id;
        public Pointer display_name;
        public byte[] device_id = new byte[16];
        public long created_at;
        public long expires_at;
        public byte attested;
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
            byte[] deviceId, SizeT deviceIdLen, long enrolment, LongByReference lastAccepted, Pointer vault, long now,
            CgBytes outTombstone, LongByReference outAcceptedCounter);

    int cg_wipe_local(int reason, Pointer vault, long now, CgBytes outTombstone);

    int cg_wipe_order_sign(byte[] deviceId, SizeT deviceIdLen, long enrolment, long counter, long issuedAt,
            byte[] orgSeed,
            SizeT orgSeedLen, CgBytes out);

    int cg_wipe_org_public_key(byte[] orgSeed, SizeT orgSeedLen, CgBytes out);

    // safe sending, audit log, Trust policy packs
    int cg_notification_text(byte[] envelope, SizeT envelopeLen, int detail, byte[] conversation,
            SizeT conversationLen, byte[] sender, SizeT senderLen, PointerByReference out);

    int cg_audit_log_verify(byte[] log, SizeT logLen, byte[] devicePublicKey, SizeT devicePublicKeyLen,
            byte[] expectedHead, SizeT expectedHeadLen, LongByReference outRecords, CgBytes outHead);

    int cg_trust_pack_verify(byte[] pack, SizeT packLen, byte[] orgPublicKey, SizeT orgPublicKeyLen, long now,
            LongByReference acceptedVersion, LongByReference outVersion);

    // detect and policy
    int cg_scanner_builder_new(PointerByReference out);

    int cg_scanner_builder_kind(Pointer builder, byte[] kind, SizeT kindLen, boolean on);

    int cg_scanner_builder_confidence_threshold(Pointer builder, float threshold);

    int cg_scanner_builder_mask_style(Pointer builder, int style);

    int cg_scanner_builder_hospital_number_pattern(Pointer builder, byte[] pattern, SizeT len);

    int cg_scanner_builder_allow(Pointer builder, byte[] phrase, SizeT len);

    int cg_scanner_builder_extra_given_name(Pointer builder, byte[] name, SizeT len);

    int cg_scanner_builder_extra_surname(Pointer builder, byte[] name, SizeT len);

    int cg_scanner_builder_staff_name(Pointer builder, byte[] name, SizeT len);

    int cg_scanner_builder_build(Pointer builder, PointerByReference out);

    void cg_scanner_builder_free(Pointer builder);

    int cg_scanner_new(PointerByReference out);

    int cg_scanner_scan(Pointer scanner, byte[] text, SizeT textLen, PointerByReference out);

    int cg_scanner_has_findings(Pointer scanner, byte[] text, SizeT textLen, ByteByReference out);

    int cg_scanner_minimise(Pointer scanner, byte[] text, SizeT textLen, PointerByReference out);

    void cg_scanner_free(Pointer scanner);

    int cg_findings_len(Pointer findings, SizeTByReference out);

    int cg_findings_get(Pointer findings, SizeT index, CgFinding out);

    void cg_findings_free(Pointer findings);

    int cg_policy_decide(Pointer findings, CgPolicyContext context, PointerByReference out);

    int cg_policy_review(Pointer scanner, byte[] text, SizeT textLen, CgPolicyContext context,
            PointerByReference out);

    int cg_decision_get_summary(Pointer decision, CgDecisionSummary out);

    int cg_decision_reason(Pointer decision, SizeT index, CgReason out);

    void cg_decision_free(Pointer decision);

    // retention
    int cg_retention_policy_merge(CgRetentionPolicy conversation, CgRetentionPolicy organisation,
            CgRetentionPolicy out);

    int cg_retention_expires_at(CgRetentionPolicy policy, long sentAt, ByteByReference outHas,
            LongByReference outExpiresAt);

    int cg_clock_now(LongByReference highWater, long deviceNow, LongByReference outNow,
            ByteByReference outRolledBack);

    int cg_retention_sweep(CgRetentionMessage messages, SizeT count, long now, CgSweep out);

    void cg_sweep_free(CgSweep sweep);

    // identity
    int cg_device_keys_generate(PointerByReference out);

    int cg_device_keys_wrap_in_vault(Pointer keys, Pointer vault, long now, CgBytes out);

    int cg_device_keys_unwrap_from_vault(Pointer vault, byte[] wrapped, SizeT wrappedLen, long now,
            PointerByReference out);

    int cg_device_keys_rotate(Pointer keys, PointerByReference out);

    int cg_contact_trust(Pointer card, boolean verifiedInPerson, boolean keyChanged, CgRecipientTrust out);

    int cg_contact_observe(Pointer current, Pointer newCard, ByteByReference verifiedInPerson,
            ByteByReference keyChanged, IntByReference outChange);

    int cg_device_keys_issue_card(Pointer keys, Pointer previous, byte[] staffId, SizeT staffIdLen, byte[] displayName,
            SizeT displayNameLen, long createdAt, long expiresAt, byte[] orgSeed, SizeT orgSeedLen, CgBytes out);

    void cg_device_keys_free(Pointer keys);

    int cg_card_verify(byte[] card, SizeT cardLen, byte[] orgPublicKeys, SizeT orgPublicKeysLen,
            boolean requireAttestation, byte[] revocationList, SizeT revocationListLen, long now,
            PointerByReference out);

    int cg_verified_card_info(Pointer card, CgCardInfo out);

    void cg_verified_card_free(Pointer card);

    int cg_revocation_list_sign(byte[] orgSeed, SizeT orgSeedLen, byte[] deviceIds, SizeT deviceIdsLen,
            long issuedAt, CgBytes out);

    int cg_safety_number(Pointer local, Pointer remote, PointerByReference outDigits, CgBytes outQr);

    int cg_safety_number_matches_scanned(Pointer local, Pointer remote, byte[] scanned, SizeT scannedLen,
            ByteByReference out);

    int cg_identity_seal(Pointer sender, Pointer[] recipients, SizeT recipientsLen, Pointer ownKeyring,
            byte[] payload, SizeT payloadLen, byte[] conversationId, SizeT conversationIdLen, byte[] senderId,
            SizeT senderIdLen, CgSealOptions options, long now, CgBytes out);

    int cg_identity_open(Pointer me, Pointer ownKeyring, byte[] sealed, SizeT sealedLen, byte[] conversationId,
            SizeT conversationIdLen, byte[] senderId, SizeT senderIdLen, long now, Pointer[] senders,
            SizeT sendersLen, CgBytes outPayload, CgEnvelopeInfo outInfo, SizeTByReference outSenderIndex);
}
