import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.careguard.CareGuard;
import org.careguard.CareGuardException;
import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.ptr.PointerByReference;
import org.careguard.CareGuardNative;
import org.careguard.CgBytes;
import org.careguard.SizeT;
import java.util.List;
import org.careguard.Identity;
import org.careguard.KeyRing;
import org.careguard.Policy;
import org.careguard.Retention;
import org.careguard.Scanner;
import org.careguard.Status;
import org.careguard.Vault;
import org.careguard.Wipe;

/**
 * JVM client of the careguard C ABI through JNA (the path an Android app takes with
 * the JNA AAR): exercises the org.careguard wrapper, success and error paths.
 * Run by scripts/ci.d/30-ffi.sh; exits non-zero on the first failed check.
 */
public final class CareGuardTest {
    private static int checks = 0;

    static void check(boolean cond, String what) {
        checks++;
        if (!cond) {
            throw new AssertionError("check failed: " + what);
        }
    }

    static CareGuardException expectError(int status, Runnable call, String what) {
        try {
            call.run();
        } catch (CareGuardException e) {
            check(e.status == status, what + ": expected " + CareGuard.statusName(status) + ", got " + e.getMessage());
            check(!e.getMessage().isEmpty(), what + ": message");
            return e;
        }
        throw new AssertionError(what + ": no error raised");
    }

    static void basics() throws Exception {
        check(CareGuard.version().matches("\\d+\\.\\d+\\.\\d+"), "version");
        check(CareGuard.statusName(Status.OK).equals("ok"), "status name ok");
        check(CareGuard.statusName(Status.PANIC).equals("panic"), "status name panic");
        check(CareGuard.statusName(-5).equals("unknown"), "status name unknown");
        // org.careguard.Status must agree with the library, constant by constant.
        for (java.lang.reflect.Field field : Status.class.getFields()) {
            int code = field.getInt(null);
            check(CareGuard.statusName(code).equals(field.getName().toLowerCase(java.util.Locale.ROOT)),
                    "Status." + field.getName());
        }
        byte[] a = CareGuard.generateKey();
        byte[] b = CareGuard.generateKey();
        check(a.length == 32 && b.length == 32 && !Arrays.equals(a, b), "generateKey");
        check(CareGuardNative.LIB.cg_key_generate(null) == Status.NULL_POINTER, "null out pointer");
        String msg = CareGuardNative.LIB.cg_last_error_message();
        check(msg.contains("NULL"), "last error message: " + msg);
        AtomicReference<String> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(CareGuardNative.LIB.cg_last_error_message()));
        t.start();
        t.join();
        check(other.get().isEmpty(), "last error is per thread");
        CareGuardNative.LIB.cg_bytes_free(null);
        CareGuardNative.LIB.cg_string_free(null);
    }

    static final long NOW = 1_700_000_000L;
    static final Vault.KdfParams MIN = new Vault.KdfParams(19456, 2, 1);

    static void envelopes() {
        byte[] conv = "ward-7-handover".getBytes(StandardCharsets.UTF_8);
        byte[] sender = "dr.jones@nhs.net".getBytes(StandardCharsets.UTF_8);
        try (KeyRing ring = new KeyRing()) {
            check(ring.sealingKeyId().isEmpty(), "empty ring");
            expectError(Status.INVALID_ARGUMENT, () -> ring.seal(new byte[1], conv, sender, null, 0, true, NOW),
                    "seal with empty ring");
            ring.insert(1, CareGuard.generateKey());
            expectError(Status.INVALID_LENGTH, () -> ring.insert(2, new byte[31]), "short key");
            expectError(Status.INVALID_ARGUMENT, () -> ring.insert(1, new byte[32]), "duplicate id");
            byte[] text = "Mrs Ünal, bed 4 — obs stable".getBytes(StandardCharsets.UTF_8);
            byte[] sealed = ring.seal(text, conv, sender, "text/plain", NOW + 3600, true, NOW);
            KeyRing.Opened opened = ring.open(sealed, conv, sender, NOW + 1);
            check(Arrays.equals(opened.payload(), text), "round trip");
            check(opened.contentType().equals("text/plain") && opened.expiresAt() == NOW + 3600
                    && opened.createdAt() == NOW && opened.padded(), "header");
            expectError(Status.EXPIRED, () -> ring.open(sealed, conv, sender, NOW + 3600), "expired");
            expectError(Status.WRONG_BINDING, () -> ring.open(sealed, new byte[] {1}, sender, NOW), "binding");
            byte[] tampered = sealed.clone();
            tampered[tampered.length - 1] ^= 1;
            expectError(Status.TAMPERED, () -> ring.open(tampered, conv, sender, NOW), "tampered");
            expectError(Status.TRUNCATED, () -> ring.open(Arrays.copyOf(sealed, 9), conv, sender, NOW), "truncated");
            ring.insert(2, CareGuard.generateKey());
            check(ring.sealingKeyId().getAsInt() == 2, "rotation");
            check(ring.remove(1) && !ring.remove(1), "remove");
            expectError(Status.WRONG_KEY, () -> ring.open(sealed, conv, sender, NOW), "wrong key");
            byte[] k = new byte[32];
            check(KeyRing.deriveKeyId(k) == KeyRing.deriveKeyId(k), "derived key id");
        }
    }

    static void vault() {
        check(Vault.KdfParams.defaults().equals(new Vault.KdfParams(65536, 3, 1)), "default params");
        expectError(Status.WEAK_PIN, () -> Vault.create("123456".toCharArray(), null, MIN, 300, NOW), "weak pin");
        expectError(Status.PARAMS_TOO_WEAK,
                () -> Vault.create("730419".toCharArray(), null, new Vault.KdfParams(1024, 1, 1), 300, NOW),
                "weak params");
        byte[] device = CareGuard.generateKey();
        Vault.Opened created = Vault.create("730419".toCharArray(), device, MIN, 300, NOW);
        byte[] wrapped;
        try (Vault v = created.vault()) {
            check(Vault.status(created.blob()).deviceBound(), "device bound");
            wrapped = v.wrapSecret("identity", new byte[] {1, 2, 3}, NOW + 1);
            check(Arrays.equals(v.unwrapSecret("identity", wrapped, NOW + 2), new byte[] {1, 2, 3}), "unwrap");
            expectError(Status.TAMPERED, () -> v.unwrapSecret("other", wrapped, NOW + 3), "other label");
            check(!v.lockIfIdle(NOW + 100), "not idle yet");
            check(v.lockIfIdle(NOW + 400), "idle lock");
            expectError(Status.VAULT_LOCKED, () -> v.touch(NOW + 401), "locked");
        }
        byte[][] stored = {created.blob()};
        Vault.BlobStore store = (expected, blob) -> {
            if (!Arrays.equals(stored[0], expected)) {
                return false;
            }
            stored[0] = blob;
            return true;
        };
        try {
            Vault.unlock(stored[0], "111111".toCharArray(), device, 300, NOW + 10, store);
            throw new AssertionError("wrong pin accepted");
        } catch (Vault.UnlockException e) {
            check(e.status == Status.WRONG_PIN && e.failures == 1 && e.remaining == 9, "wrong pin info");
        }
        check(Vault.status(stored[0]).failures() == 1, "counter written ahead");
        expectError(Status.STALE_BLOB,
                () -> Vault.unlock(stored[0], "730419".toCharArray(), device, 300, NOW + 11, (e, blob) -> false),
                "a refused swap stops the unlock");
        expectError(Status.DEVICE_SECRET_REQUIRED,
                () -> Vault.unlock(stored[0], "730419".toCharArray(), null, 300, NOW + 12, store), "device secret");
        Vault.Opened unlocked = Vault.unlock(stored[0], "730419".toCharArray(), device, 300, NOW + 13, store);
        try (Vault v = unlocked.vault()) {
            check(Vault.status(unlocked.blob()).failures() == 0, "counter reset");
            byte[] newBlob = v.changePin("580207".toCharArray(), device, null, NOW + 14);
            check(Vault.status(newBlob).params().equals(MIN), "params kept");
            try (KeyRing ring = new KeyRing()) {
                ring.insertVaultKek(v, 7, NOW + 15);
                check(ring.sealingKeyId().getAsInt() == 7, "vault kek");
            }
            byte[] tomb = Wipe.local(Wipe.LOCAL_USER_REQUEST, v, NOW + 16);
            Vault.BlobStatus s = Vault.status(tomb);
            check(s.wiped() && s.wipeReason() == 3, "local wipe");
            expectError(Status.VAULT_LOCKED, () -> v.touch(NOW + 17), "wiped vault is locked");
            expectError(Status.WIPED, () -> Vault.unlock(tomb, "580207".toCharArray(), device, 300, NOW, store),
                    "tombstone");
        }
    }

    /** Issue 13: fail closed, no free guess from a stale blob, keys die with the vault. */
    static void vaultHardening() {
        Vault.Opened created = Vault.create("730419".toCharArray(), null, MIN, 300, NOW);
        created.vault().close();
        byte[][] stored = {created.blob()};
        Vault.BlobStore good = (expected, blob) -> {
            if (!Arrays.equals(stored[0], expected)) {
                return false;
            }
            stored[0] = blob;
            return true;
        };
        // A store that throws (a full disk): the CORRECT pin is not checked, nothing stored.
        Vault.BlobStore full = (expected, blob) -> {
            throw new java.io.IOException("disk full");
        };
        CareGuardException e = expectError(Status.PERSIST_FAILED,
                () -> Vault.unlock(stored[0], "730419".toCharArray(), null, 300, NOW, full), "throwing store");
        check(e.getSuppressed().length == 1 && e.getSuppressed()[0].getMessage().equals("disk full"),
                "store exception kept");
        Vault.BlobStore unchecked = (expected, blob) -> {
            throw new IllegalStateException("bug");
        };
        expectError(Status.PERSIST_FAILED,
                () -> Vault.unlock(stored[0], "730419".toCharArray(), null, 300, NOW, unchecked), "runtime exception");
        check(Vault.status(stored[0]).failures() == 0, "nothing stored by a failing store");

        // A raw JNA callback that throws: JNA returns 0 to C, which is not CG_PERSIST_STORED.
        CareGuardNative.PersistFn raw = (context, expected, expectedLen, blob, blobLen) -> {
            throw new IllegalStateException("disk full");
        };
        Callback.UncaughtExceptionHandler previous = Native.getCallbackExceptionHandler();
        Native.setCallbackExceptionHandler((callback, t) -> { });
        try {
            PointerByReference out = new PointerByReference();
            CgBytes reset = new CgBytes();
            int status = CareGuardNative.LIB.cg_vault_unlock(stored[0], new SizeT(stored[0].length),
                    "730419".getBytes(StandardCharsets.UTF_8), new SizeT(6), null, new SizeT(0), null, 300, NOW, raw,
                    null, out, reset, null);
            check(status == Status.PERSIST_FAILED && out.getValue() == null, "raw throwing callback fails closed");
        } finally {
            Native.setCallbackExceptionHandler(previous);
        }

        // Argon2 parameters in a blob below the production floor (t = 1) are refused.
        byte[] weak = stored[0].clone();
        weak[14] = 1;
        expectError(Status.PARAMS_TOO_WEAK, () -> Vault.status(weak), "blob below the argon2 floor");

        // A blob cached at start-up: one counted guess, then 50 refused before the PIN check.
        byte[] cached = stored[0].clone();
        try {
            Vault.unlock(cached, "111111".toCharArray(), null, 300, NOW, good);
            throw new AssertionError("wrong pin accepted");
        } catch (Vault.UnlockException u) {
            check(u.status == Status.WRONG_PIN && u.failures == 1, "first guess counted");
        }
        for (int i = 0; i < 50; i++) {
            String pin = i % 2 == 0 ? "730419" : "111111";
            expectError(Status.STALE_BLOB, () -> Vault.unlock(cached, pin.toCharArray(), null, 300, NOW, good),
                    "stale guess " + i);
        }
        check(Vault.status(stored[0]).failures() == 1, "stale guesses never stored");

        // Keys from the vault die with it.
        Vault.Opened opened = Vault.unlock(stored[0], "730419".toCharArray(), null, 300, NOW + 1, good);
        byte[] none = new byte[0];
        try (KeyRing ring = new KeyRing(); Vault v = opened.vault()) {
            ring.insertVaultKek(v, 1, NOW + 1);
            byte[] sealed = ring.seal("bed 4".getBytes(StandardCharsets.UTF_8), none, none, null, 0, true, NOW + 1);
            check(Arrays.equals(ring.open(sealed, none, none, NOW + 1).payload(),
                    "bed 4".getBytes(StandardCharsets.UTF_8)), "open while unlocked");
            v.lock();
            expectError(Status.KEY_REVOKED, () -> ring.seal(none, none, none, null, 0, true, NOW + 2), "seal after lock");
            expectError(Status.KEY_REVOKED, () -> ring.open(sealed, none, none, NOW + 2), "open after lock");
        }
    }

    static void remoteWipe() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 9);
        byte[] pk = Wipe.orgPublicKey(seed);
        byte[] device = "device-1".getBytes(StandardCharsets.UTF_8);
        long enrolment = 0x0123456789abcdefL; // this enrolment's epoch
        byte[] order = Wipe.signOrder(device, enrolment, 3, NOW, seed);
        Vault.Opened created = Vault.create("730419".toCharArray(), null, MIN, 300, NOW);
        try (Vault v = created.vault()) {
            expectError(Status.WRONG_DEVICE,
                    () -> Wipe.verifyAndExecute(order, pk, new byte[] {1}, enrolment, null, v, NOW), "wrong device");
            expectError(Status.WRONG_ENROLMENT,
                    () -> Wipe.verifyAndExecute(order, pk, device, enrolment + 1, null, v, NOW),
                    "an order for an earlier enrolment (app reset, same device id)");
            expectError(Status.REPLAYED, () -> Wipe.verifyAndExecute(order, pk, device, enrolment, 3L, v, NOW),
                    "replay");
            byte[] forged = order.clone();
            forged[forged.length - 2] ^= 4;
            expectError(Status.BAD_SIGNATURE,
                    () -> Wipe.verifyAndExecute(forged, pk, device, enrolment, null, v, NOW), "bad signature");
            v.touch(NOW + 1);
            Wipe.Outcome outcome = Wipe.verifyAndExecute(order, pk, device, enrolment, 2L, v, NOW + 2);
            check(outcome.acceptedCounter() == 3 && Vault.status(outcome.tombstone()).wipeReason() == 2, "remote wipe");
            expectError(Status.VAULT_LOCKED, () -> v.touch(NOW + 3), "locked after wipe");
        }
        expectError(Status.INVALID_LENGTH, () -> Wipe.orgPublicKey(new byte[3]), "short seed");
    }

    static void detect() {
        try (Scanner scanner = new Scanner()) {
            // Java strings index in UTF-16: the offsets must slice the String directly.
            String text = "Zoë 👍 NHS 943 476 5919, call 07700 900123";
            List<Scanner.Finding> findings = scanner.scan(text);
            Scanner.Finding nhs = findings.stream().filter(f -> f.kind().equals("nhs_number")).findFirst()
                    .orElseThrow();
            check(text.substring(nhs.startUtf16(), nhs.endUtf16()).equals("943 476 5919"), "utf-16 offsets");
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            check(new String(utf8, (int) nhs.start(), (int) (nhs.end() - nhs.start()), StandardCharsets.UTF_8)
                    .equals("943 476 5919"), "byte offsets");
            check(findings.stream().anyMatch(f -> f.kind().equals("phone_number")), "phone");
            check(scanner.hasFindings(text) && !scanner.hasFindings("bed 4 obs stable"), "hasFindings");
            check(!scanner.minimise(text).contains("5919"), "minimise");
            expectError(Status.INVALID_ARGUMENT, () -> scanner.minimise("a\0b"), "NUL in minimise");

            Policy.Decision social = Policy.review(scanner, text, Policy.SOCIAL, true, false);
            check(social.verdict() == Policy.Verdict.BLOCK && social.reasons().get(0).code().equals("social_group")
                    && !social.suggestion().contains("5919"), "social block");
            Policy.Decision emergency = Policy.review(scanner, text, Policy.CLINICAL, false, true);
            check(emergency.verdict() == Policy.Verdict.WARN, "emergency warn");
            Policy.Decision decided = Policy.decide(scanner, text, Policy.BROADCAST, true, false);
            check(decided.verdict() == Policy.Verdict.BLOCK && decided.suggestion() == null, "decide");
            check(Policy.review(scanner, "bed 4 obs stable", Policy.SOCIAL, false, false).verdict()
                    == Policy.Verdict.ALLOW, "allow");
            expectError(Status.INVALID_ARGUMENT, () -> Policy.review(scanner, text, 9, true, false), "conversation");
        }
        try (Scanner.Builder b = new Scanner.Builder()) {
            b.kind("postcode", false).maskStyle(Scanner.MASK_PARTIAL).hospitalNumberPattern("\\bRX[0-9]{7}\\b")
                    .allow("Ward Beaumont").extraGivenName("Zindzi").extraSurname("Okonkwo-Hart")
                    .staffName("Bronwen Pugh").confidenceThreshold(0.5f);
            expectError(Status.INVALID_ARGUMENT, () -> b.kind("shoe_size", true), "unknown kind");
            try (Scanner s = b.build()) {
                List<Scanner.Finding> f = s.scan("ref RX1234567 at LS1 4AB");
                check(f.size() == 1 && f.get(0).kind().equals("hospital_number"), "trust pattern");
                check(s.minimise("NHS 943 476 5919").equals("NHS *** *** 5919"), "partial mask");
                List<Scanner.Finding> staff = s.scan("Bronwen Pugh is NIC today");
                check(staff.size() == 1 && staff.get(0).subject().equals("staff"), "staff subject: " + staff);
                List<Scanner.Finding> pt = s.scan("Mrs Okoro in bed 4 is NBM");
                check(pt.size() == 1 && pt.get(0).subject().equals("patient"), "patient subject: " + pt);
            }
            b.hospitalNumberPattern("(unclosed");
            expectError(Status.INVALID_PATTERN, b::build, "bad pattern");
        }
    }

    static void retention() {
        long day = 86_400;
        Retention.Policy org = new Retention.Policy(30 * day, null, day);
        Retention.Policy ward = new Retention.Policy(7 * day, day, null);
        Retention.Policy merged = ward.mergedOver(org);
        check(merged.equals(new Retention.Policy(7 * day, day, day)), "merge: " + merged);
        check(merged.expiresAt(1000) == 1000 + 7 * day, "expiresAt");
        long[] hw = {0};
        check(Retention.trustedNow(hw, 1000) == 1000 && Retention.trustedNow(hw, 400) == 1000 && hw[0] == 1000,
                "clock never goes back");
        Retention.Policy hold = new Retention.Policy(null, null, 3600L);
        List<Retention.Message> msgs = List.of(new Retention.Message(1, 100, 0, hold, false, false),
                new Retention.Message(2, 100, 0, hold, true, false),
                new Retention.Message(3, 500, 0, hold, false, false));
        Retention.Sweep sweep = Retention.sweep(msgs, 200);
        check(Arrays.equals(sweep.delete(), new long[] {1}) && sweep.nextWake() == 500, "sweep");
        check(sweep.awaiting().equals(List.of(new Retention.Held(2, 100, 3700, 99))), "held: " + sweep.awaiting());
        Retention.Sweep late = Retention.sweep(msgs, 10_000);
        check(late.delete().length == 3 && Arrays.equals(late.deletedUntranscribed(), new long[] {2}), "late");
        check(Retention.sweep(List.of(), 0).nextWake() == 0, "empty sweep");
    }

    static void identity() {
        long day = 86_400;
        byte[] orgSeed = new byte[32];
        Arrays.fill(orgSeed, (byte) 3);
        byte[] orgPk = Wipe.orgPublicKey(orgSeed);
        byte[] conv = "ward-7".getBytes(StandardCharsets.UTF_8);
        byte[] from = "alice".getBytes(StandardCharsets.UTF_8);
        try (Identity.DeviceKeys alice = Identity.DeviceKeys.generate();
                Identity.DeviceKeys bob = Identity.DeviceKeys.generate();
                Identity.VerifiedCard aliceCard = Identity.VerifiedCard.verify(
                        alice.issueCard(null, "alice@nhs.net", "Dr Alice", NOW, NOW + 365 * day, orgSeed), orgPk, true,
                        null, NOW);
                Identity.VerifiedCard bobCard = Identity.VerifiedCard.verify(
                        bob.issueCard(null, "bob@nhs.net", "Nurse Bob", NOW, NOW + 365 * day, orgSeed), orgPk, true, null,
                        NOW)) {
            check(aliceCard.staffId.equals("alice@nhs.net") && aliceCard.attested && aliceCard.deviceId.length == 16,
                    "card info");
            byte[] plain = bob.issueCard(null, "bob@nhs.net", "Nurse Bob", NOW, NOW + day, null);
            expectError(Status.NOT_ATTESTED, () -> Identity.VerifiedCard.verify(plain, orgPk, true, null, NOW),
                    "attestation required");
            expectError(Status.EXPIRED, () -> Identity.VerifiedCard.verify(plain, orgPk, false, null, NOW + day),
                    "card expired");
            byte[] revoked = Identity.signRevocationList(orgSeed, bobCard.deviceId, NOW);
            expectError(Status.REVOKED, () -> Identity.VerifiedCard.verify(plain, orgPk, false, revoked, NOW),
                    "revoked");

            check(Identity.contactTrust(bobCard, false, false).equals(
                    new Identity.Trust(Identity.ATTESTED_BY_ORGANISATION, false)), "contact trust");
            try (Identity.DeviceKeys bobNext = bob.rotate();
                    Identity.DeviceKeys impostor = Identity.DeviceKeys.generate();
                    Identity.VerifiedCard rotated = Identity.VerifiedCard.verify(
                            bobNext.issueCard(bob, "bob@nhs.net", "Nurse Bob", NOW, NOW + day, orgSeed), orgPk, true,
                            null, NOW);
                    Identity.VerifiedCard stranger = Identity.VerifiedCard.verify(
                            impostor.issueCard(null, "bob@nhs.net", "Nurse Bob", NOW, NOW + day, orgSeed), orgPk,
                            true, null, NOW)) {
                check(Identity.observe(bobCard, rotated, true, false).equals(
                        new Identity.Observed(Identity.CardChange.ROTATED, true, false)), "rotation keeps verification");
                Identity.Observed changed = Identity.observe(bobCard, stranger, true, false);
                check(changed.equals(new Identity.Observed(Identity.CardChange.KEY_CHANGED, false, true)),
                        "key change drops verification");
                try (Scanner scanner = new Scanner()) {
                    Policy.Decision d = Policy.review(scanner, "NHS 943 476 5919", Policy.CLINICAL, true, false,
                            List.of(Identity.contactTrust(stranger, changed.verifiedInPerson(), changed.keyChanged())));
                    check(d.verdict() == Policy.Verdict.WARN
                            && d.reasons().stream().anyMatch(r -> r.code().equals("recipient_key_changed")),
                            "policy warns on a changed key");
                }
            }
            Identity.SafetyNumber ab = Identity.safetyNumber(aliceCard, bobCard);
            Identity.SafetyNumber ba = Identity.safetyNumber(bobCard, aliceCard);
            check(ab.digits().length() == 60 && ab.digits().equals(ba.digits()), "safety digits agree");
            check(Identity.matchesScanned(aliceCard, bobCard, ba.qr())
                    && !Identity.matchesScanned(aliceCard, bobCard, ab.qr()), "safety qr");

            byte[] text = "Mrs Ünal bed 4 obs stable".getBytes(StandardCharsets.UTF_8);
            byte[] sealed = Identity.seal(alice, List.of(bobCard), null, text, conv, from, NOW);
            Identity.Opened opened = Identity.open(bob, null, sealed, conv, from, NOW + 1, List.of(bobCard, aliceCard));
            check(Arrays.equals(opened.payload(), text) && opened.senderIndex() == 1, "end to end");
            expectError(Status.NOT_A_RECIPIENT,
                    () -> Identity.open(alice, null, sealed, conv, from, NOW + 1, List.of(aliceCard)), "not recipient");
            expectError(Status.UNKNOWN_SENDER,
                    () -> Identity.open(bob, null, sealed, conv, from, NOW + 1, List.of(bobCard)), "unknown sender");
            expectError(Status.INVALID_ARGUMENT,
                    () -> Identity.seal(alice, List.of(), null, text, conv, from, NOW), "no recipients");

            Vault.Opened created = Vault.create("730419".toCharArray(), null, MIN, 300, NOW);
            try (Vault v = created.vault()) {
                byte[] wrapped = bob.wrapInVault(v, NOW + 1);
                try (Identity.DeviceKeys again = Identity.DeviceKeys.unwrapFromVault(v, wrapped, NOW + 2)) {
                    check(Arrays.equals(Identity.open(again, null, sealed, conv, from, NOW + 3,
                            List.of(aliceCard)).payload(), text), "keys from vault open");
                }
                v.lock();
                expectError(Status.VAULT_LOCKED, () -> Identity.DeviceKeys.unwrapFromVault(v, wrapped, NOW + 4),
                        "locked vault");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        basics();
        envelopes();
        vault();
        vaultHardening();
        remoteWipe();
        detect();
        retention();
        identity();
        System.out.println("careguard JNA client: " + checks + " checks passed (careguard " + CareGuard.version() + ")");
    }
}
