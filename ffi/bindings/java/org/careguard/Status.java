package org.careguard;

/** {@code cg_status} codes (ffi/include/careguard.h). Numbers are never reused. */
public final class Status {
    private Status() {}

    public static final int OK = 0;
    public static final int NULL_POINTER = 1;
    public static final int INVALID_UTF8 = 2;
    public static final int INVALID_LENGTH = 3;
    public static final int INVALID_ARGUMENT = 4;
    public static final int INTERNAL = 8;
    public static final int PANIC = 9;
}
