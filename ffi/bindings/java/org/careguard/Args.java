package org.careguard;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Small conversions shared by the wrapper classes. */
final class Args {
    private Args() {}

    static SizeT len(byte[] b) {
        return new SizeT(b == null ? 0 : b.length);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** PIN characters as bytes (PINs are ASCII digits); wipe the result after use. */
    static byte[] pinBytes(char[] pin) {
        byte[] out = new byte[pin.length];
        for (int i = 0; i < pin.length; i++) {
            char c = pin[i];
            // Non-ASCII characters cannot be digits; 0xFF makes the PIN check fail.
            out[i] = c < 0x80 ? (byte) c : (byte) 0xFF;
        }
        return out;
    }

    static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }
}
