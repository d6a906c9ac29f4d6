import RefonteAPI

/// The files that `refonte ops generate` writes, relative to the package root.
public enum GeneratedFiles {
    public struct File: Sendable, Hashable {
        public var path: String
        public var contents: String

        public init(path: String, contents: String) {
            self.path = path
            self.contents = contents
        }
    }

    public static func all() -> [File] {
        [
            File(path: "docs/api.md", contents: APIReference.markdown()),
            File(path: "types/refonte.lua", contents: LuaStubs.source()),
            File(path: ".luacheckrc", contents: LuacheckConfig.source()),
        ]
    }
}
