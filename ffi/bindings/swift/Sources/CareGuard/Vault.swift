// The PIN vault (cg_vault_*, cg_kdf_params_*) and wipes (cg_wipe_*).
import CareGuardFFI
import Foundation

/// An unlocked vault that locks itself after its idle timeout. Thread-safe.
public final class Vault {
    let handle: OpaquePointer

    public struct KdfParams: Equatable {
        public var mKiB: UInt32
        public var tCost: UInt32
        public var pCost: UInt32

        var c: cg_kdf_params { cg_kdf_params(m_kib: mKiB, t_cost: tCost, p_cost: pCost) }
        init(_ p: cg_kdf_params) { self.init(mKiB: p.m_kib, tCost: p.t_cost, pCost: p.p_cost) }

        public init(mKiB: UInt32, tCost: UInt32, pCost: UInt32) {
            self.mKiB = mKiB
            self.tCost = tCost
            self.pCost = pCost
        }

        /// 64 MiB, t = 3, p = 1.
        public static func defaults() throws -> KdfParams {
            var p = cg_kdf_params()
            try check(cg_kdf_params_default(&p), "cg_kdf_params_default")
            return KdfParams(p)
        }

        /// Measures this device; slow, so call it once and off the main thread.
        public static func calibrate(targetMs: UInt64, maxMKiB: UInt32) throws -> KdfParams {
            var p = cg_kdf_params()
            try check(cg_kdf_params_calibrate(targetMs, maxMKiB, &p), "cg_kdf_params_calibrate")
            return KdfParams(p)
        }
    }

    /// A stored blob's public state.
    public struct BlobStatus {
        public let wiped: Bool
        public let deviceBound: Bool
        public let failures: UInt32
        public let lastAttemptAt: UInt64
        public let params: KdfParams
        public let wipeReason: cg_wipe_reason
        public let wipedAt: UInt64
    }

    /// A refused unlock with what the lock screen needs.
    public struct UnlockError: Error {
        public let error: CareGuardError
        public let failures: UInt32
        public let remaining: UInt32
        /// Earliest next attempt (Unix seconds), if a delay applies.
        public let retryAt: UInt64?
    }

    private init(_ handle: OpaquePointer) { self.handle = handle }

    deinit { cg_vault_free(handle) }

    public static func status(of blob: Data) throws -> BlobStatus {
        var s = cg_blob_status()
        try withBytes(blob) { p, n in try check(cg_vault_status(p, n, &s), "cg_vault_status") }
        return BlobStatus(wiped: s.wiped, deviceBound: s.device_bound, failures: s.failures,
                          lastAttemptAt: s.last_attempt_at, params: KdfParams(s.params),
                          wipeReason: s.wipe_reason, wipedAt: s.wiped_at)
    }

    /// Creates a vault; persist the returned blob.
    public static func create(pin: String, deviceSecret: Data?, params: KdfParams? = nil,
                              idleTimeout: UInt64, now: UInt64) throws -> (Vault, Data) {
        var out: OpaquePointer?
        var blob = cg_bytes(data: nil, len: 0)
        try withUTF8(pin) { p, pn in
            try withBytes(deviceSecret) { d, dn in
                if var c = params?.c {
                    try check(cg_vault_create(p, pn, d, dn, &c, idleTimeout, now, &out, &blob), "cg_vault_create")
                } else {
                    try check(cg_vault_create(p, pn, d, dn, nil, idleTimeout, now, &out, &blob), "cg_vault_create")
                }
            }
        }
        return (Vault(out!), take(&blob))
    }

    private final class PersistBox {
        let compareAndSwap: (Data, Data) throws -> Bool
        init(_ compareAndSwap: @escaping (Data, Data) throws -> Bool) { self.compareAndSwap = compareAndSwap }
    }

    /// Unlocks `blob` (read from storage just now, never a cached copy).
    /// `compareAndSwap(expected, new)` must replace the stored blob with `new` only if it
    /// is byte for byte `expected`, atomically, returning `true` once durable, or `false`
    /// without writing if it differs (the call then throws `stale_blob`: read again). An
    /// error it throws means "not stored" (`persist_failed`). The PIN is checked only after
    /// `true`. On success, persist the returned blob (counter reset).
    public static func unlock(blob: Data, pin: String, deviceSecret: Data?, idleTimeout: UInt64, now: UInt64,
                              compareAndSwap: @escaping (Data, Data) throws -> Bool) throws -> (Vault, Data) {
        let box = PersistBox(compareAndSwap)
        let context = Unmanaged.passUnretained(box).toOpaque()
        let callback: cg_persist_fn = { context, expected, expectedLen, data, len in
            let box = Unmanaged<PersistBox>.fromOpaque(context!).takeUnretainedValue()
            let old = expected.map { Data(bytes: $0, count: expectedLen) } ?? Data()
            let bytes = data.map { Data(bytes: $0, count: len) } ?? Data()
            // Only CG_PERSIST_STORED is success; an error thrown by the store is a failure.
            do {
                return try box.compareAndSwap(old, bytes) ? CG_PERSIST_STORED : CG_PERSIST_STALE
            } catch {
                return -1
            }
        }
        var out: OpaquePointer?
        var reset = cg_bytes(data: nil, len: 0)
        var info = cg_unlock_info()
        let status: cg_status = withExtendedLifetime(box) {
            withBytes(blob) { b, bn in
                withUTF8(pin) { p, pn in
                    withBytes(deviceSecret) { d, dn in
                        cg_vault_unlock(b, bn, p, pn, d, dn, nil, idleTimeout, now, callback, context, &out,
                                        &reset, &info)
                    }
                }
            }
        }
        if status == CG_STATUS_WRONG_PIN || status == CG_STATUS_LOCKED_OUT || status == CG_STATUS_WIPE_REQUIRED {
            throw UnlockError(error: CareGuardError(status, "cg_vault_unlock"), failures: info.failures,
                              remaining: info.remaining, retryAt: info.retry_at == 0 ? nil : info.retry_at)
        }
        try check(status, "cg_vault_unlock")
        return (Vault(out!), take(&reset))
    }

    /// Records activity; throws `vault_locked` once idle.
    public func touch(now: UInt64) throws { try check(cg_vault_touch(handle, now), "cg_vault_touch") }

    /// The idle check for a timer: whether the vault is locked, and when it will lock.
    public func lockIfIdle(now: UInt64) throws -> (locked: Bool, locksAt: UInt64?) {
        var locked = false
        var at: UInt64 = 0
        try check(cg_vault_lock_if_idle(handle, now, &locked, &at), "cg_vault_lock_if_idle")
        return (locked, at == 0 ? nil : at)
    }

    public func lock() throws { try check(cg_vault_lock(handle), "cg_vault_lock") }

    /// A new blob under `newPin`; replace the stored one atomically.
    public func changePin(_ newPin: String, deviceSecret: Data?, now: UInt64) throws -> Data {
        var out = cg_bytes(data: nil, len: 0)
        try withUTF8(newPin) { p, pn in
            try withBytes(deviceSecret) { d, dn in
                try check(cg_vault_change_pin(handle, p, pn, d, dn, nil, now, &out), "cg_vault_change_pin")
            }
        }
        return take(&out)
    }

    public func wrapSecret(label: String, secret: Data, now: UInt64) throws -> Data {
        var out = cg_bytes(data: nil, len: 0)
        try withUTF8(label) { l, ln in
            try withBytes(secret) { s, sn in
                try check(cg_vault_wrap_secret(handle, l, ln, s, sn, now, &out), "cg_vault_wrap_secret")
            }
        }
        return take(&out)
    }

    public func unwrapSecret(label: String, wrapped: Data, now: UInt64) throws -> Data {
        var out = cg_bytes(data: nil, len: 0)
        try withUTF8(label) { l, ln in
            try withBytes(wrapped) { w, wn in
                try check(cg_vault_unwrap_secret(handle, l, ln, w, wn, now, &out), "cg_vault_unwrap_secret")
            }
        }
        return take(&out)
    }
}

public enum Wipe {
    /// Verifies a signed order for this device and enrolment (the epoch drawn at random when
    /// the app enrolled, anew after every reset) and, if valid, locks `vault` and returns
    /// the tombstone and the counter to persist. Then delete messages and the device secret.
    public static func verifyAndExecute(order: Data, orgPublicKey: Data, deviceID: Data, enrolment: UInt64,
                                        lastAccepted: UInt64?, vault: Vault?,
                                        now: UInt64) throws -> (tombstone: Data, counter: UInt64) {
        var tomb = cg_bytes(data: nil, len: 0)
        var counter: UInt64 = 0
        var last = lastAccepted ?? 0
        try withBytes(order) { o, on in
            try withBytes(orgPublicKey) { k, kn in
                try withBytes(deviceID) { d, dn in
                    try withUnsafePointer(to: &last) { lp in
                        try check(cg_wipe_verify_and_execute(o, on, k, kn, d, dn, enrolment,
                                                             lastAccepted == nil ? nil : lp,
                                                             vault?.handle, now, &tomb, &counter),
                                  "cg_wipe_verify_and_execute")
                    }
                }
            }
        }
        return (take(&tomb), counter)
    }

    /// A local wipe; store the returned tombstone in place of the blob.
    public static func local(reason: cg_local_wipe_reason, vault: Vault?, now: UInt64) throws -> Data {
        var tomb = cg_bytes(data: nil, len: 0)
        try check(cg_wipe_local(reason.rawValue, vault?.handle, now, &tomb), "cg_wipe_local")
        return take(&tomb)
    }
}
