import Foundation
import Testing

/// Scripts that try to read the API key. Whatever they are granted, the key file in use, the
/// config file and its folder, the embedded sandbox's data and /proc stay closed, and the key
/// never appears in what the run prints.
@Suite("Attacks on the API key")
struct CredentialAttackTests {
    /// Fake, and marked: scripts/test fails if "leakcanary" is ever printed.
    static let key = "test_FAKE-jail-test-key-leakcanary"

    /// A project folder with the key file beside the script, as the issue found it.
    @Test func theKeyFileBesideTheScriptCannotBeRead() async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(
            atPath: folder.path("proj"),
            withIntermediateDirectories: true
        )
        try folder.write("proj/refonte.key", Self.key + "\n", mode: 0o600)
        try folder.link("proj/alias.key", to: "refonte.key")
        _ = link(folder.path("proj/refonte.key"), folder.path("proj/hard.key"))
        try folder.write(
            "proj/steal.lua",
            """
            local results = {}
            for _, name in ipairs({'proj/refonte.key', 'proj/alias.key', 'proj/hard.key', 'proj/../proj/refonte.key'}) do
              local ok, file = pcall(io.open, name)
              results[#results + 1] = ok and file and file:read('a') or 'refused'
              local ok2, rows = pcall(csv.read, name, {header = false})
              results[#results + 1] = ok2 and rows[1] and rows[1][1] or 'refused'
            end
            print(table.concat(results, ','))
            print(loadfile('proj/refonte.key'))
            """
        )
        let run = try await HostileRun.run(
            [
                "run", "--api-key-file", "proj/refonte.key", "--allow-read", ".", "--allow-write", "proj",
                "proj/steal.lua",
            ],
            in: folder.root
        )
        #expect(!run.standardOutput.contains(Self.key) && !run.standardError.contains(Self.key))
        #expect(
            run.standardOutput.hasPrefix("refused,refused,refused,refused,refused,refused,refused,refused"),
            "\(run.standardOutput)"
        )
    }

    /// A script kept in HOME reads ~/.config/refonte/: the config and the key files there.
    @Test func theConfigFolderCannotBeReadFromHome() async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        try folder.write("home/.config/refonte/live.key", Self.key + "\n", mode: 0o600)
        try folder.write(
            "home/.config/refonte/config.toml",
            "[profiles.default]\napi_key_file = \"live.key\"\n",
            mode: 0o600
        )
        try folder.write(
            "home/steal.lua",
            """
            local home = arg[0]:match('(.*)/')
            for _, name in ipairs({'/.config/refonte/live.key', '/.config/refonte/config.toml', '/.config/refonte'}) do
              print(name, pcall(function() return io.open(home .. name):read('a') end))
            end
            for line in io.lines(home .. '/.config/refonte/live.key') do print(line) end
            """
        )
        let run = try await HostileRun.run(["run", "--allow-read", "/", "home/steal.lua"], in: folder.root)
        #expect(run.status == 1)
        #expect(!run.standardOutput.contains(Self.key) && !run.standardError.contains(Self.key))
        #expect(run.standardError.contains("off limits to scripts"))
        #expect(!run.standardOutput.contains("true"))
    }

    /// With REFONTE_API_KEY set and every grant given, neither os.getenv nor /proc tells it.
    @Test func theEnvironmentKeyCannotBeRead() async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        let run = try await HostileRun.run(
            [
                "run", "--allow-read", "/", "--allow-write", "/tmp/refonte-never", "-e",
                """
                print(pcall(os.getenv, 'REFONTE_API_KEY'))
                for _, name in ipairs({'/proc/self/environ', '/proc/thread-self/environ', '/proc/self/mem', '/dev/fd/../environ'}) do
                  print(name, pcall(function() return io.open(name):read(100000) end))
                end
                print(pcall(function() return io.open('/proc/' .. '1' .. '/environ'):read('a') end))
                """,
            ],
            in: folder.root,
            environment: ["REFONTE_API_KEY": Self.key]
        )
        #expect(!run.standardOutput.contains(Self.key) && !run.standardError.contains(Self.key))
        #expect(run.standardOutput.contains("holds the API key"))
        #expect(!run.standardOutput.contains("true"), "\(run.standardOutput)")
    }

    @Test func allowEnvOfTheKeyIsAUsageError() async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        let run = try await HostileRun.run(
            ["run", "--allow-env", "REFONTE_API_KEY", "-e", "print(1)"],
            in: folder.root
        )
        #expect(run.status == 2)
        #expect(run.standardError.contains("REFONTE_API_KEY holds the API key"))
    }

    /// The embedded sandbox keeps its key in its database: no grant reaches that folder either.
    @Test func theEmbeddedSandboxDataCannotBeRead() async throws {
        let folder = try AttackFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(
            atPath: folder.path("home/.local/share/refonte"),
            withIntermediateDirectories: true
        )
        try folder.write("home/.local/share/refonte/sandbox.sqlite", "pretend database")
        let run = try await HostileRun.run(
            [
                "run", "--allow-write", "home", "-e",
                "print(pcall(io.open, 'home/.local/share/refonte/sandbox.sqlite', 'a'))",
            ],
            in: folder.root
        )
        #expect(run.standardOutput.hasPrefix("false"))
        #expect(run.standardOutput.contains("off limits to scripts"))
    }
}
