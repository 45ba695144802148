import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.careguard.CareGuard;
import org.careguard.CareGuardException;
import org.careguard.CareGuardNative;
import org.careguard.Status;

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

    public static void main(String[] args) throws Exception {
        basics();
        System.out.println("careguard JNA client: " + checks + " checks passed (careguard " + CareGuard.version() + ")");
    }
}
