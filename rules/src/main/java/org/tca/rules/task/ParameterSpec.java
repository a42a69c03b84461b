package org.tca.rules.task;

/**
 * One task parameter as the command line shows it: {@code --name VALUE} (or {@code name=value}
 * in a parameter map), its default (as text; {@code "none"} for an absent optional value,
 * {@code "all"} for "every record of the file") and what it means.
 *
 * @param name the key, lower-case words joined by '-'
 * @param defaultValue the default as text
 * @param description one line for help output
 */
public record ParameterSpec(String name, String defaultValue, String description) {}
