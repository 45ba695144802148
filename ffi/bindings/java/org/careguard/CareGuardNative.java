package org.careguard;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Raw JNA mapping of ffi/include/careguard.h. Apps use {@link CareGuard} and the
 * handle classes instead; this interface only declares the C functions, one to one.
 * Every {@code int} return value is a {@code cg_status}.
 */
public interface CareGuardNative extends Library {
    /** Loaded from {@code libcareguard_ffi.so} (on Android: jniLibs/ABI/). */
    CareGuardNative LIB = Native.load("careguard_ffi", CareGuardNative.class);

    String cg_version();

    String cg_status_name(int status);

    String cg_last_error_message();

    void cg_bytes_free(CgBytes bytes);

    void cg_string_free(Pointer text);

    int cg_key_generate(CgBytes out);
}
