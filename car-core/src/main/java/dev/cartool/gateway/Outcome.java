package dev.cartool.gateway;

/** What a response came to, for the log line: its status and the body bytes sent. */
final class Outcome {
    int status;
    long sent;
}
