package org.careguard;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** The C {@code cg_bytes} buffer. Passed by reference; free with {@code cg_bytes_free}. */
@Structure.FieldOrder({"data", "len"})
public class CgBytes extends Structure {
    public Pointer data;
    public SizeT len = new SizeT();

    /** Copies the bytes out and frees (and wipes) the native buffer. */
    byte[] take() {
        try {
            long n = len.longValue();
            return n == 0 ? new byte[0] : data.getByteArray(0, (int) n);
        } finally {
            CareGuardNative.LIB.cg_bytes_free(this);
        }
    }
}
