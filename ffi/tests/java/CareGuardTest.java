import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.careguard.CareGuard;
import org.careguard.CareGuardException;
import org.careguard.CareGuardNative;
import org.careguard.KeyRing;
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
        Vault.BlobStore store = blob -> {
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
        expectError(Status.PERSIST_FAILED,
                () -> Vault.unlock(stored[0], "730419".toCharArray(), device, 300, NOW + 11, blob -> false),
                "persist failure stops the unlock");
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

    static void remoteWipe() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 9);
        byte[] pk = Wipe.orgPublicKey(seed);
        byte[] device = "device-1".getBytes(StandardCharsets.UTF_8);
        byte[] order = Wipe.signOrder(device, 3, NOW, seed);
        Vault.Opened created = Vault.create("730419".toCharArray(), null, MIN, 300, NOW);
        try (Vault v = created.vault()) {
            expectError(Status.WRONG_DEVICE, () -> Wipe.verifyAndExecute(order, pk, new byte[] {1}, null, v, NOW),
                    "wrong device");
            expectError(Status.REPLAYED, () -> Wipe.verifyAndExecute(order, pk, device, 3L, v, NOW), "replay");
            byte[] forged = order.clone();
            forged[forged.length - 2] ^= 4;
            expectError(Status.BAD_SIGNATURE, () -> Wipe.verifyAndExecute(forged, pk, device, null, v, NOW),
                    "bad signature");
            v.touch(NOW + 1);
            Wipe.Outcome outcome = Wipe.verifyAndExecute(order, pk, device, 2L, v, NOW + 2);
            check(outcome.acceptedCounter() == 3 && Vault.status(outcome.tombstone()).wipeReason() == 2, "remote wipe");
            expectError(Status.VAULT_LOCKED, () -> v.touch(NOW + 3), "locked after wipe");
        }
        expectError(Status.INVALID_LENGTH, () -> Wipe.orgPublicKey(new byte[3]), "short seed");
    }

    public static void main(String[] args) throws Exception {
        basics();
        envelopes();
        vault();
        remoteWipe();
        System.out.println("careguard JNA client: " + checks + " checks passed (careguard " + CareGuard.version() + ")");
    }
}
