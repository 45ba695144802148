package org.careguard;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.List;

/** Device keys, device cards, safety numbers and signed end-to-end envelopes. */
public final class Identity {
    private static final CareGuardNative C = CareGuardNative.LIB;

    private Identity() {}

    /** This device's identity keys ({@code cg_device_keys}); thread-safe, wiped on close. */
    public static final class DeviceKeys implements AutoCloseable {
        private Pointer handle;

        private DeviceKeys(Pointer handle) {
            this.handle = handle;
        }

        public static DeviceKeys generate() {
            PointerByReference out = new PointerByReference();
            CareGuardException.check(C.cg_device_keys_generate(out), "cg_device_keys_generate");
            return new DeviceKeys(out.getValue());
        }

        /** Unwraps keys stored with {@link #wrapInVault}. */
        public static DeviceKeys unwrapFromVault(Vault vault, byte[] wrapped, long now) {
            PointerByReference out = new PointerByReference();
            CareGuardException.check(C.cg_device_keys_unwrap_from_vault(vault.handle(), wrapped, Args.len(wrapped),
                    now, out), "cg_device_keys_unwrap_from_vault");
            return new DeviceKeys(out.getValue());
        }

        Pointer handle() {
            if (handle == null) {
                throw new IllegalStateException("device keys are closed");
            }
            return handle;
        }

        /** The keys wrapped under the vault (store these bytes; a wipe destroys them). */
        public byte[] wrapInVault(Vault vault, long now) {
            CgBytes out = new CgBytes();
            CareGuardException.check(C.cg_device_keys_wrap_in_vault(handle(), vault.handle(), now, out),
                    "cg_device_keys_wrap_in_vault");
            return out.take();
        }

        /**
         * This device's card; {@code previous} (may be null) are the keys these replace after
         * {@link #rotate}; {@code orgSeed} (attestation) only in enrolment services and tests.
         */
        public byte[] issueCard(DeviceKeys previous, String staffId, String displayName, long createdAt,
                long expiresAt, byte[] orgSeed) {
            byte[] s = Args.utf8(staffId);
            byte[] d = Args.utf8(displayName);
            CgBytes out = new CgBytes();
            CareGuardException.check(C.cg_device_keys_issue_card(handle(), previous == null ? null : previous.handle(),
                    s, Args.len(s), d, Args.len(d), createdAt, expiresAt, orgSeed, Args.len(orgSeed), out),
                    "cg_device_keys_issue_card");
            return out.take();
        }

        /** New keys for the same device (issue the next card with these keys as {@code previous}). */
        public DeviceKeys rotate() {
            PointerByReference out = new PointerByReference();
            CareGuardException.check(C.cg_device_keys_rotate(handle(), out), "cg_device_keys_rotate");
            return new DeviceKeys(out.getValue());
        }

        @Override
        public void close() {
            if (handle != null) {
                C.cg_device_keys_free(handle);
                handle = null;
            }
        }
    }

    /** A verified device card ({@code cg_verified_card}). */
    public static final class VerifiedCard implements AutoCloseable {
        private Pointer handle;
        public final String staffId;
        public final String displayName;
        public final byte[] deviceId;
        public final long createdAt;
        public final long expiresAt;
        public final boolean attested;

        private VerifiedCard(Pointer handle) {
            this.handle = handle;
            CareGuardNative.CgCardInfo info = new CareGuardNative.CgCardInfo();
            CareGuardException.check(C.cg_verified_card_info(handle, info), "cg_verified_card_info");
            staffId = info.staff_id.getString(0, "UTF-8");
            displayName = info.display_name.getString(0, "UTF-8");
            deviceId = info.device_id.clone();
            createdAt = info.created_at;
            expiresAt = info.expires_at;
            attested = info.attested != 0;
        }

        /**
         * Verifies a card at {@code now} against the organisation public keys (32 bytes
         * each, concatenated), optionally a signed revocation list (null for none).
         */
        public static VerifiedCard verify(byte[] card, byte[] orgPublicKeys, boolean requireAttestation,
                byte[] revocationList, long now) {
            PointerByReference out = new PointerByReference();
            CareGuardException.check(C.cg_card_verify(card, Args.len(card), orgPublicKeys, Args.len(orgPublicKeys),
                    requireAttestation, revocationList, Args.len(revocationList), now, out), "cg_card_verify");
            return new VerifiedCard(out.getValue());
        }

        Pointer handle() {
            if (handle == null) {
                throw new IllegalStateException("card is closed");
            }
            return handle;
        }

        @Override
        public void close() {
            if (handle != null) {
                C.cg_verified_card_free(handle);
                handle = null;
            }
        }
    }

    /** {@code cg_verification}. */
    public static final int UNVERIFIED = 0;
    public static final int ATTESTED_BY_ORGANISATION = 1;
    public static final int VERIFIED_IN_PERSON = 2;

    /** A contact's state for the policy: {@link #UNVERIFIED} etc., and whether its key changed. */
    public record Trust(int verification, boolean keyChanged) {}

    /** {@code cg_card_change}. */
    public enum CardChange { UNCHANGED, ROTATED, KEY_CHANGED }

    /** What a new card means for a stored contact, with its updated flags (persist them). */
    public record Observed(CardChange change, boolean verifiedInPerson, boolean keyChanged) {}

    public static Trust contactTrust(VerifiedCard card, boolean verifiedInPerson, boolean keyChanged) {
        CareGuardNative.CgRecipientTrust out = new CareGuardNative.CgRecipientTrust();
        CareGuardException.check(C.cg_contact_trust(card.handle(), verifiedInPerson, keyChanged, out),
                "cg_contact_trust");
        return new Trust(out.verification, out.key_changed != 0);
    }

    public static Observed observe(VerifiedCard current, VerifiedCard newCard, boolean verifiedInPerson,
            boolean keyChanged) {
        ByteByReference inPerson = new ByteByReference((byte) (verifiedInPerson ? 1 : 0));
        ByteByReference changed = new ByteByReference((byte) (keyChanged ? 1 : 0));
        com.sun.jna.ptr.IntByReference change = new com.sun.jna.ptr.IntByReference();
        CareGuardException.check(C.cg_contact_observe(current.handle(), newCard.handle(), inPerson, changed, change),
                "cg_contact_observe");
        return new Observed(CardChange.values()[change.getValue()], inPerson.getValue() != 0, changed.getValue() != 0);
    }

    /** A safety number: 60 digits to compare, and the QR payload to show. */
    public record SafetyNumber(String digits, byte[] qr) {}

    public static SafetyNumber safetyNumber(VerifiedCard local, VerifiedCard remote) {
        PointerByReference digits = new PointerByReference();
        CgBytes qr = new CgBytes();
        CareGuardException.check(C.cg_safety_number(local.handle(), remote.handle(), digits, qr), "cg_safety_number");
        try {
            return new SafetyNumber(digits.getValue().getString(0, "UTF-8"), qr.take());
        } finally {
            C.cg_string_free(digits.getValue());
        }
    }

    /** Whether a QR payload scanned from the contact's screen matches. */
    public static boolean matchesScanned(VerifiedCard local, VerifiedCard remote, byte[] scanned) {
        ByteByReference out = new ByteByReference();
        CareGuardException.check(C.cg_safety_number_matches_scanned(local.handle(), remote.handle(), scanned,
                Args.len(scanned), out), "cg_safety_number_matches_scanned");
        return out.getValue() != 0;
    }

    /** Organisation side: a signed revocation list (16-byte device ids, concatenated). */
    public static byte[] signRevocationList(byte[] orgSeed, byte[] deviceIds, long issuedAt) {
        CgBytes out = new CgBytes();
        CareGuardException.check(C.cg_revocation_list_sign(orgSeed, Args.len(orgSeed), deviceIds, Args.len(deviceIds),
                issuedAt, out), "cg_revocation_list_sign");
        return out.take();
    }

    private static Pointer[] handles(List<VerifiedCard> cards) {
        Pointer[] out = new Pointer[cards.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cards.get(i).handle();
        }
        return out;
    }

    /** Seals to recipient devices, signed by {@code sender}; {@code own} (may be null) keeps a copy. */
    public static byte[] seal(DeviceKeys sender, List<VerifiedCard> recipients, KeyRing own, byte[] payload,
            byte[] conversationId, byte[] senderId, long now) {
        CgBytes out = new CgBytes();
        Pointer[] to = handles(recipients);
        CareGuardException.check(C.cg_identity_seal(sender.handle(), to.length == 0 ? null : to,
                new SizeT(to.length), own == null ? null : own.handle(), payload, Args.len(payload), conversationId,
                Args.len(conversationId), senderId, Args.len(senderId), null, now, out), "cg_identity_seal");
        return out.take();
    }

    /** An opened signed message: plaintext and the signing card's index in {@code senders}. */
    public record Opened(byte[] payload, int senderIndex) {}

    public static Opened open(DeviceKeys me, KeyRing own, byte[] sealed, byte[] conversationId, byte[] senderId,
            long now, List<VerifiedCard> senders) {
        CgBytes out = new CgBytes();
        SizeTByReference index = new SizeTByReference();
        Pointer[] from = handles(senders);
        CareGuardException.check(C.cg_identity_open(me.handle(), own == null ? null : own.handle(), sealed,
                Args.len(sealed), conversationId, Args.len(conversationId), senderId, Args.len(senderId), now,
                from.length == 0 ? null : from, new SizeT(from.length), out, null, index), "cg_identity_open");
        return new Opened(out.take(), (int) index.getValue());
    }
}
