package io.cordon.itests.rsa.api;

import java.util.List;

/** A record with a DTO and a list inside. */
public record Line(Point from, Point to, List<String> tags) {
}
