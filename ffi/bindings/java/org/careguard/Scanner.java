package org.careguard;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The patient-identifier scanner ({@code cg_scanner}). Build once, reuse; immutable
 * and thread-safe. Offsets: {@code start/end} are UTF-8 bytes,
 * {@code startUtf16/endUtf16} index a Java {@code String} directly.
 */
public final class Scanner implements AutoCloseable {
    private static final CareGuardNative C = CareGuardNative.LIB;
    private Pointer handle;

    /** {@code cg_mask_style}. */
    public static final int MASK_PLACEHOLDER = 0;
    public static final int MASK_PARTIAL = 1;

    /** One finding; {@code subject} is whose name it is ({@code patient}, {@code staff}, {@code unknown}). */
    public record Finding(String kind, String rule, long start, long end, int startUtf16, int endUtf16,
            float confidence, String subject) {}

    /** {@code cg_scanner_builder}: configure, then {@link #build()}. */
    public static final class Builder implements AutoCloseable {
        private Pointer handle;

        public Builder() {
            PointerByReference out = new PointerByReference();
            CareGuardException.check(C.cg_scanner_builder_new(out), "cg_scanner_builder_new");
            handle = out.getValue();
        }

        public Builder kind(String kind, boolean on) {
            byte[] k = Args.utf8(kind);
            CareGuardException.check(C.cg_scanner_builder_kind(handle, k, Args.len(k), on),
                    "cg_scanner_builder_kind");
            return this;
        }

        public Builder confidenceThreshold(float threshold) {
            CareGuardException.check(C.cg_scanner_builder_confidence_threshold(handle, threshold),
                    "cg_scanner_builder_confidence_threshold");
            return this;
        }

        public Builder maskStyle(int style) {
            CareGuardException.check(C.cg_scanner_builder_mask_style(handle, style), "cg_scanner_builder_mask_style");
            return this;
        }

        public Builder hospitalNumberPattern(String pattern) {
            byte[] p = Args.utf8(pattern);
            CareGuardException.check(C.cg_scanner_builder_hospital_number_pattern(handle, p, Args.len(p)),
                    "cg_scanner_builder_hospital_number_pattern");
            return this;
        }

        public Builder allow(String phrase) {
            byte[] p = Args.utf8(phrase);
            CareGuardException.check(C.cg_scanner_builder_allow(handle, p, Args.len(p)), "cg_scanner_builder_allow");
            return this;
        }

        public Builder extraGivenName(String name) {
            byte[] p = Args.utf8(name);
            CareGuardException.check(C.cg_scanner_builder_extra_given_name(handle, p, Args.len(p)),
                    "cg_scanner_builder_extra_given_name");
            return this;
        }

        /** A name known to be staff: found names on this list get the subject {@code staff}. */
        public Builder staffName(String name) {
            byte[] p = Args.utf8(name);
            CareGuardException.check(C.cg_scanner_builder_staff_name(handle, p, Args.len(p)),
                    "cg_scanner_builder_staff_name");
            return this;
        }

        public Builder extraSurname(String name) {
            byte[] p = Args.utf8(name);
            CareGuardException.check(C.cg_scanner_builder_extra_surname(handle, p, Args.len(p)),
                    "cg_scanner_builder_extra_surname");
            return this;
        }

        public Scanner build() {
            PointerByReference out = new PointerByReference();
            CareGuardException.check(C.cg_scanner_builder_build(handle, out), "cg_scanner_builder_build");
            return new Scanner(out.getValue());
        }

        @Override
        public void close() {
            if (handle != null) {
                C.cg_scanner_builder_free(handle);
                handle = null;
            }
        }
    }

    /** A scanner with the default settings. */
    public Scanner() {
        PointerByReference out = new PointerByReference();
        CareGuardException.check(C.cg_scanner_new(out), "cg_scanner_new");
        handle = out.getValue();
    }

    private Scanner(Pointer handle) {
        this.handle = handle;
    }

    Pointer handle() {
        if (handle == null) {
            throw new IllegalStateException("scanner is closed");
        }
        return handle;
    }

    static List<Finding> read(Pointer findings) {
        SizeTByReference n = new SizeTByReference();
        CareGuardException.check(C.cg_findings_len(findings, n), "cg_findings_len");
        List<Finding> out = new ArrayList<>();
        for (long i = 0; i < n.getValue(); i++) {
            CareGuardNative.CgFinding f = new CareGuardNative.CgFinding();
            CareGuardException.check(C.cg_findings_get(findings, new SizeT(i), f), "cg_findings_get");
            out.add(new Finding(f.kind, f.rule, f.start.longValue(), f.end.longValue(), f.start_utf16.intValue(),
                    f.end_utf16.intValue(), f.confidence, f.subject));
        }
        return out;
    }

    /** Every identifier in {@code text}, in order. */
    public List<Finding> scan(String text) {
        byte[] t = Args.utf8(text);
        PointerByReference findings = new PointerByReference();
        CareGuardException.check(C.cg_scanner_scan(handle(), t, Args.len(t), findings), "cg_scanner_scan");
        try {
            return read(findings.getValue());
        } finally {
            C.cg_findings_free(findings.getValue());
        }
    }

    /** Whether {@code text} holds any identifier (cheapest question). */
    public boolean hasFindings(String text) {
        byte[] t = Args.utf8(text);
        ByteByReference out = new ByteByReference();
        CareGuardException.check(C.cg_scanner_has_findings(handle(), t, Args.len(t), out), "cg_scanner_has_findings");
        return out.getValue() != 0;
    }

    /** {@code text} with identifiers masked. */
    public String minimise(String text) {
        byte[] t = Args.utf8(text);
        PointerByReference out = new PointerByReference();
        CareGuardException.check(C.cg_scanner_minimise(handle(), t, Args.len(t), out), "cg_scanner_minimise");
        try {
            return out.getValue().getString(0, "UTF-8");
        } finally {
            C.cg_string_free(out.getValue());
        }
    }

    @Override
    public void close() {
        if (handle != null) {
            C.cg_scanner_free(handle);
            handle = null;
        }
    }
}
