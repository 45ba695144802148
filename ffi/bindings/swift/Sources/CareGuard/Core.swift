// Errors, buffers and strings shared by the CareGuard wrapper.
import CareGuardFFI
import Foundation

/// A failed careguard call: `status` is the `cg_status` code, `name` its stable name
/// (the same as the WASM package's error codes), `message` the English description.
public struct CareGuardError: Error, CustomStringConvertible {
    public let status: cg_status
    public let name: String
    public let message: String
    public let operation: String

    init(_ status: cg_status, _ operation: String) {
        self.status = status
        self.name = String(cString: cg_status_name(Int32(bitPattern: status.rawValue)))
        self.message = String(cString: cg_last_error_message())
        self.operation = operation
    }

    public var description: String { "\(operation): \(name): \(message)" }
}

@inline(__always)
func check(_ status: cg_status, _ operation: String) throws {
    if status != CG_STATUS_OK {
        throw CareGuardError(status, operation)
    }
}

/// Copies a `cg_bytes` into `Data` and frees (wiping) the native buffer.
func take(_ bytes: inout cg_bytes) -> Data {
    defer { cg_bytes_free(&bytes) }
    guard let data = bytes.data, bytes.len > 0 else { return Data() }
    return Data(bytes: data, count: bytes.len)
}

/// Calls `body` with a (pointer, length) view of `data`.
func withBytes<R>(_ data: Data?, _ body: (UnsafePointer<UInt8>?, Int) throws -> R) rethrows -> R {
    guard let data = data else { return try body(nil, 0) }
    return try data.withUnsafeBytes { raw in
        try body(raw.bindMemory(to: UInt8.self).baseAddress, raw.count)
    }
}

/// Calls `body` with a (pointer, length) UTF-8 view of `text` (not NUL-terminated).
func withUTF8<R>(_ text: String, _ body: (UnsafePointer<CChar>?, Int) throws -> R) rethrows -> R {
    var copy = text
    return try copy.withUTF8 { buf in
        try buf.withMemoryRebound(to: CChar.self) { try body($0.baseAddress, $0.count) }
    }
}

public enum CareGuard {
    /// The library version, e.g. "0.1.0".
    public static var version: String { String(cString: cg_version()) }

    /// 32 fresh random bytes from the OS CSPRNG (a KEK or a device secret).
    public static func generateKey() throws -> Data {
        var out = cg_bytes(data: nil, len: 0)
        try check(cg_key_generate(&out), "cg_key_generate")
        return take(&out)
    }
}
