import Foundation
import Testing

@testable import RefonteAPI

/// Every file refonte keeps goes through one XDG lookup.
@Suite struct UserFolderTests {
    @Test func eachFolderFollowsItsVariableOrFallsBackUnderHome() {
        let home = ["HOME": "/home/ada"]
        #expect(
            UserFolder.config.path("config.toml", environment: home)
                == "/home/ada/.config/refonte/config.toml"
        )
        #expect(UserFolder.data.path(environment: home) == "/home/ada/.local/share/refonte")
        #expect(
            UserFolder.state.path("audit.jsonl", environment: home)
                == "/home/ada/.local/state/refonte/audit.jsonl"
        )
        let set = home.merging(["XDG_CONFIG_HOME": "/c", "XDG_DATA_HOME": "/d/", "XDG_STATE_HOME": "/s"]) {
            $1
        }
        #expect(UserFolder.config.path("config.toml", environment: set) == "/c/refonte/config.toml")
        #expect(UserFolder.data.path("sandbox.sqlite", environment: set) == "/d/refonte/sandbox.sqlite")
        #expect(UserFolder.state.path(environment: set) == "/s/refonte")
    }

    @Test func aRelativeVariableIsIgnoredAsTheSpecSays() {
        let environment = ["HOME": "/home/ada", "XDG_STATE_HOME": "state"]
        #expect(UserFolder.state.path(environment: environment) == "/home/ada/.local/state/refonte")
    }

    @Test func anEmptyHomeIsTheAccountsHomeNotTheRoot() {
        let path = UserFolder.state.path("repl_history", environment: ["HOME": ""])
        #expect(path == NSHomeDirectory() + "/.local/state/refonte/repl_history")
        #expect(!path.hasPrefix("/.local"))
    }
}
