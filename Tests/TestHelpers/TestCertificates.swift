import Foundation

/// A throwaway certificate authority and server certificates for the TLS tests, made once per
/// test process by `scripts/test-certificates` (openssl) in a temporary folder.
public struct TestCertificates: Sendable {
    /// The CA a client must trust.
    public let ca: String
    /// For 127.0.0.1, ::1 and localhost.
    public let server: (certificate: String, key: String)
    /// For other.example only: a wrong host name for 127.0.0.1.
    public let otherHost: (certificate: String, key: String)
    /// For 127.0.0.1 and localhost, expired on 2020-01-02.
    public let expired: (certificate: String, key: String)
    /// A second CA, as a TLS-inspecting proxy has, and the certificate for 127.0.0.1 and
    /// localhost that such a proxy presents in the server's place.
    public let inspectorCA: String
    public let inspector: (certificate: String, key: String)

    /// Made once, by the first test that asks; the others await it without holding a thread
    /// (tests that block the few threads of the test process stall the servers of others).
    private static let made = Task { try await make() }

    /// The certificates, made on first use.
    public static func shared() async throws -> TestCertificates {
        try await made.value
    }

    private static func make() async throws -> TestCertificates {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("refonte-test-certificates-\(UUID().uuidString)").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/test-certificates")
        let process = Process()
        process.executableURL = script
        process.arguments = [folder]
        let errors = Pipe()
        process.standardError = errors
        do {
            try await ChildProcesses.shared.launch(process)
        } catch {
            throw CertificateScriptError(message: "cannot run \(script.path): \(error)")
        }
        let (status, output) = try await offThePool {
            let output = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
        guard status == 0 else {
            throw CertificateScriptError(
                message:
                    "\(script.path) failed (is openssl installed?): \(String(decoding: output, as: UTF8.self))"
            )
        }
        func pair(_ name: String) -> (String, String) { ("\(folder)/\(name).pem", "\(folder)/\(name).key") }
        return TestCertificates(
            ca: "\(folder)/ca.pem",
            server: pair("server"),
            otherHost: pair("other"),
            expired: pair("expired"),
            inspectorCA: "\(folder)/inspector-ca.pem",
            inspector: pair("inspector")
        )
    }
}

public struct CertificateScriptError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
