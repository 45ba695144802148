// JVM client of the generated Kotlin binding (org.careguard, from bindings/uniffi) through
// JNA, the path an Android app takes. It covers every scenario of the former hand-written
// JNA client (ffi/tests/java/CareGuardTest.java); where a scenario was about C pointers
// (NULL out-pointers, the thread-local last error, NUL bytes in C strings, raw JNA
// callbacks) it checks what replaces it here. Run by scripts/ci.d/35-kotlin.sh; exits
// non-zero on the first failed check.

import org.careguard.*
import java.util.concurrent.Executors
import kotlin.system.exitProcess

private var checks = 0

fun check(cond: Boolean, what: String) {
    checks++
    if (!cond) throw AssertionError("check failed: $what")
}

/** Runs [call], which must throw the typed error [T] whose C ABI code is [code]. */
inline fun <reified T : CareGuardException> expectError(code: Int, what: String, call: () -> Unit): T {
    try {
        call()
    } catch (e: CareGuardException) {
        check(e is T, "$what: expected ${T::class.simpleName}, got ${e::class.simpleName}: ${e.message}")
        check(e.code() == code, "$what: code ${e.code()}, expected $code")
        check(e.name() == statusName(code), "$what: name ${e.name()}")
        check(!e.message.isNullOrEmpty(), "$what: message")
        return e as T
    }
    throw AssertionError("$what: no error raised")
}

fun bytes(s: String) = s.toByteArray(Charsets.UTF_8)

const val DAY = 86_400UL
val NOW = 1_700_000_000UL
val MIN = KdfParams(19456u, 2u, 1u)
val NONE = ByteArray(0)

/** A compare-and-swap store over one in-memory slot, as an app's BlobStore would be. */
class MemoryStore(var stored: ByteArray) : BlobStore {
    override fun store(expected: ByteArray, blob: ByteArray): Boolean {
        if (!stored.contentEquals(expected)) return false
        stored = blob
        return true
    }
}

fun failures(blob: ByteArray) = (vaultStatus(blob) as BlobStatus.Active).failures

fun basics() {
    check(Regex("\\d+\\.\\d+\\.\\d+").matches(version()), "version")
    check(statusName(0) == "ok" && statusName(9) == "panic" && statusName(-5) == "unknown", "status names")
    check(statusName(20) == "wrong_key" && statusName(99) == "superseded_card", "status names by code")
    val a = generateKey()
    val b = generateKey()
    check(a.size == 32 && b.size == 32 && !a.contentEquals(b), "generateKey")
    // The C ABI's thread-local last error becomes an exception on the calling thread:
    // a failure on one thread leaves another thread's calls untouched.
    val pool = Executors.newFixedThreadPool(4)
    try {
        val scanner = Scanner()
        val text = "NHS 943 476 5919, call 07700 900123"
        val expected = scanner.scan(text)
        val results = (0 until 16).map { i ->
            pool.submit<List<Finding>> {
                if (i % 2 == 0) {
                    try {
                        KeyRing().insert(1u, ByteArray(3))
                    } catch (_: CareGuardException.InvalidLength) {
                    }
                }
                scanner.scan(text)
            }
        }.map { it.get() }
        check(results.all { it == expected } && expected.size == 2, "one scanner shared between threads")
        scanner.close()
    } finally {
        pool.shutdown()
    }
}

fun envelopes() {
    val conv = bytes("ward-7-handover")
    val sender = bytes("dr.jones@nhs.net")
    KeyRing().use { ring ->
        check(ring.sealingKeyId() == null, "empty ring")
        expectError<CareGuardException.InvalidArgument>(4, "seal with empty ring") {
            ring.seal(ByteArray(1), conv, sender, null, NOW)
        }
        ring.insert(1u, generateKey())
        expectError<CareGuardException.InvalidLength>(3, "short key") { ring.insert(2u, ByteArray(31)) }
        expectError<CareGuardException.InvalidArgument>(4, "duplicate id") { ring.insert(1u, ByteArray(32)) }
        val text = bytes("Mrs Ünal, bed 4 — obs stable")
        val sealed = ring.seal(text, conv, sender, SealOptions("text/plain", NOW + 3600UL, true), NOW)
        val opened = ring.open(sealed, conv, sender, NOW + 1UL)
        check(opened.payload.contentEquals(text), "round trip")
        check(opened.contentType == "text/plain" && opened.expiresAt == NOW + 3600UL && opened.createdAt == NOW &&
            opened.padded && opened.messageId.size == 16, "header")
        expectError<CareGuardException.Expired>(21, "expired") { ring.open(sealed, conv, sender, NOW + 3600UL) }
        expectError<CareGuardException.WrongBinding>(22, "binding") { ring.open(sealed, byteArrayOf(1), sender, NOW) }
        val tampered = sealed.clone()
        tampered[tampered.size - 1] = (tampered[tampered.size - 1].toInt() xor 1).toByte()
        expectError<CareGuardException.Tampered>(13, "tampered") { ring.open(tampered, conv, sender, NOW) }
        expectError<CareGuardException.Truncated>(11, "truncated") { ring.open(sealed.copyOf(9), conv, sender, NOW) }
        ring.insert(2u, generateKey())
        check(ring.sealingKeyId() == 2u, "rotation")
        check(ring.remove(1u) && !ring.remove(1u), "remove")
        expectError<CareGuardException.WrongKey>(20, "wrong key") { ring.open(sealed, conv, sender, NOW) }
        val k = ByteArray(32)
        check(deriveKeyId(k) == deriveKeyId(k.clone()), "derived key id")
        expectError<CareGuardException.InvalidLength>(3, "derive from a short key") { deriveKeyId(ByteArray(5)) }
    }
}

fun vault() {
    check(kdfParamsDefault() == KdfParams(65536u, 3u, 1u), "default params")
    expectError<CareGuardException.WeakPin>(31, "weak pin") { vaultCreate("123456", null, MIN, 300UL, NOW) }
    expectError<CareGuardException.ParamsTooWeak>(38, "weak params") {
        vaultCreate("730419", null, KdfParams(1024u, 1u, 1u), 300UL, NOW)
    }
    val device = generateKey()
    val created = vaultCreate("730419", device, MIN, 300UL, NOW)
    created.vault.use { v ->
        check((vaultStatus(created.blob) as BlobStatus.Active).deviceBound, "device bound")
        val wrapped = v.wrapSecret("identity", byteArrayOf(1, 2, 3), NOW + 1UL)
        check(v.unwrapSecret("identity", wrapped, NOW + 2UL).contentEquals(byteArrayOf(1, 2, 3)), "unwrap")
        expectError<CareGuardException.Tampered>(13, "other label") { v.unwrapSecret("other", wrapped, NOW + 3UL) }
        check(v.locksAt() == NOW + 3UL + 300UL, "locks at (the failed unwrap counted as activity)")
        check(!v.lockIfIdle(NOW + 100UL), "not idle yet")
        check(v.lockIfIdle(NOW + 400UL), "idle lock")
        expectError<CareGuardException.VaultLocked>(35, "locked") { v.touch(NOW + 401UL) }
    }
    val store = MemoryStore(created.blob)
    val wrong = expectError<CareGuardException.WrongPin>(30, "wrong pin") {
        vaultUnlock(store.stored, "111111", device, null, 300UL, NOW + 10UL, store)
    }
    check(wrong.failures == 1u && wrong.remaining == 9u, "wrong pin info")
    check(failures(store.stored) == 1u, "counter written ahead")
    expectError<CareGuardException.StaleBlob>(41, "a refused swap stops the unlock") {
        vaultUnlock(store.stored, "730419", device, null, 300UL, NOW + 11UL, object : BlobStore {
            override fun store(expected: ByteArray, blob: ByteArray) = false
        })
    }
    expectError<CareGuardException.DeviceSecretRequired>(36, "device secret") {
        vaultUnlock(store.stored, "730419", null, null, 300UL, NOW + 12UL, store)
    }
    val unlocked = vaultUnlock(store.stored, "730419", device, null, 300UL, NOW + 13UL, store)
    unlocked.vault.use { v ->
        check(failures(unlocked.blob) == 0u, "counter reset")
        val newBlob = v.changePin("580207", device, null, NOW + 14UL)
        check((vaultStatus(newBlob) as BlobStatus.Active).params == MIN, "params kept")
        KeyRing().use { ring ->
            ring.insertVaultKek(v, 7u, NOW + 15UL)
            check(ring.sealingKeyId() == 7u, "vault kek")
        }
        val tomb = wipeLocal(LocalWipeReason.USER_REQUEST, v, NOW + 16UL)
        val s = vaultStatus(tomb)
        check(s is BlobStatus.Wiped && s.reason == WipeReason.USER_REQUEST && s.wipedAt == NOW + 16UL, "local wipe")
        expectError<CareGuardException.VaultLocked>(35, "wiped vault is locked") { v.touch(NOW + 17UL) }
        expectError<CareGuardException.Wiped>(34, "tombstone") {
            vaultUnlock(tomb, "580207", device, null, 300UL, NOW, store)
        }
    }
}

/** Issue 13: fail closed, no free guess from a stale blob, keys die with the vault. */
fun vaultHardening() {
    val created = vaultCreate("730419", null, MIN, 300UL, NOW)
    created.vault.close()
    val good = MemoryStore(created.blob)
    // A store that throws (a full disk): the CORRECT pin is not checked, nothing stored.
    val full = object : BlobStore {
        override fun store(expected: ByteArray, blob: ByteArray): Boolean = throw java.io.IOException("disk full")
    }
    val e = expectError<CareGuardException.PersistFailed>(40, "throwing store") {
        vaultUnlock(good.stored, "730419", null, null, 300UL, NOW, full)
    }
    check(e.detail.contains("java.io.IOException: disk full"), "store exception kept: ${e.detail}")
    val unchecked = object : BlobStore {
        override fun store(expected: ByteArray, blob: ByteArray): Boolean = throw IllegalStateException("bug")
    }
    expectError<CareGuardException.PersistFailed>(40, "runtime exception") {
        vaultUnlock(good.stored, "730419", null, null, 300UL, NOW, unchecked)
    }
    // The store's own declared error (what the raw JNA callback case was in the C ABI
    // client: a failure reported without reaching the PIN check).
    val declared = object : BlobStore {
        override fun store(expected: ByteArray, blob: ByteArray): Boolean =
            throw StoreException.Failed("quota exceeded")
    }
    val d = expectError<CareGuardException.PersistFailed>(40, "declared store error") {
        vaultUnlock(good.stored, "730419", null, null, 300UL, NOW, declared)
    }
    check(d.detail.contains("quota exceeded"), "declared reason kept: ${d.detail}")
    // A java.lang.Error is not an Exception: the generated code lets it reach JNA, which
    // reports it and hands Rust a zeroed answer. That reads as `false`, so the unlock
    // still stops before the PIN check.
    val fatal = object : BlobStore {
        override fun store(expected: ByteArray, blob: ByteArray): Boolean = throw Error("fatal")
    }
    val previous = com.sun.jna.Native.getCallbackExceptionHandler()
    com.sun.jna.Native.setCallbackExceptionHandler { _, _ -> }
    try {
        expectError<CareGuardException.StaleBlob>(41, "a store throwing an Error") {
            vaultUnlock(good.stored, "730419", null, null, 300UL, NOW, fatal)
        }
    } finally {
        com.sun.jna.Native.setCallbackExceptionHandler(previous)
    }
    check(failures(good.stored) == 0u, "nothing stored by a failing store")

    // Argon2 parameters in a blob below the production floor (t = 1) are refused.
    val weak = good.stored.clone()
    weak[14] = 1
    expectError<CareGuardException.ParamsTooWeak>(38, "blob below the argon2 floor") { vaultStatus(weak) }

    // A blob cached at start-up: one counted guess, then 50 refused before the PIN check.
    val cached = good.stored.clone()
    val first = expectError<CareGuardException.WrongPin>(30, "first guess") {
        vaultUnlock(cached, "111111", null, null, 300UL, NOW, good)
    }
    check(first.failures == 1u, "first guess counted")
    for (i in 0 until 50) {
        val pin = if (i % 2 == 0) "730419" else "111111"
        expectError<CareGuardException.StaleBlob>(41, "stale guess $i") {
            vaultUnlock(cached, pin, null, null, 300UL, NOW, good)
        }
    }
    check(failures(good.stored) == 1u, "stale guesses never stored")

    // Keys from the vault die with it.
    val opened = vaultUnlock(good.stored, "730419", null, null, 300UL, NOW + 1UL, good)
    KeyRing().use { ring ->
        opened.vault.use { v ->
            ring.insertVaultKek(v, 1u, NOW + 1UL)
            val sealed = ring.seal(bytes("bed 4"), NONE, NONE, null, NOW + 1UL)
            check(ring.open(sealed, NONE, NONE, NOW + 1UL).payload.contentEquals(bytes("bed 4")), "open while unlocked")
            v.lock()
            expectError<CareGuardException.KeyRevoked>(42, "seal after lock") {
                ring.seal(NONE, NONE, NONE, null, NOW + 2UL)
            }
            expectError<CareGuardException.KeyRevoked>(42, "open after lock") { ring.open(sealed, NONE, NONE, NOW + 2UL) }
        }
    }
}

fun remoteWipe() {
    val seed = ByteArray(32) { 9 }
    val pk = wipeOrgPublicKey(seed)
    val device = bytes("device-1")
    val enrolment = 0x0123456789abcdefUL // this enrolment's epoch
    val order = wipeOrderSign(device, enrolment, 3UL, NOW, seed)
    val created = vaultCreate("730419", null, MIN, 300UL, NOW)
    created.vault.use { v ->
        expectError<CareGuardException.WrongDevice>(51, "wrong device") {
            wipeVerifyAndExecute(order, pk, byteArrayOf(1), enrolment, null, v, NOW)
        }
        expectError<CareGuardException.WrongEnrolment>(53, "an order for an earlier enrolment") {
            wipeVerifyAndExecute(order, pk, device, enrolment + 1UL, null, v, NOW)
        }
        expectError<CareGuardException.Replayed>(52, "replay") {
            wipeVerifyAndExecute(order, pk, device, enrolment, 3UL, v, NOW)
        }
        val forged = order.clone()
        forged[forged.size - 2] = (forged[forged.size - 2].toInt() xor 4).toByte()
        expectError<CareGuardException.BadSignature>(50, "bad signature") {
            wipeVerifyAndExecute(forged, pk, device, enrolment, null, v, NOW)
        }
        v.touch(NOW + 1UL)
        val outcome = wipeVerifyAndExecute(order, pk, device, enrolment, 2UL, v, NOW + 2UL)
        val s = vaultStatus(outcome.tombstone)
        check(outcome.acceptedCounter == 3UL && s is BlobStatus.Wiped && s.reason == WipeReason.REMOTE_ORDER,
            "remote wipe")
        expectError<CareGuardException.VaultLocked>(35, "locked after wipe") { v.touch(NOW + 3UL) }
    }
    expectError<CareGuardException.InvalidLength>(3, "short seed") { wipeOrgPublicKey(ByteArray(3)) }
}

fun detect() {
    Scanner().use { scanner ->
        // Kotlin strings index in UTF-16: the offsets must slice the String directly.
        val text = "Zoë 👍 NHS 943 476 5919, call 07700 900123"
        val findings = scanner.scan(text)
        val nhs = findings.first { it.kind == "nhs_number" }
        check(text.substring(nhs.startUtf16.toInt(), nhs.endUtf16.toInt()) == "943 476 5919", "utf-16 offsets")
        val utf8 = bytes(text)
        check(String(utf8, nhs.start.toInt(), (nhs.end - nhs.start).toInt(), Charsets.UTF_8) == "943 476 5919",
            "byte offsets")
        check(findings.any { it.kind == "phone_number" }, "phone")
        check(scanner.hasFindings(text) && !scanner.hasFindings("bed 4 obs stable"), "hasFindings")
        check(!scanner.minimise(text).contains("5919"), "minimise")
        // No C strings here: a NUL is an ordinary character and passes through.
        check(scanner.minimise("a\u0000b") == "a\u0000b", "NUL in minimise")

        val social = review(scanner, text, Conversation.SOCIAL, true, false, listOf())
        check(social.verdict == Verdict.BLOCK && social.reasons[0].code == "social_group" &&
            !social.suggestion!!.contains("5919") && social.reasons[0].guidance.isNotEmpty(), "social block")
        val emergency = review(scanner, text, Conversation.CLINICAL, false, true, listOf())
        check(emergency.verdict == Verdict.WARN, "emergency warn")
        val decided = decide(scanner, text, Conversation.BROADCAST, true, false, listOf())
        check(decided.verdict == Verdict.BLOCK && decided.suggestion == null, "decide")
        check(review(scanner, "bed 4 obs stable", Conversation.SOCIAL, false, false, listOf()).verdict == Verdict.ALLOW,
            "allow")
    }
    ScannerBuilder().use { b ->
        b.kind("postcode", false).maskStyle(MaskStyle.PARTIAL).hospitalNumberPattern("\\bRX[0-9]{7}\\b")
            .allow("Ward Beaumont").extraGivenName("Zindzi").extraSurname("Okonkwo-Hart")
            .staffName("Bronwen Pugh").confidenceThreshold(0.5f)
        expectError<CareGuardException.InvalidArgument>(4, "unknown kind") { b.kind("shoe_size", true) }
        b.build().use { s ->
            val f = s.scan("ref RX1234567 at LS1 4AB")
            check(f.size == 1 && f[0].kind == "hospital_number", "trust pattern")
            check(s.minimise("NHS 943 476 5919") == "NHS *** *** 5919", "partial mask")
            val staff = s.scan("Bronwen Pugh is NIC today")
            check(staff.size == 1 && staff[0].subject == "staff", "staff subject: $staff")
            val pt = s.scan("Mrs Okoro in bed 4 is NBM")
            check(pt.size == 1 && pt[0].subject == "patient", "patient subject: $pt")
        }
        b.confidenceThreshold(1.5f)
        expectError<CareGuardException.InvalidArgument>(4, "bad threshold") { b.build() }
        b.confidenceThreshold(0.5f)
        b.hospitalNumberPattern("(unclosed")
        expectError<CareGuardException.InvalidPattern>(70, "bad pattern") { b.build() }
    }
}

fun retention() {
    val org = RetentionPolicy(30UL * DAY, null, DAY)
    val ward = RetentionPolicy(7UL * DAY, DAY, null)
    val merged = retentionPolicyMerge(ward, org)
    check(merged == RetentionPolicy(7UL * DAY, DAY, DAY), "merge: $merged")
    check(retentionExpiresAt(merged, 1000UL) == 1000UL + 7UL * DAY, "expiresAt")
    check(retentionExpiresAt(RetentionPolicy(null, DAY, null), 1000UL) == null, "no expiry before reading")
    val first = trustedNow(0UL, 1000UL)
    check(first == TrustedNow(1000UL, 1000UL, false), "clock: $first")
    val back = trustedNow(first.highWater, 400UL)
    check(back.now == 1000UL && back.highWater == 1000UL && back.rolledBack, "clock never goes back")
    val hold = RetentionPolicy(null, null, 3600UL)
    val msgs = listOf(
        RetentionMessage(1UL, 100UL, null, hold, false, false),
        RetentionMessage(2UL, 100UL, null, hold, true, false),
        RetentionMessage(3UL, 500UL, null, hold, false, false),
    )
    val sweep = retentionSweep(msgs, 200UL)
    check(sweep.delete == listOf(1UL) && sweep.nextWake == 500UL, "sweep")
    check(sweep.awaiting == listOf(Held(2UL, 100UL, 3700UL, 99UL)), "held: ${sweep.awaiting}")
    val late = retentionSweep(msgs, 10_000UL)
    check(late.delete.size == 3 && late.deletedUntranscribed == listOf(2UL), "late")
    check(retentionSweep(listOf(), 0UL).nextWake == null, "empty sweep")
}

fun identity() {
    val orgSeed = ByteArray(32) { 3 }
    val orgPk = wipeOrgPublicKey(orgSeed)
    val conv = bytes("ward-7")
    val from = bytes("alice")
    val alice = DeviceKeys.generate()
    val bob = DeviceKeys.generate()
    val aliceCard = VerifiedCard.verify(
        alice.issueCard(null, "alice@nhs.net", "Dr Alice", NOW, NOW + 365UL * DAY, orgSeed), listOf(orgPk), true,
        null, NOW)
    val bobCard = VerifiedCard.verify(
        bob.issueCard(null, "bob@nhs.net", "Nurse Bob", NOW, NOW + 365UL * DAY, orgSeed), listOf(orgPk), true, null,
        NOW)
    check(aliceCard.staffId() == "alice@nhs.net" && aliceCard.displayName() == "Dr Alice" && aliceCard.attested() &&
        aliceCard.deviceId().size == 16 && aliceCard.createdAt() == NOW, "card info")
    val plain = bob.issueCard(null, "bob@nhs.net", "Nurse Bob", NOW, NOW + DAY, null)
    expectError<CareGuardException.NotAttested>(92, "attestation required") {
        VerifiedCard.verify(plain, listOf(orgPk), true, null, NOW)
    }
    expectError<CareGuardException.Expired>(21, "card expired") {
        VerifiedCard.verify(plain, listOf(orgPk), false, null, NOW + DAY)
    }
    expectError<CareGuardException.InvalidLength>(3, "short organisation key") {
        VerifiedCard.verify(plain, listOf(ByteArray(31)), false, null, NOW)
    }
    val revoked = revocationListSign(orgSeed, listOf(bobCard.deviceId()), NOW)
    expectError<CareGuardException.Revoked>(93, "revoked") {
        VerifiedCard.verify(plain, listOf(orgPk), false, revoked, NOW)
    }

    check(contactTrust(bobCard, false, false) == RecipientTrust(Verification.ATTESTED_BY_ORGANISATION, false),
        "contact trust")
    val bobNext = bob.rotate()
    val impostor = DeviceKeys.generate()
    val rotated = VerifiedCard.verify(
        bobNext.issueCard(bob, "bob@nhs.net", "Nurse Bob", NOW, NOW + DAY, orgSeed), listOf(orgPk), true, null, NOW)
    val stranger = VerifiedCard.verify(
        impostor.issueCard(null, "bob@nhs.net", "Nurse Bob", NOW, NOW + DAY, orgSeed), listOf(orgPk), true, null, NOW)
    check(contactObserve(bobCard, rotated, true, false) == Observed(CardChange.ROTATED, true, false),
        "rotation keeps verification")
    val changed = contactObserve(bobCard, stranger, true, false)
    check(changed == Observed(CardChange.KEY_CHANGED, false, true), "key change drops verification")
    Scanner().use { scanner ->
        val d = review(scanner, "NHS 943 476 5919", Conversation.CLINICAL, true, false,
            listOf(contactTrust(stranger, changed.verifiedInPerson, changed.keyChanged)))
        check(d.verdict == Verdict.WARN && d.reasons.any { it.code == "recipient_key_changed" },
            "policy warns on a changed key")
    }
    listOf(bobNext, impostor, rotated, stranger).forEach { it.close() }

    val ab = safetyNumber(aliceCard, bobCard)
    val ba = safetyNumber(bobCard, aliceCard)
    check(ab.digits.length == 60 && ab.digits == ba.digits, "safety digits agree")
    check(safetyNumberMatchesScanned(aliceCard, bobCard, ba.qr) &&
        !safetyNumberMatchesScanned(aliceCard, bobCard, ab.qr), "safety qr")

    val text = bytes("Mrs Ünal bed 4 obs stable")
    val sealed = identitySeal(alice, listOf(bobCard), null, text, conv, from, null, NOW)
    val opened = identityOpen(bob, null, sealed, conv, from, NOW + 1UL, listOf(bobCard, aliceCard))
    check(opened.envelope.payload.contentEquals(text) && opened.senderIndex == 1u, "end to end")
    expectError<CareGuardException.NotARecipient>(95, "not recipient") {
        identityOpen(alice, null, sealed, conv, from, NOW + 1UL, listOf(aliceCard))
    }
    expectError<CareGuardException.UnknownSender>(96, "unknown sender") {
        identityOpen(bob, null, sealed, conv, from, NOW + 1UL, listOf(bobCard))
    }
    expectError<CareGuardException.InvalidArgument>(4, "no recipients") {
        identitySeal(alice, listOf(), null, text, conv, from, null, NOW)
    }

    val created = vaultCreate("730419", null, MIN, 300UL, NOW)
    created.vault.use { v ->
        val wrapped = bob.wrapInVault(v, NOW + 1UL)
        DeviceKeys.unwrapFromVault(v, wrapped, NOW + 2UL).use { again ->
            check(identityOpen(again, null, sealed, conv, from, NOW + 3UL, listOf(aliceCard)).envelope.payload
                .contentEquals(text), "keys from vault open")
        }
        v.lock()
        expectError<CareGuardException.VaultLocked>(35, "locked vault") {
            DeviceKeys.unwrapFromVault(v, wrapped, NOW + 4UL)
        }
    }
    listOf(alice, bob, aliceCard, bobCard).forEach { it.close() }
}

// Safe sending, audit logs and Trust policy packs (issue 17). The pack and emergency order
// are core's vectors (core/tests/vectors/trust-pack-v1.json).

fun hex(s: String) = ByteArray(s.length / 2) { s.substring(2 * it, 2 * it + 2).toInt(16).toByte() }

const val TRUST_PACK_HEX =
    "43475450010000000000000005000000006a175380000000006a403200020f4d6963726f736f6674205465616d730550" +
    "616e646f02000000000000093a800000000000015180000000000003f480010000000000015180000000000000000000" +
    "0000000000000001000c5c625241375c647b367d5c62000119466c6f72656e6365204e69676874696e67616c65207761" +
    "726401000000000000a8c000000000004f1a000000002801ae04b98a8d40e8e47829d1a9662faefda81c5abe940c0be0" +
    "fe4acad3a3f19681dc7bc594efe3bad798580d8de371851fe342d3114ef12e50997a7c37f1da170b"
const val TRUST_ORG_HEX = "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c"
const val EMERGENCY_ORDER_HEX =
    "4347454d010000000000000009000000006a1896f0000000006a18b310ce7ba80b44a1e01e07aee0132aafc96d72b33784f0eb8463a9f3d9" +
    "5ae77214a9aad70597122025d165c90b2813a8fe56755563347d1c324f57c9307bbafba70b"
val TRUST_NOW = 1_780_000_000UL

fun contact(id: String, name: String, attested: Boolean = true, sentBefore: Boolean = true) = RecipientEntry(
    id, name,
    RecipientKind.Contact(attested, if (attested) Verification.ATTESTED_BY_ORGANISATION else Verification.UNVERIFIED),
    sentBefore)

fun rightRecipient() {
    val smith = contact("c1", "Dr John Smith")
    val social = RecipientEntry("g1", "Ward 7 social", RecipientKind.Group(GroupPurpose.SOCIAL, 2UL), true)
    AddressBook(listOf(smith, contact("c2", "Dr John Smyth", sentBefore = false), social)).use { book ->
        check(book.len() == 3UL && !book.isEmpty(), "address book size")
        val w = book.check(smith, true, true)
        check(w.size == 1 && w[0].code == "confusable_name" && w[0].alternativeId == "c2" &&
            w[0].alternativeName == "Dr John Smyth" && w[0].confusion == "edit_distance" &&
            w[0].distance == 1.toUByte() && w[0].message.contains("Dr John Smyth") &&
            w[0].guidance.contains("correct person or group"), "confusable named: $w")
        val g = book.check(social, true, true)
        check(g.map { it.code } == listOf("outside_trust", "clinical_to_social_group") && g[0].members == 2UL,
            "group warnings: $g")
        val stranger = contact("x", "Someone Else Entirely", attested = false, sentBefore = false)
        check(book.check(stranger, true, false).map { it.code } ==
            listOf("first_identifiers_to_contact", "outside_trust"), "new contact")
        check(book.check(stranger, false, false).isEmpty(), "nothing sensitive, no warnings")
    }
}

fun groupReview() {
    val orgSeed = ByteArray(32) { 3 }
    val orgPk = wipeOrgPublicKey(orgSeed)
    val alice = DeviceKeys.generate()
    val bob = DeviceKeys.generate()
    val attested = alice.issueCard(null, "alice@nhs.net", "Dr Alice", NOW, NOW + 365UL * DAY, orgSeed)
    val plain = bob.issueCard(null, "bob@nhs.net", "Nurse Bob", NOW, NOW + 365UL * DAY, null)
    val group = Group("Ward 7", GroupPurpose.SOCIAL,
        listOf(GroupMember(attested, NOW, false), GroupMember(plain, NOW + 10UL * DAY, false)), NOW + DAY, 3u)
    check(groupRulesDefault() == GroupRules(90UL * DAY, 50UL), "default group rules")
    val f = reviewGroup(group, NOW + 200UL * DAY, listOf(orgPk), false, null, GroupRules(90UL * DAY, 1UL))
    check(f.map { it.code } == listOf("member_not_attested", "member_unverified", "member_joined_since_review",
        "review_overdue", "social_and_clinical_mixed", "too_large"), "group findings: ${f.map { it.code }}")
    check(f[0].staffId == "bob@nhs.net" && f[2].at == NOW + 10UL * DAY && f[3].staffId == null &&
        f[3].at == NOW + 91UL * DAY && f[4].count == 3UL && f[5].count == 2UL && f[5].max == 1UL, "finding details")
    val revoked = revocationListSign(orgSeed, listOf(alice.issueCard(null, "a", "A", NOW, NOW + DAY, null)
        .let { VerifiedCard.verify(it, listOf(), false, null, NOW).use { c -> c.deviceId() } }), NOW)
    val r = reviewGroup(group.copy(members = listOf(GroupMember(attested, NOW, true)), purpose = GroupPurpose.CLINICAL),
        NOW + DAY, listOf(orgPk), true, revoked, null)
    check(r.size == 1 && r[0].code == "member_revoked" && r[0].deviceId?.size == 16, "revoked member: $r")
    expectError<CareGuardException.Malformed>(10, "member card that is not a card") {
        reviewGroup(group.copy(members = listOf(GroupMember(ByteArray(80), NOW, false))), NOW, listOf(), false, null,
            null)
    }
    expectError<CareGuardException.InvalidLength>(3, "short organisation key") {
        reviewGroup(group, NOW, listOf(ByteArray(31)), false, null, null)
    }
    listOf(alice, bob).forEach { it.close() }
}

fun auditLog() {
    val keys = DeviceKeys.generate()
    val other = DeviceKeys.generate()
    val key = auditDevicePublicKey(keys)
    check(key.size == 32, "audit public key")
    val records = listOf(
        AuditRecord(NOW, Conversation.CLINICAL, Verdict.WARN, AuditAction.SENT_MINIMISED, false,
            listOf(KindCount("nhs_number", 1u)), ""),
        AuditRecord(NOW + 5UL, Conversation.SOCIAL, Verdict.BLOCK, AuditAction.OVERRIDDEN, true, listOf(),
            "Mr John Smith 943 476 5919 needs review"),
    )
    Scanner().use { scanner ->
        AuditChain(keys).use { chain ->
            val first = chain.seal(records, keys, scanner)
            val text = String(first, Charsets.ISO_8859_1)
            check(!text.contains("Smith") && !text.contains("5919"), "no identifier reaches the log")
            val state = chain.state()
            check(state.size == 64 && chain.head().size == 40, "state and head")
            val second = AuditChain.restore(state).use { it.seal(records.take(1), keys, null) }
            chain.seal(records.take(1), keys, null)
            val head = chain.head()
            val log = auditLogVerify(first + second, key, head)
            check(log.records.size == 3 && log.segments == 2UL && log.head.contentEquals(head), "verified log")
            check(log.records[0].kinds == listOf(KindCount("nhs_number", 1u)) && log.records[1].emergency &&
                log.records[1].reason.isNotEmpty() && !log.records[1].reason.contains("Smith"), "records read back")
            val s = auditLogSummarise(first + second, key, head)
            check(s.records == 3UL && s.warned == 2UL && s.blocked == 1UL && s.emergency == 1UL &&
                s.segments == 2UL && s.kinds["nhs_number"] == 2UL && s.actions["overridden"] == 1UL &&
                s.firstTime == NOW && s.lastTime == NOW + 5UL, "summary: $s")
            expectError<CareGuardException.Truncated>(11, "cut short") { auditLogVerify(first, key, head) }
            expectError<CareGuardException.Tampered>(13, "segments swapped") {
                auditLogSummarise(second + first, key, null)
            }
            val edited = first.clone().also { it[60] = (it[60].toInt() xor 1).toByte() }
            expectError<CareGuardException.BadSignature>(50, "edited") { auditLogVerify(edited, key, null) }
            expectError<CareGuardException.InvalidLength>(3, "short head") {
                auditLogVerify(first, key, head.copyOf(39))
            }
            expectError<CareGuardException.KeyRevoked>(42, "another device's keys") {
                chain.seal(records, other, scanner)
            }
            expectError<CareGuardException.InvalidArgument>(4, "reason without scanner") {
                chain.seal(records, keys, null)
            }
            expectError<CareGuardException.Malformed>(10, "no records") { chain.seal(listOf(), keys, null) }
            expectError<CareGuardException.Malformed>(10, "bad state") { AuditChain.restore(state.copyOf(63)) }
        }
    }
    listOf(keys, other).forEach { it.close() }
}

fun trustPack() {
    val org = hex(TRUST_ORG_HEX)
    val bytes = hex(TRUST_PACK_HEX)
    expectError<CareGuardException.Replayed>(52, "rollback") { TrustPack.verify(bytes, listOf(org), TRUST_NOW, 6UL) }
    TrustPack.verify(bytes, listOf(org), TRUST_NOW, 5UL).use { pack ->
        val info = pack.info()
        check(info.version == 5UL && info.issuedAt == 1779913600UL && info.expiresAt == 1782592000UL &&
            info.approvedPlatforms == listOf("Microsoft Teams", "Pando") &&
            info.hospitalNumberPatterns == listOf("\\bRA7\\d{6}\\b") &&
            info.allowList == listOf("Florence Nightingale ward") && info.emergencyAllowed &&
            info.emergencyMaxSecs == 43200UL && info.groupRules == GroupRules(5184000UL, 40UL) &&
            info.notificationDetail == NotificationDetail.CONVERSATION, "pack info: $info")
        check(pack.retention(Conversation.CLINICAL) == RetentionPolicy(604800UL, 86400UL, 259200UL),
            "clinical retention")
        check(pack.platformApproved(" microsoft teams ") && !pack.platformApproved("WhatsApp"), "platforms")
        pack.scanner().use { s ->
            check(s.scan("Patient RA7123456").map { it.kind } == listOf("hospital_number"), "pack scanner")
        }
        val order = hex(EMERGENCY_ORDER_HEX)
        check(pack.verifyEmergency(order, listOf(org), TRUST_NOW) ==
            EmergencyOrder(9UL, 1779996400UL, 1780003600UL, 5UL, true), "emergency order in force")
        check(!pack.verifyEmergency(order, listOf(org), 1779990000UL).inForce, "emergency order not yet in force")
        expectError<CareGuardException.Expired>(21, "order ended") {
            pack.verifyEmergency(order, listOf(org), 1780003600UL)
        }
        val tampered = order.clone().also { it[10] = (it[10].toInt() xor 1).toByte() }
        expectError<CareGuardException.BadSignature>(50, "tampered order") {
            pack.verifyEmergency(tampered, listOf(org), TRUST_NOW)
        }
        expectError<CareGuardException.Truncated>(11, "short order") {
            pack.verifyEmergency(order.copyOf(20), listOf(org), TRUST_NOW)
        }
    }
    expectError<CareGuardException.Expired>(21, "pack expired") {
        TrustPack.verify(bytes, listOf(org), TRUST_NOW + 365UL * DAY, null)
    }
    expectError<CareGuardException.Truncated>(11, "short pack") {
        TrustPack.verify(bytes.copyOf(10), listOf(org), TRUST_NOW, null)
    }
    expectError<CareGuardException.InvalidLength>(3, "short org key") {
        TrustPack.verify(bytes, listOf(org.copyOf(31)), TRUST_NOW, null)
    }
}

fun lockScreenText() {
    KeyRing().use { ring ->
        ring.insert(1u, generateKey())
        val sealed = ring.seal(bytes("Mr John Smith NHS 943 476 5919"), NONE, NONE,
            SealOptions("text/plain", null, true), NOW)
        check(notificationText(sealed, NotificationDetail.CONVERSATION, "Ward 7", "Dr A") == "New message in Ward 7",
            "notification text")
        check(!notificationText(sealed, NotificationDetail.CONVERSATION_AND_SENDER, "Ward 7", "Dr A").contains("Smith"),
            "notification never shows the payload")
        expectError<CareGuardException.Truncated>(11, "not an envelope") {
            notificationText(sealed.copyOf(3), NotificationDetail.GENERIC, "", "")
        }
    }
}

fun main() {
    try {
        basics()
        envelopes()
        vault()
        vaultHardening()
        remoteWipe()
        detect()
        retention()
        identity()
        rightRecipient()
        groupReview()
        auditLog()
        trustPack()
        lockScreenText()
    } catch (e: Throwable) {
        e.printStackTrace()
        exitProcess(1)
    }
    println("careguard Kotlin (uniffi) client: $checks checks passed (careguard ${version()})")
}
