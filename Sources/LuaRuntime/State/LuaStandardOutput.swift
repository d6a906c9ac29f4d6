import CLua

/// The standard output Lua's `print` and `io.write` use: C's buffered `stdout`. The host's own
/// output to standard output goes here too, so the two keep their order.
public enum LuaStandardOutput {
    public static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in refonte_write_stdout(bytes.baseAddress, bytes.count) }
    }

    public static func flush() {
        refonte_flush_stdout()
    }
}
