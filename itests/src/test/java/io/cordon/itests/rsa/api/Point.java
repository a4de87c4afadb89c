package io.cordon.itests.rsa.api;

/** A DTO: public fields, public no-arg constructor. */
public class Point {
    public int x;
    public int y;

    public Point() {
    }

    public Point(int x, int y) {
        this.x = x;
        this.y = y;
    }
}
