package org.careguard;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;

/** Allow / Warn / Block before a message is sent ({@code cg_policy_*}). */
public final class Policy {
    private static final CareGuardNative C = CareGuardNative.LIB;

    private Policy() {}

    /** {@code cg_conversation}. */
    public static final int CLINICAL = 1;
    public static final int SOCIAL = 2;
    public static final int BROADCAST = 3;

    /** {@code cg_verdict}. */
    public enum Verdict { ALLOW, WARN, BLOCK }

    /** One reason: stable code, the guidance it traces to, an explanation. */
    public record Reason(String code, String guidance, String message) {}

    /** A decision; {@code suggestion} is the minimised text, or null. */
    public record Decision(Verdict verdict, List<Reason> reasons, String suggestion) {}

    static CareGuardNative.CgPolicyContext context(int conversation, boolean platformApproved, boolean emergency,
            List<Identity.Trust> recipients) {
        CareGuardNative.CgPolicyContext ctx = new CareGuardNative.CgPolicyContext();
        ctx.conversation = conversation;
        ctx.platform_approved = (byte) (platformApproved ? 1 : 0);
        ctx.emergency = (byte) (emergency ? 1 : 0);
        if (!recipients.isEmpty()) {
            CareGuardNative.CgRecipientTrust first = new CareGuardNative.CgRecipientTrust();
            CareGuardNative.CgRecipientTrust[] array =
                    (CareGuardNative.CgRecipientTrust[]) first.toArray(recipients.size());
            for (int i = 0; i < array.length; i++) {
                array[i].verification = recipients.get(i).verification();
                array[i].key_changed = (byte) (recipients.get(i).keyChanged() ? 1 : 0);
                array[i].write();
            }
            ctx.recipients = first.getPointer();
            ctx.recipients_len = new SizeT(array.length);
        }
        return ctx;
    }

    static Decision read(Pointer d) {
        try {
            CareGuardNative.CgDecisionSummary s = new CareGuardNative.CgDecisionSummary();
            CareGuardException.check(C.cg_decision_get_summary(d, s), "cg_decision_get_summary");
            List<Reason> reasons = new ArrayList<>();
            for (long i = 0; i < s.reasons_len.longValue(); i++) {
                CareGuardNative.CgReason r = new CareGuardNative.CgReason();
                CareGuardException.check(C.cg_decision_reason(d, new SizeT(i), r), "cg_decision_reason");
                reasons.add(new Reason(r.code.getString(0, "UTF-8"), r.guidance.getString(0, "UTF-8"),
                        r.message.getString(0, "UTF-8")));
            }
            String suggestion = s.suggestion == null ? null : s.suggestion.getString(0, "UTF-8");
            return new Decision(Verdict.values()[s.verdict], reasons, suggestion);
        } finally {
            C.cg_decision_free(d);
        }
    }

    /** Scans, decides, and suggests the minimised text unless the verdict is ALLOW. */
    public static Decision review(Scanner scanner, String text, int conversation, boolean platformApproved,
            boolean emergency) {
        return review(scanner, text, conversation, platformApproved, emergency, List.of());
    }

    /** {@link #review} with the recipients' verification state (see {@link Identity#contactTrust}). */
    public static Decision review(Scanner scanner, String text, int conversation, boolean platformApproved,
            boolean emergency, List<Identity.Trust> recipients) {
        byte[] t = Args.utf8(text);
        PointerByReference out = new PointerByReference();
        CareGuardException.check(C.cg_policy_review(scanner.handle(), t, Args.len(t),
                context(conversation, platformApproved, emergency, recipients), out), "cg_policy_review");
        return read(out.getValue());
    }

    /** Decides from the findings of a scan (no suggestion). */
    public static Decision decide(Scanner scanner, String text, int conversation, boolean platformApproved,
            boolean emergency) {
        byte[] t = Args.utf8(text);
        PointerByReference findings = new PointerByReference();
        CareGuardException.check(C.cg_scanner_scan(scanner.handle(), t, Args.len(t), findings), "cg_scanner_scan");
        try {
            PointerByReference out = new PointerByReference();
            CareGuardException.check(C.cg_policy_decide(findings.getValue(),
                    context(conversation, platformApproved, emergency, List.of()), out), "cg_policy_decide");
            return read(out.getValue());
        } finally {
            C.cg_findings_free(findings.getValue());
        }
    }
}
