// Device keys, cards, safety numbers and signed end-to-end envelopes (cg_device_keys_*,
// cg_card_verify, cg_safety_number*, cg_identity_*).
import CareGuardFFI
import Foundation

/// This device's identity keys; store them only with `wrapInVault`. Thread-safe.
public final class DeviceKeys {
    let handle: OpaquePointer

    private init(_ handle: OpaquePointer) { self.handle = handle }
    deinit { cg_device_keys_free(handle) }

    public static func generate() throws -> DeviceKeys {
        var out: OpaquePointer?
        try check(cg_device_keys_generate(&out), "cg_device_keys_generate")
        return DeviceKeys(out!)
    }

    public static func unwrap(fromVault vault: Vault, wrapped: Data, now: UInt64) throws -> DeviceKeys {
        var out: OpaquePointer?
        try withBytes(wrapped) { w, n in
            try check(cg_device_keys_unwrap_from_vault(vault.handle, w, n, now, &out), "cg_device_keys_unwrap_from_vault")
        }
        return DeviceKeys(out!)
    }

    public func wrap(inVault vault: Vault, now: UInt64) throws -> Data {
        var out = cg_bytes(data: nil, len: 0)
        try check(cg_device_keys_wrap_in_vault(handle, vault.handle, now, &out), "cg_device_keys_wrap_in_vault")
        return take(&out)
    }

    /// This device's card to publish (unattested: the organisation's enrolment attests it).
    /// After `rotate()`, pass the old keys as `previous` so contacts see a rotation.
    public func issueCard(staffID: String, displayName: String, createdAt: UInt64, expiresAt: UInt64,
                          previous: DeviceKeys? = nil) throws -> Data {
        var out = cg_bytes(data: nil, len: 0)
        try withUTF8(staffID) { s, sn in
            try withUTF8(displayName) { d, dn in
                try check(cg_device_keys_issue_card(handle, previous?.handle, s, sn, d, dn, createdAt, expiresAt, nil,
                                                    0, &out), "cg_device_keys_issue_card")
            }
        }
        return take(&out)
    }

    /// New keys for the same device.
    public func rotate() throws -> DeviceKeys {
        var out: OpaquePointer?
        try check(cg_device_keys_rotate(handle, &out), "cg_device_keys_rotate")
        return DeviceKeys(out!)
    }
}

/// A device card checked by `verify`. Thread-safe.
public final class VerifiedCard {
    let handle: OpaquePointer
    public let staffID: String
    public let displayName: String
    public let deviceID: Data
    public let attested: Bool

    private init(_ handle: OpaquePointer) throws {
        self.handle = handle
        var info = cg_card_info()
        try check(cg_verified_card_info(handle, &info), "cg_verified_card_info")
        staffID = String(cString: info.staff_id)
        displayName = String(cString: info.display_name)
        deviceID = withUnsafeBytes(of: info.device_id) { Data($0) }
        attested = info.attested
    }

    deinit { cg_verified_card_free(handle) }

    /// Verifies `card` at `now` against the organisation keys (32 bytes each).
    public static func verify(_ card: Data, organisationKeys: [Data], requireAttestation: Bool,
                              revocationList: Data? = nil, now: UInt64) throws -> VerifiedCard {
        let keys = organisationKeys.reduce(Data(), +)
        var out: OpaquePointer?
        try withBytes(card) { c, cn in
            try withBytes(keys) { k, kn in
                try withBytes(revocationList) { r, rn in
                    try check(cg_card_verify(c, cn, k, kn, requireAttestation, r, rn, now, &out), "cg_card_verify")
                }
            }
        }
        do {
            return try VerifiedCard(out!)
        } catch {
            cg_verified_card_free(out)
            throw error
        }
    }
}

public enum Identity {
    /// A stored contact's state for the send policy.
    public static func contactTrust(_ card: VerifiedCard, verifiedInPerson: Bool, keyChanged: Bool) throws
        -> cg_recipient_trust
    {
        var out = cg_recipient_trust()
        try check(cg_contact_trust(card.handle, verifiedInPerson, keyChanged, &out), "cg_contact_trust")
        return out
    }

    /// What a newly fetched card means for a stored contact; updates its persisted flags.
    public static func observe(current: VerifiedCard, newCard: VerifiedCard, verifiedInPerson: inout Bool,
                               keyChanged: inout Bool) throws -> cg_card_change {
        var change: UInt32 = 0
        try check(cg_contact_observe(current.handle, newCard.handle, &verifiedInPerson, &keyChanged, &change),
                  "cg_contact_observe")
        return cg_card_change(rawValue: change)
    }

    /// The 60-digit safety number and the QR payload to show.
    public static func safetyNumber(local: VerifiedCard, remote: VerifiedCard) throws -> (digits: String, qr: Data) {
        var digits: UnsafeMutablePointer<CChar>?
        var qr = cg_bytes(data: nil, len: 0)
        try check(cg_safety_number(local.handle, remote.handle, &digits, &qr), "cg_safety_number")
        defer { cg_string_free(digits) }
        return (String(cString: digits!), take(&qr))
    }

    public static func matchesScanned(local: VerifiedCard, remote: VerifiedCard, scanned: Data) throws -> Bool {
        var match = false
        try withBytes(scanned) { s, n in
            try check(cg_safety_number_matches_scanned(local.handle, remote.handle, s, n, &match),
                      "cg_safety_number_matches_scanned")
        }
        return match
    }

    public static func seal(_ payload: Data, from sender: DeviceKeys, to recipients: [VerifiedCard],
                            ownCopy: KeyRing?, conversationID: Data, senderID: Data, now: UInt64) throws -> Data {
        var out = cg_bytes(data: nil, len: 0)
        let handles: [OpaquePointer?] = recipients.map { $0.handle }
        try handles.withUnsafeBufferPointer { to in
            try withBytes(payload) { p, pn in
                try withBytes(conversationID) { c, cn in
                    try withBytes(senderID) { s, sn in
                        try check(cg_identity_seal(sender.handle, to.baseAddress, to.count, ownCopy?.handle, p, pn, c,
                                                   cn, s, sn, nil, now, &out), "cg_identity_seal")
                    }
                }
            }
        }
        return take(&out)
    }

    /// Opens a signed envelope; returns the plaintext and the index of the signing card.
    public static func open(_ sealed: Data, as me: DeviceKeys, ownCopy: KeyRing?, conversationID: Data,
                            senderID: Data, now: UInt64, senders: [VerifiedCard]) throws -> (Data, Int) {
        var out = cg_bytes(data: nil, len: 0)
        var index = 0
        let handles: [OpaquePointer?] = senders.map { $0.handle }
        try handles.withUnsafeBufferPointer { from in
            try withBytes(sealed) { e, en in
                try withBytes(conversationID) { c, cn in
                    try withBytes(senderID) { s, sn in
                        try check(cg_identity_open(me.handle, ownCopy?.handle, e, en, c, cn, s, sn, now,
                                                   from.baseAddress, from.count, &out, nil, &index), "cg_identity_open")
                    }
                }
            }
        }
        return (take(&out), index)
    }
}
