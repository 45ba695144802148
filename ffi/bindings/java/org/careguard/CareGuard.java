package org.careguard;

/** Library-wide calls. Handle types live in their own classes. */
public final class CareGuard {
    private CareGuard() {}

    /** The careguard version, e.g. {@code "0.1.0"}. */
    public static String version() {
        return CareGuardNative.LIB.cg_version();
    }

    /** The stable name of a {@code cg_status} code. */
    public static String statusName(int status) {
        return CareGuardNative.LIB.cg_status_name(status);
    }

    /**
     * 32 fresh random bytes from the OS CSPRNG: a new key-encryption key, or a device
     * secret to store wrapped by an Android Keystore key. The caller should wipe the
     * array ({@code Arrays.fill(key, (byte) 0)}) once it is stored.
     */
    public static byte[] generateKey() {
        CgBytes out = new CgBytes();
        CareGuardException.check(CareGuardNative.LIB.cg_key_generate(out), "cg_key_generate");
        return out.take();
    }
}
