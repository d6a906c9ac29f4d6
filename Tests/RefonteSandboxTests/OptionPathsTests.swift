import Testing

@testable import RefonteSandbox

@Suite("Default paths")
struct DefaultPathTests {
    @Test func databaseFollowsXDG() {
        #expect(
            SandboxConfiguration.defaultDatabasePath(environment: [
                "XDG_DATA_HOME": "/data", "HOME": "/home/u",
            ])
                == "/data/refonte/sandbox.sqlite"
        )
        #expect(
            SandboxConfiguration.defaultDatabasePath(environment: ["HOME": "/home/u"])
                == "/home/u/.local/share/refonte/sandbox.sqlite"
        )
        // A relative XDG_DATA_HOME is invalid by the spec and ignored.
        #expect(
            SandboxConfiguration.defaultDatabasePath(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/u"])
                == "/home/u/.local/share/refonte/sandbox.sqlite"
        )
        let local = SandboxConfiguration.localDefault(environment: ["HOME": "/home/u"])
        #expect(local.database == .file(path: "/home/u/.local/share/refonte/sandbox.sqlite"))
        #expect(local.seed == .demo && local.port == 0 && local.host == "127.0.0.1")
    }
}
