import Foundation
import Logging
import Synchronization

@testable import RefonteAPI

/// A clock that never waits: `sleep` records the delay and moves "now" forward by it.
final class RecordingClock: Sendable {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))

    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    var clock: ClientClock {
        ClientClock(
            now: { self.state.withLock { $0.now } },
            sleep: { delay in
                try Task.checkCancellation()
                self.state.withLock { state in
                    state.sleeps.append(delay)
                    state.now += delay
                }
            }
        )
    }
}

/// Keeps every log line (message and metadata, rendered as text) in memory.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
    var all: [String] { lines.withLock { $0 } }

    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "test", factory: { _ in Handler(capture: self) })
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let rendered = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                separator: " "
            )
            capture.append("\(event.level) \(event.message) \(rendered)")
        }
    }
}

/// A fresh directory under the system temp dir, for config and key files.
struct TempDirectory {
    let path: String

    init() throws {
        var base = NSTemporaryDirectory()
        while base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/refonte-test-XXXXXX").utf8CString)
        guard let result = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: result)
    }

    /// Writes `text` to `name` (creating folders) with the given permission bits.
    @discardableResult
    func write(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension PreparedRequest {
    static func get(_ path: String, query: [QueryItem] = [], id: String = "teams.list") -> PreparedRequest {
        PreparedRequest(
            operationID: id,
            method: .get,
            path: path,
            query: query,
            idempotent: true
        )
    }

    static func post(
        _ path: String,
        body: String? = nil,
        id: String = "teams.invite",
        idempotent: Bool = false
    ) -> PreparedRequest {
        PreparedRequest(
            operationID: id,
            method: .post,
            path: path,
            body: body.map { Array($0.utf8) },
            idempotent: idempotent
        )
    }
}

let testKey = "test_abcdefghijklmnop1234"
