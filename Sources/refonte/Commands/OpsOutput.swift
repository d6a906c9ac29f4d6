#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output of the catalog commands (`ops`, `openapi`): bytes straight to the file descriptors,
/// so a large document is written whole even into a pipe.
enum OpsOutput {
    static func write(_ bytes: [UInt8], to descriptor: Int32 = 1) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    static func print(_ text: String, terminator: String = "\n") {
        write(Array((text + terminator).utf8))
    }

    static func error(_ text: String) {
        write(Array((text + "\n").utf8), to: 2)
    }
}

private func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, pointer, count)
}
