import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import TestHelpers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `refonte sandbox` binary under a write load, killed with SIGKILL and restarted:
/// the database opens and holds every write that was answered 200.
@Suite("Crash recovery", .serialized)
struct CrashRecoveryTests {
    static let key = "test_crash_recovery"

    /// `refonte` lives next to the test bundle in the build folder.
    static func binary() throws -> URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("refonte")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw BinaryMissing(searchedFrom: bundle.path)
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var searchedFrom: String
        var description: String {
            "no built refonte binary near \(searchedFrom); run `swift build --build-tests` first"
        }
    }

    /// Starts the server and returns it with its base URL, read from its first line of output.
    static func start(database: String) async throws -> (Process, String) {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = [
            "sandbox", "--port", "0", "--db", database, "--api-key", key, "--log-level", "error",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try await ChildProcesses.shared.launch(process)
        return (process, try await announcedBaseURL(on: output.fileHandleForReading))
    }

    @Test func killedMidLoadLosesNoAcknowledgedWrite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-crash-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("sandbox.sqlite").path
        let http = HTTPClient.shared
        let auth = "Basic " + Data("\(Self.key):".utf8).base64EncodedString()

        let (server, base) = try await Self.start(database: database)
        // A project to write into.
        var setup = HTTPClientRequest(url: "\(base)/projects")
        setup.method = HTTPMethod.POST
        setup.headers.add(name: "Authorization", value: auth)
        setup.body = HTTPClientRequest.Body.bytes(ByteBuffer(string: #"{"type":"chat","name":"Crash"}"#))
        #expect(try await http.execute(setup, timeout: .seconds(10)).status == HTTPResponseStatus.ok)

        // Four writers create tasks until the server dies; the main task kills it once the
        // load is under way (counted, not timed: a loaded machine may be slow to get there).
        let progress = WriteCounter()
        let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
            for w in 0..<4 {
                group.addTask {
                    var ok: [String] = []
                    for n in 0..<100_000 {
                        var request = HTTPClientRequest(url: "\(base)/task/chat")
                        request.method = HTTPMethod.POST
                        request.headers.add(name: "Authorization", value: auth)
                        request.headers.add(name: "Content-Type", value: "application/json")
                        let id = "w\(w)-\(n)"
                        request.body = HTTPClientRequest.Body.bytes(
                            ByteBuffer(string: #"{"project":"Crash","unique_id":"\#(id)"}"#)
                        )
                        do {
                            let response = try await http.execute(request, timeout: .seconds(10))
                            _ = try await response.body.collect(upTo: 1 << 20)
                            if response.status == HTTPResponseStatus.ok {
                                ok.append(id)
                                progress.count.add(1, ordering: .relaxed)
                            }
                        } catch {
                            return ok  // The server is gone.
                        }
                    }
                    return ok
                }
            }
            let giveUp = ContinuousClock.now + .seconds(120)
            while progress.count.load(ordering: .relaxed) < 100, ContinuousClock.now < giveUp {
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(server.terminationReason == Process.TerminationReason.uncaughtSignal)
        #expect(acknowledged.count >= 100, "the load did not get going before the kill")

        // Restart on the same file: it opens, and every acknowledged write is there.
        let (restarted, newBase) = try await Self.start(database: database)
        defer {
            restarted.terminate()
            restarted.waitUntilExit()
        }
        var stored = Set<String>()
        var token: String?
        repeat {
            var list = HTTPClientRequest(
                url: "\(newBase)/tasks?project=Crash&limit=100" + (token.map { "&next_token=\($0)" } ?? "")
            )
            list.headers.add(name: "Authorization", value: auth)
            let response = try await http.execute(list, timeout: .seconds(10))
            #expect(response.status == HTTPResponseStatus.ok)
            let body = try await response.body.collect(upTo: 16 << 20)
            let page = try #require(
                try JSONSerialization.jsonObject(with: Data(Array(buffer: body))) as? [String: Any]
            )
            for doc in page["docs"] as? [[String: Any]] ?? [] {
                if let id = doc["unique_id"] as? String { stored.insert(id) }
            }
            token = (page["next_token"] as? String)?.addingPercentEncoding(
                withAllowedCharacters: .alphanumerics
            )
        } while token != nil
        let lost = Set(acknowledged).subtracting(stored)
        #expect(lost.isEmpty, "acknowledged but missing after the crash: \(lost.sorted().prefix(10))")
    }
}

/// Acknowledged writes so far, shared by the writer tasks.
private final class WriteCounter: Sendable {
    let count = Atomic<Int>(0)
}
