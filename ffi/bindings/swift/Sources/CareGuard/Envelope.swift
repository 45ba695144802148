// Key rings and envelopes (cg_keyring_*, cg_envelope_*).
import CareGuardFFI
import Foundation

/// Key-encryption keys by id; the newest seals, all open. Thread-safe.
public final class KeyRing {
    let handle: OpaquePointer

    /// An opened envelope: plaintext and authenticated header.
    public struct Opened {
        public let payload: Data
        public let messageID: Data
        public let createdAt: UInt64
        public let expiresAt: UInt64?
        public let padded: Bool
        public let contentType: String
    }

    public init() throws {
        var out: OpaquePointer?
        try check(cg_keyring_new(&out), "cg_keyring_new")
        handle = out!
    }

    deinit { cg_keyring_free(handle) }

    /// Adds a 32-byte key; it becomes the sealing key.
    public func insert(keyID: UInt32, key: Data) throws {
        try withBytes(key) { p, n in try check(cg_keyring_insert(handle, keyID, p, n), "cg_keyring_insert") }
    }

    /// Adds the vault's key `keyID` (it never leaves careguard; a wipe destroys it).
    public func insertVaultKEK(_ vault: Vault, keyID: UInt32, now: UInt64) throws {
        try check(cg_keyring_insert_vault_kek(handle, vault.handle, keyID, now), "cg_keyring_insert_vault_kek")
    }

    /// Removes (and wipes) a key; returns whether it was there.
    @discardableResult
    public func remove(keyID: UInt32) throws -> Bool {
        var removed = false
        try check(cg_keyring_remove(handle, keyID, &removed), "cg_keyring_remove")
        return removed
    }

    /// The id new envelopes are sealed under.
    public func sealingKeyID() throws -> UInt32? {
        var found = false
        var id: UInt32 = 0
        try check(cg_keyring_sealing_key_id(handle, &found, &id), "cg_keyring_sealing_key_id")
        return found ? id : nil
    }

    /// Seals `payload`, bound to a conversation and sender (give the same to open).
    public func seal(_ payload: Data, conversationID: Data, senderID: Data, contentType: String = "",
                     expiresAt: UInt64? = nil, pad: Bool = true, now: UInt64) throws -> Data {
        var out = cg_bytes(data: nil, len: 0)
        try withUTF8(contentType) { ct, ctLen in
            var options = cg_seal_options(content_type: ct, content_type_len: ctLen,
                                          expires_at: expiresAt ?? 0, pad: pad)
            try withBytes(payload) { p, pn in
                try withBytes(conversationID) { c, cn in
                    try withBytes(senderID) { s, sn in
                        try check(cg_envelope_seal(handle, p, pn, c, cn, s, sn, &options, now, &out),
                                  "cg_envelope_seal")
                    }
                }
            }
        }
        return take(&out)
    }

    /// Opens an envelope at `now`.
    public func open(_ envelope: Data, conversationID: Data, senderID: Data, now: UInt64) throws -> Opened {
        var out = cg_bytes(data: nil, len: 0)
        var info = cg_envelope_info()
        try withBytes(envelope) { e, en in
            try withBytes(conversationID) { c, cn in
                try withBytes(senderID) { s, sn in
                    try check(cg_envelope_open(handle, e, en, c, cn, s, sn, now, &out, &info), "cg_envelope_open")
                }
            }
        }
        let payload = take(&out)
        let messageID = withUnsafeBytes(of: info.message_id) { Data($0) }
        let contentType = withUnsafeBytes(of: info.content_type) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return Opened(payload: payload, messageID: messageID, createdAt: info.created_at,
                      expiresAt: info.expires_at == 0 ? nil : info.expires_at, padded: info.padded,
                      contentType: contentType)
    }
}
