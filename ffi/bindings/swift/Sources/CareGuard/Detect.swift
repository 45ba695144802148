// The scanner (cg_scanner_*), policy (cg_policy_*) and retention (cg_retention_*).
import CareGuardFFI
import Foundation

/// The patient-identifier scanner. Build once; immutable and thread-safe.
public final class Scanner {
    let handle: OpaquePointer

    /// One identifier; `utf16Range` indexes the scanned `String`'s UTF-16 view.
    public struct Finding {
        public let kind: String
        public let rule: String
        public let byteRange: Range<Int>
        public let utf16Range: Range<Int>
        public let confidence: Float
        /// Whose name it is (`patient`, `staff`, `unknown`); `unknown` for other kinds.
        public let subject: String

        /// The finding's range in the scanned string.
        public func range(in text: String) -> Range<String.Index> {
            String.Index(utf16Offset: utf16Range.lowerBound, in: text)..<String.Index(
                utf16Offset: utf16Range.upperBound, in: text)
        }
    }

    public init() throws {
        var out: OpaquePointer?
        try check(cg_scanner_new(&out), "cg_scanner_new")
        handle = out!
    }

    /// A scanner configured through a builder (kinds, threshold, masks, Trust patterns).
    public init(configure: (OpaquePointer) throws -> Void) throws {
        var builder: OpaquePointer?
        try check(cg_scanner_builder_new(&builder), "cg_scanner_builder_new")
        defer { cg_scanner_builder_free(builder) }
        try configure(builder!)
        var out: OpaquePointer?
        try check(cg_scanner_builder_build(builder, &out), "cg_scanner_builder_build")
        handle = out!
    }

    deinit { cg_scanner_free(handle) }

    public func scan(_ text: String) throws -> [Finding] {
        var findings: OpaquePointer?
        try withUTF8(text) { t, n in try check(cg_scanner_scan(handle, t, n, &findings), "cg_scanner_scan") }
        defer { cg_findings_free(findings) }
        var count = 0
        try check(cg_findings_len(findings, &count), "cg_findings_len")
        return try (0..<count).map { i in
            var f = cg_finding()
            try check(cg_findings_get(findings, i, &f), "cg_findings_get")
            return Finding(kind: String(cString: f.kind), rule: String(cString: f.rule),
                           byteRange: f.start..<f.end, utf16Range: f.start_utf16..<f.end_utf16,
                           confidence: f.confidence, subject: String(cString: f.subject))
        }
    }

    public func hasFindings(_ text: String) throws -> Bool {
        var has = false
        try withUTF8(text) { t, n in try check(cg_scanner_has_findings(handle, t, n, &has), "cg_scanner_has_findings") }
        return has
    }

    public func minimise(_ text: String) throws -> String {
        var out: UnsafeMutablePointer<CChar>?
        try withUTF8(text) { t, n in try check(cg_scanner_minimise(handle, t, n, &out), "cg_scanner_minimise") }
        defer { cg_string_free(out) }
        return String(cString: out!)
    }
}

public enum Policy {
    public enum Verdict { case allow, warn, block }

    public struct Reason {
        public let code: String
        public let guidance: String
        public let message: String
    }

    public struct Decision {
        public let verdict: Verdict
        public let reasons: [Reason]
        public let suggestion: String?
    }

    /// Scans, decides and (unless allowed) suggests the minimised text.
    public static func review(_ text: String, scanner: Scanner, conversation: cg_conversation,
                              platformApproved: Bool, emergency: Bool = false,
                              recipients: [cg_recipient_trust] = []) throws -> Decision {
        var d: OpaquePointer?
        try recipients.withUnsafeBufferPointer { r in
            var ctx = cg_policy_context(conversation: conversation.rawValue, platform_approved: platformApproved,
                                        emergency: emergency, recipients: r.baseAddress, recipients_len: r.count)
            try withUTF8(text) { t, n in
                try check(cg_policy_review(scanner.handle, t, n, &ctx, &d), "cg_policy_review")
            }
        }
        defer { cg_decision_free(d) }
        var s = cg_decision_summary()
        try check(cg_decision_get_summary(d, &s), "cg_decision_get_summary")
        let reasons: [Reason] = try (0..<s.reasons_len).map { i in
            var r = cg_reason()
            try check(cg_decision_reason(d, i, &r), "cg_decision_reason")
            return Reason(code: String(cString: r.code), guidance: String(cString: r.guidance),
                          message: String(cString: r.message))
        }
        let verdict: Verdict = s.verdict == CG_VERDICT_BLOCK ? .block : (s.verdict == CG_VERDICT_WARN ? .warn : .allow)
        return Decision(verdict: verdict, reasons: reasons, suggestion: s.suggestion.map { String(cString: $0) })
    }
}

public enum Retention {
    /// The anti-rollback clock: advances and returns the persisted high-water mark.
    public static func trustedNow(highWater: inout UInt64, deviceNow: UInt64) throws -> UInt64 {
        var now: UInt64 = 0
        try check(cg_clock_now(&highWater, deviceNow, &now, nil), "cg_clock_now")
        return now
    }

    /// Runs the sweeper: ids to delete, ids held for transcription, next wake-up.
    public static func sweep(_ messages: [cg_retention_message], now: UInt64) throws
        -> (delete: [UInt64], untranscribed: [UInt64], awaiting: [cg_held], nextWake: UInt64?)
    {
        var out = cg_sweep()
        try messages.withUnsafeBufferPointer { m in
            try check(cg_retention_sweep(m.baseAddress, m.count, now, &out), "cg_retention_sweep")
        }
        defer { cg_sweep_free(&out) }
        let delete = Array(UnsafeBufferPointer(start: out.delete_ids, count: out.delete_len))
        let untranscribed = Array(UnsafeBufferPointer(start: out.deleted_untranscribed_ids,
                                                      count: out.deleted_untranscribed_len))
        let awaiting = Array(UnsafeBufferPointer(start: out.awaiting, count: out.awaiting_len))
        return (delete, untranscribed, awaiting, out.has_next_wake ? out.next_wake : nil)
    }
}
