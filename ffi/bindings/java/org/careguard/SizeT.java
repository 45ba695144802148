package org.careguard;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;

/** C {@code size_t}: 8 bytes on 64-bit Android ABIs, 4 on armeabi-v7a. */
public final class SizeT extends IntegerType {
    private static final long serialVersionUID = 1L;

    public SizeT() {
        this(0);
    }

    public SizeT(long value) {
        super(Native.SIZE_T_SIZE, value, true);
    }
}
