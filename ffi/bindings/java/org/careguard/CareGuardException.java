package org.careguard;

/** A careguard call failed: {@link #status} is the {@code cg_status} code. */
public class CareGuardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The numeric {@code cg_status} (see {@link Status}). */
    public final int status;
    /** The stable status name, e.g. {@code "wrong_key"}. */
    public final String statusName;
    /** The C function that failed. */
    public final String operation;

    CareGuardException(int status, String operation) {
        super(operation + ": " + CareGuardNative.LIB.cg_status_name(status) + ": "
                + CareGuardNative.LIB.cg_last_error_message());
        this.status = status;
        this.statusName = CareGuardNative.LIB.cg_status_name(status);
        this.operation = operation;
    }

    /** Throws unless {@code status} is {@code CG_STATUS_OK}. */
    static void check(int status, String operation) {
        if (status != Status.OK) {
            throw new CareGuardException(status, operation);
        }
    }
}
