package io.sensorhub.quickstart;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** What the quickstart tells its user: plain lines on standard output, timestamped. */
final class Console {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;

    Console(PrintStream out) {
        this.out = out;
    }

    void info(String line) {
        this.out.println(LocalTime.now().format(TIME) + "  " + line);
    }

    void warn(String line) {
        this.out.println(LocalTime.now().format(TIME) + "  ! " + line);
    }

    void block(String text) {
        this.out.println();
        this.out.println(text);
        this.out.println();
    }

}
