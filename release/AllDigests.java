import dev.cartool.cid.HashFunction;
import dev.cartool.cid.Multicodec;

/**
 * Runs every hash function car knows through a given jar: the release jar keeps only some of
 * Bouncy Castle's packages, and this proves those are enough.
 *   java -cp lib/car.jar release/AllDigests.java
 */
public class AllDigests {
    public static void main(String[] args) {
        int ran = 0;
        for (long code = 0; code <= 0xffff; code++) {
            var f = HashFunction.forCode(code);
            if (f.isPresent() && code != 0) {
                f.get().digest(new byte[] {1, 2, 3}, 0, 3);
                ran++;
            }
        }
        System.out.println(ran + " hash functions ran (" + Multicodec.name(0xb220) + " among them)");
    }
}
