import RefonteAPI

/// Output of the catalog commands (`ops`, `openapi`): bytes straight to the file descriptors,
/// so a large document is written whole even into a pipe.
enum OpsOutput {
    static func write(_ bytes: [UInt8], to descriptor: Int32 = 1) {
        FileDescriptorIO.writeAll(bytes, to: descriptor)
    }

    static func print(_ text: String, terminator: String = "\n") {
        write(Array((text + terminator).utf8))
    }

    static func error(_ text: String) {
        write(Array((text + "\n").utf8), to: 2)
    }
}
