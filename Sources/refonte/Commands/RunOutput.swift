import RefonteAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard error as a TextOutputStream, written with write(2) (no shared C stream state).
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var string = string
        _ = string.withUTF8 { FileDescriptorIO.writeAll(UnsafeRawBufferPointer($0), to: STDERR_FILENO) }
    }
}

/// Flushes C's stdout, where Lua's `print` writes, before the exit status is reported.
func flushStandardOutput() { fflush(nil) }
