package dev.cartool.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Text's numbers are written out by hand (java.util.Formatter costs a JVM tens of milliseconds
 * the first time): whatever the value, each gives what the format it stands for gives.
 */
class TextProperties {
    @Property
    void groupsDigitsAsPercentCommaD(@ForAll long value) {
        assertEquals(String.format(Locale.ROOT, "%,d", value), Text.n(value));
    }

    @Example
    void groupsAtTheEdges() {
        for (long v : new long[] {0, 7, -7, 999, -999, 1000, -1000, 999_999, 1_000_000, -1_000_000,
                Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(String.format(Locale.ROOT, "%,d", v), Text.n(v), "value " + v);
        }
        assertEquals("1,234,567", Text.n(1_234_567));
    }

    @Property
    void hexAsZeroPaddedPercentX(@ForAll int value, @ForAll @IntRange(min = 1, max = 10) int digits) {
        assertEquals(String.format(Locale.ROOT, "%0" + digits + "x", value), Text.hex(value, digits));
    }

    @Property
    void octalAsZeroPaddedPercentO(@ForAll int value, @ForAll @IntRange(min = 1, max = 12) int digits) {
        assertEquals(String.format(Locale.ROOT, "%0" + digits + "o", value), Text.octal(value, digits));
    }

    @Property
    void padsAsPercentS(@ForAll @StringLength(max = 30) String s, @ForAll @IntRange(min = 1, max = 40) int width) {
        assertEquals(String.format(Locale.ROOT, "%" + width + "s", s), Text.padLeft(s, width));
        assertEquals(String.format(Locale.ROOT, "%-" + width + "s", s), Text.padRight(s, width));
    }

    @Example
    void escapesControlsInHex() {
        assertEquals("a\\x01b\\x7f\\x9f\\n\\\\", Text.escapeControls("a\u0001b\u007f\u009f\n\\"));
    }
}
