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
    public static final int MALFORMED = 10;
    public static final int TRUNCATED = 11;
    public static final int UNSUPPORTED_VERSION = 12;
    public static final int TAMPERED = 13;
    public static final int TOO_LARGE = 14;
    public static final int WRONG_KEY = 20;
    public static final int EXPIRED = 21;
    public static final int WRONG_BINDING = 22;
    public static final int WRONG_PIN = 30;
    public static final int WEAK_PIN = 31;
    public static final int LOCKED_OUT = 32;
    public static final int WIPE_REQUIRED = 33;
    public static final int WIPED = 34;
    public static final int VAULT_LOCKED = 35;
    public static final int DEVICE_SECRET_REQUIRED = 36;
    public static final int DEVICE_SECRET_UNEXPECTED = 37;
    public static final int PARAMS_TOO_WEAK = 38;
    public static final int KDF_FAILED = 39;
    public static final int PERSIST_FAILED = 40;
    public static final int STALE_BLOB = 41;
    public static final int KEY_REVOKED = 42;
    public static final int BAD_SIGNATURE = 50;
    public static final int WRONG_DEVICE = 51;
    public static final int REPLAYED = 52;
    public static final int WRONG_ENROLMENT = 53;
    public static final int INVALID_PATTERN = 70;
    public static final int BAD_DEVICE_SIGNATURE = 90;
    public static final int BAD_ATTESTATION = 91;
    public static final int NOT_ATTESTED = 92;
    public static final int REVOKED = 93;
    public static final int NOT_YET_VALID = 94;
    public static final int NOT_A_RECIPIENT = 95;
    public static final int UNKNOWN_SENDER = 96;
    public static final int BAD_SENDER_SIGNATURE = 97;
    public static final int BAD_REVOCATION_SIGNATURE = 98;
    public static final int SUPERSEDED_CARD = 99;
}
