package dev.weft.cli.command;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a size in bytes, with an optional suffix k, m or g (powers of 1024): {@code 512m}. */
final class ByteSize implements ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        int shift = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new TypeConversionException("not a size in bytes: " + value);
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("not a size in bytes (like 1048576, 512k, 64m or 2g): " + value);
        }
    }
}
