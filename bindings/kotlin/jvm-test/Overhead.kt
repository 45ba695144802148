// Per-call cost of the generated Kotlin binding next to the C ABI, both called from the
// JVM through JNA in the same process: a status-name lookup (the smallest call that
// returns something), a tiny scan (findings read back in full) and a 64-byte envelope
// seal. The C ABI is called with JNA direct mapping, as the generated code calls its
// library. Run by bindings/kotlin/jvm-test/overhead.sh; prints a Markdown table.

import com.sun.jna.Native
import com.sun.jna.Pointer
import org.careguard.KeyRing
import org.careguard.Scanner
import org.careguard.generateKey
import org.careguard.statusName

/** The few C ABI functions measured (direct mapping; handles and size_t as Long, 64-bit). */
object Cg {
    init {
        Native.register(Cg::class.java, "careguard_ffi")
    }

    external fun cg_status_name(status: Int): String
    external fun cg_scanner_new(out: LongArray): Int
    external fun cg_scanner_free(scanner: Long)
    external fun cg_scanner_scan(scanner: Long, text: ByteArray, len: Long, out: LongArray): Int
    external fun cg_findings_len(findings: Long, out: LongArray): Int
    external fun cg_findings_get(findings: Long, index: Long, out: LongArray): Int
    external fun cg_findings_free(findings: Long)
    external fun cg_keyring_new(out: LongArray): Int
    external fun cg_keyring_insert(ring: Long, id: Int, key: ByteArray, len: Long): Int
    external fun cg_keyring_free(ring: Long)
    external fun cg_envelope_seal(
        ring: Long, payload: ByteArray, payloadLen: Long, conv: ByteArray, convLen: Long,
        sender: ByteArray, senderLen: Long, options: Pointer?, now: Long, out: LongArray,
    ): Int
    external fun cg_bytes_free(bytes: LongArray)
}

fun ok(status: Int) = check(status == 0) { "C call failed with status $status" }

/** What the C path reads per finding, to match the generated Finding record. */
data class CFinding(val kind: String, val rule: String, val start: Long, val end: Long,
    val startUtf16: Long, val endUtf16: Long, val confidence: Float, val subject: String)

fun cScan(scanner: Long, text: String): List<CFinding> {
    val utf8 = text.toByteArray(Charsets.UTF_8)
    val out = LongArray(1)
    ok(Cg.cg_scanner_scan(scanner, utf8, utf8.size.toLong(), out))
    val len = LongArray(1)
    val item = LongArray(8) // struct cg_finding: 8 words on 64-bit
    try {
        ok(Cg.cg_findings_len(out[0], len))
        return (0 until len[0]).map { i ->
            ok(Cg.cg_findings_get(out[0], i, item))
            CFinding(Pointer(item[0]).getString(0), Pointer(item[1]).getString(0), item[2], item[3], item[4],
                item[5], java.lang.Float.intBitsToFloat(item[6].toInt()), Pointer(item[7]).getString(0))
        }
    } finally {
        Cg.cg_findings_free(out[0])
    }
}

fun cSeal(ring: Long, payload: ByteArray, conv: ByteArray, sender: ByteArray, now: Long): ByteArray {
    val out = LongArray(2) // struct cg_bytes { data, len }
    ok(Cg.cg_envelope_seal(ring, payload, payload.size.toLong(), conv, conv.size.toLong(), sender,
        sender.size.toLong(), null, now, out))
    try {
        return Pointer(out[0]).getByteArray(0, out[1].toInt())
    } finally {
        Cg.cg_bytes_free(out)
    }
}

/** Median over rounds of the mean time per call, in nanoseconds. */
fun measure(iterations: Int, call: () -> Any): Double {
    var sink = 0
    repeat(iterations) { sink += call().hashCode() }
    val rounds = (0 until 7).map {
        val start = System.nanoTime()
        repeat(iterations) { sink += call().hashCode() }
        (System.nanoTime() - start).toDouble() / iterations
    }.sorted()
    if (sink == 42) println()
    return rounds[rounds.size / 2]
}

fun main(args: Array<String>) {
    val scale = args.firstOrNull()?.toInt() ?: 1
    val text = "bed 4 NHS 943 476 5919"
    val payload = ByteArray(64) { it.toByte() }
    val conv = "ward-7".toByteArray()
    val sender = "alice".toByteArray()
    val key = generateKey()
    val now = 1_700_000_000L

    val scanner = Scanner()
    val ring = KeyRing().also { it.insert(1u, key) }
    val handle = LongArray(1)
    ok(Cg.cg_scanner_new(handle))
    val cScanner = handle[0]
    ok(Cg.cg_keyring_new(handle))
    val cRing = handle[0]
    ok(Cg.cg_keyring_insert(cRing, 1, key, key.size.toLong()))

    // Both paths must do the same work before their times mean anything.
    val k = scanner.scan(text)
    val c = cScan(cScanner, text)
    check(k.size == 1 && c.size == 1 && k[0].kind == c[0].kind && k[0].start.toLong() == c[0].start &&
        k[0].subject == c[0].subject) { "the two scans disagree: $k / $c" }
    check(ring.seal(payload, conv, sender, null, now.toULong()).size == cSeal(cRing, payload, conv, sender, now).size)
    check(statusName(20) == Cg.cg_status_name(20))

    val rows = listOf(
        Triple("status name (smallest call)", { statusName(20) }, { Cg.cg_status_name(20) }),
        Triple("scan \"$text\" (1 finding)", { scanner.scan(text) }, { cScan(cScanner, text) }),
        Triple("seal 64 bytes (AES-256-GCM, padded)", { ring.seal(payload, conv, sender, null, now.toULong()) },
            { cSeal(cRing, payload, conv, sender, now) }),
    )
    println("| call | generated Kotlin (uniffi) | C ABI via JNA | difference |")
    println("|---|---:|---:|---:|")
    for ((name, kotlin, cabi) in rows) {
        val n = (if (name.startsWith("seal")) 20_000 else 50_000) / scale
        val kt = measure(n, kotlin)
        val ct = measure(n, cabi)
        println("| $name | %.2f µs | %.2f µs | %+.2f µs |".format(kt / 1000, ct / 1000, (kt - ct) / 1000))
    }
    Cg.cg_scanner_free(cScanner)
    Cg.cg_keyring_free(cRing)
    scanner.close()
    ring.close()
}
