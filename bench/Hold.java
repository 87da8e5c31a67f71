import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds connections open against a server, as idle or hostile clients would: IDLE connections
 * that send nothing and STALLED ones that send half a request line and stop. Prints "ready"
 * once all are open, then holds them for SECONDS.
 *
 *   java bench/Hold.java HOST PORT IDLE STALLED SECONDS
 */
public final class Hold {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int idle = Integer.parseInt(args[2]);
        int stalled = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        List<Socket> held = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < idle + stalled; i++) {
            try {
                Socket s = new Socket(host, port);
                if (i >= idle) {
                    OutputStream out = s.getOutputStream();
                    out.write("GET /ipfs/".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                held.add(s);
            } catch (java.io.IOException e) {
                refused++;
            }
        }
        System.out.println("ready: " + held.size() + " held, " + refused + " refused");
        System.out.flush();
        Thread.sleep(seconds * 1000);
        int closedByServer = 0;
        for (Socket s : held) {
            s.setSoTimeout(1);
            try {
                if (s.getInputStream().read() < 0) {
                    closedByServer++;
                }
            } catch (java.net.SocketTimeoutException e) {
                // still open
            } catch (java.io.IOException e) {
                closedByServer++;
            }
            s.close();
        }
        System.out.println("done: " + closedByServer + " closed by the server");
    }
}
