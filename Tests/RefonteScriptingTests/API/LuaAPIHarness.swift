import Foundation
import Logging
import LuaRuntime
import RefonteAPI
import RefonteSandbox
import RefonteScripting
import TestHelpers

/// The key the end-to-end tests use. scripts/test fails when "leakcanary" shows up anywhere
/// in what the test run printed, so a key that escapes into an error or a log is caught.
let testAPIKey = "test_leakcanary_e2e"

/// How the end-to-end tests reach the sandbox: plain HTTP, or HTTPS as every real account is
/// reached (a certificate from a throwaway CA that the client is told to trust).
enum Wire: String, CaseIterable, Sendable {
    case http
    case https
}

/// A fresh, seeded sandbox on loopback for `body`, stopped afterwards; `faults` makes it fail
/// on purpose.
func withSandbox<R>(
    faults: Faults = .none,
    over wire: Wire = .http,
    _ body: (EmbeddedSandbox) async throws -> R
) async throws -> R {
    var tls: TLSFiles?
    if wire == .https {
        let server = try await TestCertificates.shared().server
        tls = TLSFiles(certificatePath: server.certificate, keyPath: server.key)
    }
    let sandbox = try await EmbeddedSandbox.start(
        configuration: SandboxConfiguration(
            seed: .demo,
            extraAPIKeys: [testAPIKey],
            faults: faults,
            tls: tls
        ),
        logger: Logger(label: "test.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
    )
    do {
        let result = try await body(sandbox)
        await sandbox.stop()
        return result
    } catch {
        await sandbox.stop()
        throw error
    }
}

/// A connection to `sandbox` over HTTP or HTTPS, as `refonte run` makes one (with
/// `REFONTE_CA_FILE` naming the test CA for HTTPS).
func connection(
    to sandbox: EmbeddedSandbox,
    logger: Logger = quietLogger,
    retry: RetryPolicy = RetryPolicy(),
    session: RunSession? = nil
) -> APIConnection {
    APIConnection(session: session) {
        var trust = CertificateTrust.system
        if sandbox.baseURL.hasPrefix("https:") {
            trust = CertificateTrust(
                caFile: try CertificateTrust.loadCAFile(
                    path: try await TestCertificates.shared().ca,
                    origin: "REFONTE_CA_FILE"
                )
            )
        }
        let configuration = ClientConfiguration(
            baseURL: URL(string: sandbox.baseURL)!,
            apiKey: try APIKey(testAPIKey),
            rateLimit: nil,
            retry: retry,
            trust: trust
        )
        return APIConnection.Endpoint(
            client: APIClient(configuration: configuration, logger: logger),
            baseURL: sandbox.baseURL
        )
    }
}

let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Runs `source` with the `refonte` table bound to `connection`; throws the script's failure.
func runLua(
    _ source: String,
    arguments: [String] = [],
    connection: APIConnection,
    facts: RunFacts = RunFacts(sandbox: true),
    logger: Logger = quietLogger,
    permissions: [String] = []
) async throws {
    let run = ScriptRun(
        source: .code(source),
        arguments: arguments,
        permissions: ScriptPermissions(readablePaths: permissions),
        extensions: [
            APIExtension(connection: connection, facts: facts),
            LogExtension(logger: logger),
            CSVExtension(),
        ]
    )
    do {
        try await ScriptRunner(logger: logger).run(run)
    } catch {
        await connection.close()
        throw error
    }
    await connection.close()
}

/// Lua helpers every end-to-end snippet starts with. `S` is a suffix unique to the test, so
/// snippets that create things never collide.
let luaPrelude = """
    local S = ...
    local function check(condition, message, ...)
      if not condition then error(string.format(message, ...), 2) end
    end
    local function find(list, predicate)
      for _, item in ipairs(list) do if predicate(item) then return item end end
    end
    local function contains(list, value)
      return find(list, function(item) return item == value end) ~= nil
    end
    local function member(role)
      return find(refonte.teams.list(), function(m) return m.role == role end).email
    end
    local function studio_project()
      return find(refonte.projects.list(), function(p) return p.studio and not p.archived end).name
    end
    local function new_project(studio)
      local name = "e2e project " .. S
      refonte.projects.create { type = "imageannotation", name = name, studio = studio }
      return name
    end
    local function new_batch(project)
      local name = "e2e batch " .. S
      refonte.batches.create { project = project, name = name }
      return name
    end
    local function new_task(project, batch)
      return refonte.tasks.create {
        type = "imageannotation", project = project, batch = batch, instruction = "Draw boxes",
        attachment_type = "image", attachment = "https://assets.example.com/" .. S .. ".jpg",
        unique_id = "e2e-" .. S, metadata = { source = "e2e" }, geometries = { box = {} },
      }
    end
    local function assigned_labeler(project)
      local email = member("labeler")
      refonte.studio.assignments.add { emails = { email }, projects = { project } }
      return email
    end

    """
