package io.sensorhub.crud.silences;

/**
 * A day on which a recurring silence's window starts, as the API names it; stored as its
 * ISO number (1 = Monday).
 */
enum Weekday {

    MON, TUE, WED, THU, FRI, SAT, SUN;

    int iso() {
        return ordinal() + 1;
    }

    static Weekday ofIso(int iso) {
        return values()[iso - 1];
    }

}
