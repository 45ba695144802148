package org.careguard;

import com.sun.jna.Native;
import com.sun.jna.ptr.ByReference;

/** A {@code size_t *} out-parameter. */
public final class SizeTByReference extends ByReference {
    public SizeTByReference() {
        super(Native.SIZE_T_SIZE);
    }

    public long getValue() {
        return Native.SIZE_T_SIZE == 8 ? getPointer().getLong(0) : getPointer().getInt(0) & 0xFFFFFFFFL;
    }
}
